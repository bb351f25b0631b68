/* base64.c: RFC 4648 §4 base64 with '=' padding. */
#include "base64.h"

static const char ALPHABET[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** [any thread: pure] */
size_t base64_encode(const uint8_t *data, size_t len, char *out, size_t cap) {
  const size_t need = (len + 2) / 3 * 4;
  if (cap < need + 1) return 0;
  size_t o = 0;
  for (size_t i = 0; i < len; i += 3) {
    const uint32_t v = ((uint32_t)data[i] << 16) | (i + 1 < len ? (uint32_t)data[i + 1] << 8 : 0) |
                       (i + 2 < len ? data[i + 2] : 0);
    out[o++] = ALPHABET[(v >> 18) & 63];
    out[o++] = ALPHABET[(v >> 12) & 63];
    out[o++] = i + 1 < len ? ALPHABET[(v >> 6) & 63] : '=';
    out[o++] = i + 2 < len ? ALPHABET[v & 63] : '=';
  }
  out[o] = 0;
  return o;
}

/** [any thread: pure] */
static int value_of(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

/** [any thread: pure] */
long base64_decode(const char *text, size_t len, uint8_t *out, size_t cap) {
  if (len % 4 != 0) return -1;
  size_t o = 0;
  for (size_t i = 0; i < len; i += 4) {
    int v[4];
    int pad = 0;
    for (int j = 0; j < 4; j++) {
      const char c = text[i + j];
      if (c == '=' && i + 4 == len && j >= 2) {
        v[j] = 0;
        pad++;
      } else {
        if (pad) return -1; /* data after padding */
        v[j] = value_of(c);
        if (v[j] < 0) return -1;
      }
    }
    const uint32_t bits = ((uint32_t)v[0] << 18) | ((uint32_t)v[1] << 12) | ((uint32_t)v[2] << 6) | (uint32_t)v[3];
    const int n = 3 - pad;
    if (o + (size_t)n > cap) return -1;
    out[o++] = (uint8_t)(bits >> 16);
    if (n > 1) out[o++] = (uint8_t)(bits >> 8);
    if (n > 2) out[o++] = (uint8_t)bits;
  }
  return (long)o;
}
