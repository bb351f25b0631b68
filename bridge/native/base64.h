/* base64.h: base64 encoding (RFC 4648 §4), for the WebSocket handshake. */
#ifndef DEEP_IMPROV_BASE64_H
#define DEEP_IMPROV_BASE64_H

#include <stddef.h>
#include <stdint.h>

/**
 * Writes the padded base64 text of `data` and a NUL to `out`; returns the
 * text length, or 0 when `cap` is smaller than 4 * ceil(len / 3) + 1.
 * [any thread]
 */
size_t base64_encode(const uint8_t *data, size_t len, char *out, size_t cap);

/**
 * Decodes padded base64 `text` (length `len`); returns the byte count, or
 * -1 for a character outside the alphabet, bad padding or a too small `cap`.
 */
long base64_decode(const char *text, size_t len, uint8_t *out, size_t cap);

#endif
