/*
 * test_protocol.c: the C codec against protocol/bridge-vectors.txt (decode
 * each hex to its canonical text, re-encode to the same hex), plus the
 * number formatting and the encoder's own checks.
 */
#include <math.h>
#include <stdlib.h>

#include "../native/protocol.h"
#include "unit.h"

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

static void check_vectors(void) {
  FILE *f = fopen(unit_vectors_path, "r");
  CHECK(f != NULL);
  if (!f) return;
  static char line[1 << 16];
  static uint8_t bin[1 << 15], re[1 << 15];
  static char text[1 << 16];
  int vectors = 0, malformed = 0, unknown = 0;
  bool seen[256] = {false};
  while (fgets(line, sizeof line, f)) {
    size_t len = strlen(line);
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
    if (len == 0 || line[0] == '#') continue;
    char *tab = strchr(line, '\t');
    CHECK(tab != NULL);
    if (!tab) continue;
    *tab = 0;
    char *canon = tab + 1;
    char *flag = strchr(canon, '\t');
    bool decode_only = false;
    if (flag) {
      *flag = 0;
      decode_only = !strcmp(flag + 1, "decode-only");
    }
    const size_t hl = strlen(line);
    CHECK(hl % 2 == 0);
    size_t n = 0;
    for (size_t i = 0; i + 1 < hl; i += 2) bin[n++] = (uint8_t)(hexval(line[i]) * 16 + hexval(line[i + 1]));
    proto_msg m;
    const proto_status st = proto_decode(bin, n, &m);
    proto_to_text(st, &m, text, sizeof text);
    if (strcmp(text, canon) != 0) {
      unit_failures++;
      fprintf(stderr, "vector %s: decoded \"%s\", expected \"%s\"\n", line, text, canon);
    }
    unit_checks++;
    vectors++;
    if (st == PROTO_MALFORMED) malformed++;
    else if (st == PROTO_UNKNOWN) unknown++;
    else seen[m.type] = true;
    if (st == PROTO_OK && !decode_only) {
      const size_t rn = proto_encode(&m, re, sizeof re);
      if (rn != n || memcmp(re, bin, n) != 0) {
        unit_failures++;
        fprintf(stderr, "vector %s: re-encoding differs (%zu bytes)\n", line, rn);
      }
      unit_checks++;
    }
  }
  fclose(f);
  CHECK(vectors >= 40);
  CHECK(malformed >= 10);
  CHECK(unknown >= 1);
  const uint8_t types[] = {PROTO_HELLO,     PROTO_TRANSPORT, PROTO_MIDI_IN, PROTO_PARAM, PROTO_STATE_GET, PROTO_STATE,
                           PROTO_STATE_SET, PROTO_PING,      PROTO_PONG,    PROTO_STATS, PROTO_MIDI_OUT, PROTO_ALL_NOTES_OFF};
  for (size_t i = 0; i < sizeof types; i++) CHECK(seen[types[i]]); /* one vector per message type at least */
}

static void check_format(double v, const char *want) {
  char buf[64];
  proto_format_double(v, buf, sizeof buf);
  CHECK_STR(buf, want);
}

void test_protocol(void) {
  check_vectors();
  check_format(0, "0");
  check_format(-0.0, "0");
  check_format(100, "100");
  check_format(0.1, "0.1");
  check_format(1.0 / 3.0, "0.3333333333333333");
  check_format(123456789012345680000.0, "123456789012345680000");
  check_format(1e21, "1e+21");
  check_format(1.5e-7, "1.5e-7");
  check_format(0.000001, "0.000001");
  check_format(-2.5, "-2.5");
  check_format(5e-324, "5e-324");
  check_format(1.7976931348623157e308, "1.7976931348623157e+308");
  check_format(NAN, "NaN");
  check_format(-INFINITY, "-Infinity");

  /* the encoder refuses what the decoder would reject */
  proto_msg m;
  uint8_t out[600];
  memset(&m, 0, sizeof m);
  m.type = PROTO_MIDI_OUT;
  m.u.midi_out.size = 0;
  CHECK(proto_encode(&m, out, sizeof out) == 0);
  m.u.midi_out.size = 4;
  CHECK(proto_encode(&m, out, sizeof out) == 0);
  m.u.midi_out.size = 3;
  CHECK(proto_encode(&m, out, 19) == 0); /* no room */
  CHECK(proto_encode(&m, out, 20) == 20);
  m.type = 0x42;
  CHECK(proto_encode(&m, out, sizeof out) == 0);
  /* a long host name is cut at 256 bytes, never inside a UTF-8 sequence */
  char host[300];
  memset(host, 'a', sizeof host);
  host[255] = (char)0xc3; /* a two-byte sequence straddling the limit */
  host[256] = (char)0xa9;
  memset(&m, 0, sizeof m);
  m.type = PROTO_HELLO;
  m.u.hello.host = host;
  m.u.hello.host_len = sizeof host;
  const size_t n = proto_encode(&m, out, sizeof out);
  CHECK(n == 8 + 12 + 255);
  proto_msg d;
  CHECK(proto_decode(out, n, &d) == PROTO_OK && d.u.hello.host_len == 255);
}
