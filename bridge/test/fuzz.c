/*
 * fuzz.c: a bounded, seeded random fuzz of the three decoders that read
 * untrusted bytes: the HTTP request head (parse + route), the WebSocket
 * frame reader and the protocol decoder. Inputs are random bytes and
 * mutations of valid inputs; each decode must return (no crash, no hang,
 * no out-of-bounds access under valgrind or ASan), and what decodes as a
 * known message must re-encode to the same bytes and decode again alike.
 *   fuzz [seed] [seconds]   (defaults 1 and 3; stops at the first of 1000000 rounds or the time)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../native/http.h"
#include "../native/protocol.h"
#include "../native/websocket.h"

static uint64_t g_rng;
static uint32_t rnd(void) { /* xorshift64* */
  g_rng ^= g_rng >> 12;
  g_rng ^= g_rng << 25;
  g_rng ^= g_rng >> 27;
  return (uint32_t)((g_rng * 0x2545f4914f6cdd1dull) >> 32);
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/** Flips, inserts, deletes or overwrites a few bytes of buf (length *len, capacity cap). */
static void mutate(uint8_t *buf, size_t *len, size_t cap) {
  const int edits = 1 + (int)(rnd() % 4);
  for (int e = 0; e < edits; e++) {
    const uint32_t op = rnd() % 5;
    const size_t at = *len ? rnd() % *len : 0;
    if (op == 0 && *len) buf[at] ^= (uint8_t)(1u << (rnd() % 8));
    else if (op == 1 && *len) buf[at] = (uint8_t)rnd();
    else if (op == 2 && *len < cap) {
      memmove(buf + at + 1, buf + at, *len - at);
      buf[at] = (uint8_t)rnd();
      (*len)++;
    } else if (op == 3 && *len) {
      memmove(buf + at, buf + at + 1, *len - at - 1);
      (*len)--;
    } else if (op == 4 && *len) {
      *len = rnd() % (*len + 1); /* truncate */
    }
  }
}

static const char *const HTTP_SEEDS[] = {
    "GET /0123456789abcdef0123456789abcdef/bridge/index.html HTTP/1.1\r\nHost: 127.0.0.1:40123\r\nOrigin: "
    "http://127.0.0.1:40123\r\n\r\n",
    "GET /0123456789abcdef0123456789abcdef/ws HTTP/1.1\r\nHost: localhost:40123\r\nUpgrade: websocket\r\nConnection: "
    "Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    "GET /0123456789abcdef0123456789abcdef/a%2e%2e/%41 HTTP/1.0\r\n\r\n",
};

static int fuzz_http(void) {
  static char buf[HTTP_MAX_HEAD + 64];
  size_t len;
  if (rnd() % 4 == 0) {
    len = rnd() % 512;
    for (size_t i = 0; i < len; i++) buf[i] = (char)(rnd() % 4 ? " \r\n:/%GETHOST"[rnd() % 13] : (char)rnd());
  } else {
    const char *seed = HTTP_SEEDS[rnd() % 3];
    len = strlen(seed);
    memcpy(buf, seed, len);
    mutate((uint8_t *)buf, &len, sizeof buf - 1);
  }
  http_request req;
  const http_parse_result r = http_parse(buf, len, &req);
  if (r == HTTP_PARSED) {
    if (req.head_len > len) return 1;
    http_route route;
    const int st = http_route_request(&req, "0123456789abcdef0123456789abcdef", 40123, &route);
    if (st == 0 && route.kind == HTTP_ROUTE_FILE && (strstr(route.path, "..") == route.path || route.path[0] == '/'))
      return 1; /* must never escape the folder */
  }
  return 0;
}

