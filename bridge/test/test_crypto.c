/* test_crypto.c: SHA-1 (FIPS 180-4 examples and block-boundary lengths), base64 (RFC 4648 §10), the RFC 6455 accept key. */
#include <stdlib.h>

#include "../native/base64.h"
#include "../native/sha1.h"
#include "../native/websocket.h"
#include "unit.h"

static void hex(const uint8_t *d, size_t n, char *out) {
  for (size_t i = 0; i < n; i++) snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void check_sha1(const void *data, size_t len, const char *want) {
  uint8_t dig[20];
  char text[41];
  sha1(data, len, dig);
  hex(dig, 20, text);
  CHECK_STR(text, want);
}

void test_crypto(void) {
  check_sha1("", 0, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  check_sha1("abc", 3, "a9993e364706816aba3e25717850c26c9cd0d89d");
  check_sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  static const struct {
    size_t n;
    const char *want;
  } AS[] = {{55, "c1c8bbdc22796e28c0e15163d20899b65621d65a"}, {56, "c2db330f6083854c99d4b5bfb6e8f29f201be699"},
            {63, "03f09f5b158a7a8cdad920bddc29b81c18a551f5"}, {64, "0098ba824b5c16427bd7a1122a5a442a25ec644d"},
            {65, "11655326c708d70319be2610e8a57d9a5b959d3b"}, {119, "ee971065aaa017e0632a8ca6c77bb3bf8b1dfc56"},
            {120, "f34c1488385346a55709ba056ddd08280dd4c6d6"}, {1000000, "34aa973cd4c4daa4f61eeb2bdbad27316534016f"}};
  char *a = malloc(1000000);
  memset(a, 'a', 1000000);
  for (size_t i = 0; i < sizeof AS / sizeof AS[0]; i++) check_sha1(a, AS[i].n, AS[i].want);
  free(a);

  static const char *const B64[][2] = {{"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},    {"foo", "Zm9v"},
                                       {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
  for (size_t i = 0; i < sizeof B64 / sizeof B64[0]; i++) {
    char out[16];
    uint8_t back[16];
    const size_t n = strlen(B64[i][0]);
    CHECK(base64_encode((const uint8_t *)B64[i][0], n, out, sizeof out) == strlen(B64[i][1]));
    CHECK_STR(out, B64[i][1]);
    CHECK(base64_decode(B64[i][1], strlen(B64[i][1]), back, sizeof back) == (long)n);
    CHECK(memcmp(back, B64[i][0], n) == 0);
  }
  char small[4];
  CHECK(base64_encode((const uint8_t *)"foo", 3, small, sizeof small) == 0); /* no room for the NUL */
  uint8_t buf[8];
  CHECK(base64_decode("Zm9", 3, buf, sizeof buf) == -1);
  CHECK(base64_decode("Zm9v!A==", 8, buf, sizeof buf) == -1);
  CHECK(base64_decode("Zg==Zg==", 8, buf, sizeof buf) == -1); /* data after padding */
  CHECK(base64_decode("Z=g=", 4, buf, sizeof buf) == -1);
  CHECK(base64_decode("Zm9vYmFy", 8, buf, 5) == -1);

  char accept[29];
  ws_accept_key("dGhlIHNhbXBsZSBub25jZQ==", 24, accept); /* RFC 6455 §1.3 */
  CHECK_STR(accept, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}
