/* sha1.h: SHA-1 (FIPS 180-4), only for the WebSocket handshake (RFC 6455 §4.2.2). */
#ifndef DEEP_IMPROV_SHA1_H
#define DEEP_IMPROV_SHA1_H

#include <stddef.h>
#include <stdint.h>

/** Writes the 20-byte SHA-1 digest of `data` to `out`. [any thread] */
void sha1(const void *data, size_t len, uint8_t out[20]);

#endif