static int fuzz_ws(void) {
  static uint8_t stream[8192], msg[2048];
  size_t len = 0;
  /* a few valid masked frames, then mutations */
  const int frames = 1 + (int)(rnd() % 4);
  for (int f = 0; f < frames && len < 6000; f++) {
    const uint8_t op = (uint8_t[]){WS_OP_BINARY, WS_OP_TEXT, WS_OP_CONT, WS_OP_PING, WS_OP_CLOSE}[rnd() % 5];
    const size_t pl = rnd() % 300;
    stream[len++] = (uint8_t)((rnd() % 3 ? 0x80 : 0) | op);
    if (pl < 126) stream[len++] = (uint8_t)(0x80 | pl);
    else {
      stream[len++] = 0x80 | 126;
      stream[len++] = (uint8_t)(pl >> 8);
      stream[len++] = (uint8_t)pl;
    }
    for (int i = 0; i < 4; i++) stream[len++] = (uint8_t)rnd();
    for (size_t i = 0; i < pl; i++) stream[len++] = (uint8_t)rnd();
  }
  mutate(stream, &len, sizeof stream);
  ws_reader r;
  ws_reader_init(&r, msg, sizeof msg);
  size_t off = 0;
  int guard = 0;
  while (off < len && guard++ < 100000) {
    size_t chunk = 1 + rnd() % 64;
    if (chunk > len - off) chunk = len - off;
    size_t used_total = 0;
    while (used_total < chunk) {
      ws_event ev;
      const size_t used = ws_reader_feed(&r, stream + off + used_total, chunk - used_total, &ev);
      if (used > chunk - used_total) return 1;
      used_total += used;
      if (ev.type == WS_EV_MESSAGE && ev.len > sizeof msg) return 1;
      if (ev.type == WS_EV_ERROR) return 0;
      if (used == 0 && ev.type == WS_EV_NONE) return 1; /* no progress without a reason */
    }
    off += chunk;
  }
  return guard >= 100000;
}

static int fuzz_protocol(void) {
  static uint8_t buf[1024], re[1100];
  size_t len;
  proto_msg m;
  if (rnd() % 3 == 0) {
    len = rnd() % 80;
    for (size_t i = 0; i < len; i++) buf[i] = (uint8_t)rnd();
    if (len >= 8 && rnd() % 2) { /* plausible header */
      buf[1] = 1;
      const uint32_t bl = (uint32_t)(len - 8);
      memcpy(buf + 4, (uint8_t[]){(uint8_t)bl, (uint8_t)(bl >> 8), 0, 0}, 4);
      buf[0] = (uint8_t[]){1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0x10, 0x11, 0x12}[rnd() % 13];
    }
  } else {
    memset(&m, 0, sizeof m);
    m.type = (uint8_t[]){1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0x10, 0x11}[rnd() % 12];
    if (m.type == PROTO_MIDI_IN) m.u.midi_in.size = 1 + rnd() % 3;
    if (m.type == PROTO_MIDI_OUT) m.u.midi_out.size = 1 + rnd() % 3;
    static const char text[] = "{\"a\":1,\"b\":[true,null]}";
    if (m.type == PROTO_STATE) m.u.state.json = text, m.u.state.json_len = sizeof text - 1;
    if (m.type == PROTO_STATE_SET) m.u.state_set.json = text, m.u.state_set.json_len = sizeof text - 1;
    if (m.type == PROTO_HELLO) m.u.hello.host = text, m.u.hello.host_len = sizeof text - 1;
    len = proto_encode(&m, buf, sizeof buf);
    if (!len) return 1;
    mutate(buf, &len, sizeof buf);
  }
  const proto_status st = proto_decode(buf, len, &m);
  if (st == PROTO_OK) {
    const size_t n = proto_encode(&m, re, sizeof re);
    proto_msg again;
    if (!n || proto_decode(re, n, &again) != PROTO_OK || again.type != m.type) return 1;
    char t1[2048], t2[2048];
    proto_to_text(st, &m, t1, sizeof t1);
    proto_to_text(PROTO_OK, &again, t2, sizeof t2);
    if (strcmp(t1, t2) != 0) return 1;
  }
  return 0;
}

int main(int argc, char **argv) {
  const unsigned long seed = argc > 1 ? strtoul(argv[1], NULL, 10) : 1;
  const double seconds = argc > 2 ? atof(argv[2]) : 3.0;
  g_rng = 0x9e3779b97f4a7c15ull ^ seed;
  const double end = now_s() + seconds;
  long rounds = 0, failures = 0;
  for (; rounds < 1000000 && now_s() < end; rounds++) {
    int bad = 0;
    switch (rounds % 3) {
      case 0: bad = fuzz_http(); break;
      case 1: bad = fuzz_ws(); break;
      default: bad = fuzz_protocol(); break;
    }
    if (bad && failures++ < 10) fprintf(stderr, "fuzz: round %ld (seed %lu) broke an invariant\n", rounds, seed);
  }
  printf("fuzz: seed %lu, %ld rounds, %ld failures\n", seed, rounds, failures);
  return failures ? 1 : 0;
}
