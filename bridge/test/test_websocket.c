/*
 * test_websocket.c: RFC 6455 framing: masked, fragmented (with an
 * interleaved ping), fed byte by byte, truncated, oversized, and every
 * protocol violation the reader must refuse.
 */
#include <stdlib.h>

#include "../native/websocket.h"
#include "unit.h"

/** Writes a client frame (masked unless mask == NULL) and returns its length. */
static size_t frame(uint8_t *out, int fin, int rsv, uint8_t op, const uint8_t *mask, const uint8_t *payload, uint64_t len,
                    int len_form) {
  size_t o = 0;
  out[o++] = (uint8_t)((fin ? 0x80 : 0) | (rsv << 4) | op);
  const uint8_t m = mask ? 0x80 : 0;
  if (len_form == 0 && len < 126) out[o++] = (uint8_t)(m | len);
  else if (len_form <= 1 && len <= 0xffff) {
    out[o++] = m | 126;
    out[o++] = (uint8_t)(len >> 8);
    out[o++] = (uint8_t)len;
  } else {
    out[o++] = m | 127;
    for (int i = 7; i >= 0; i--) out[o++] = (uint8_t)(len >> (8 * i));
  }
  if (mask) {
    memcpy(out + o, mask, 4);
    o += 4;
  }
  if (payload)
    for (uint64_t i = 0; i < len; i++) out[o++] = payload[i] ^ (mask ? mask[i & 3] : 0);
  return o;
}

static const uint8_t MASK[4] = {0x37, 0xfa, 0x21, 0x3d};

/** Feeds everything; returns the last event that is not NONE (or NONE) and how many events came. */
static ws_event feed_all(ws_reader *r, const uint8_t *buf, size_t len, int *events) {
  ws_event last, ev;
  memset(&last, 0, sizeof last);
  size_t off = 0;
  *events = 0;
  while (off < len) {
    const size_t used = ws_reader_feed(r, buf + off, len - off, &ev);
    off += used;
    if (ev.type != WS_EV_NONE) {
      last = ev;
      (*events)++;
      if (ev.type == WS_EV_ERROR) break;
    } else if (used == 0) {
      break;
    }
  }
  return last;
}

static uint16_t error_of(const uint8_t *buf, size_t len, size_t cap) {
  uint8_t *msg = malloc(cap);
  ws_reader r;
  ws_reader_init(&r, msg, cap);
  int n;
  ws_event ev = feed_all(&r, buf, len, &n);
  free(msg);
  return ev.type == WS_EV_ERROR ? ev.close_code : 0;
}

void test_websocket(void) {
  uint8_t msg[4096], buf[8192];
  ws_reader r;
  ws_event ev;
  int n;
  const uint8_t hello[5] = {'h', 'e', 'l', 'l', 'o'};

  /* RFC 6455 §5.7: a masked "Hello" */
  const uint8_t rfc[] = {0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58};
  ws_reader_init(&r, msg, sizeof msg);
  ev = feed_all(&r, rfc, sizeof rfc, &n);
  CHECK(n == 1 && ev.type == WS_EV_MESSAGE && ev.opcode == WS_OP_TEXT && ev.len == 5 && !memcmp(ev.data, "Hello", 5));

  /* one binary frame, fed one byte at a time */
  size_t len = frame(buf, 1, 0, WS_OP_BINARY, MASK, hello, 5, 0);
  ws_reader_init(&r, msg, sizeof msg);
  int events = 0;
  for (size_t i = 0; i < len; i++) {
    CHECK(ws_reader_feed(&r, buf + i, 1, &ev) == 1);
    if (ev.type != WS_EV_NONE) {
      events++;
      CHECK(i == len - 1 && ev.type == WS_EV_MESSAGE && ev.opcode == WS_OP_BINARY && ev.len == 5 && !memcmp(ev.data, hello, 5));
    }
  }
  CHECK(events == 1);

  /* fragmented: binary(no fin) + ping + cont(no fin) + cont(fin) */
  uint8_t part[300];
  for (int i = 0; i < 300; i++) part[i] = (uint8_t)i;
  len = frame(buf, 0, 0, WS_OP_BINARY, MASK, part, 100, 0);
  len += frame(buf + len, 1, 0, WS_OP_PING, MASK, hello, 5, 0);
  len += frame(buf + len, 0, 0, WS_OP_CONT, MASK, part + 100, 150, 0); /* 16-bit length */
  len += frame(buf + len, 1, 0, WS_OP_CONT, MASK, part + 250, 50, 0);
  ws_reader_init(&r, msg, sizeof msg);
  size_t off = 0;
  off += ws_reader_feed(&r, buf, len, &ev);
  CHECK(ev.type == WS_EV_PING && ev.len == 5 && !memcmp(ev.data, hello, 5));
  off += ws_reader_feed(&r, buf + off, len - off, &ev);
  CHECK(ev.type == WS_EV_MESSAGE && ev.opcode == WS_OP_BINARY && ev.len == 300 && !memcmp(ev.data, part, 300));
  CHECK(off == len);

  /* a 64-bit length form for a small payload is still read */
  len = frame(buf, 1, 0, WS_OP_BINARY, MASK, hello, 5, 2);
  ws_reader_init(&r, msg, sizeof msg);
  ev = feed_all(&r, buf, len, &n);
  CHECK(n == 1 && ev.type == WS_EV_MESSAGE && ev.len == 5);

  /* truncated: no event, waits for more */
  len = frame(buf, 1, 0, WS_OP_BINARY, MASK, part, 200, 0);
  ws_reader_init(&r, msg, sizeof msg);
  CHECK(ws_reader_feed(&r, buf, len - 1, &ev) == len - 1 && ev.type == WS_EV_NONE);
  CHECK(ws_reader_feed(&r, buf + len - 1, 1, &ev) == 1 && ev.type == WS_EV_MESSAGE && ev.len == 200 &&
        !memcmp(ev.data, part, 200)); /* the last byte completes it */
  ws_reader_init(&r, msg, sizeof msg);
  CHECK(ws_reader_feed(&r, buf, 3, &ev) == 3 && ev.type == WS_EV_NONE);

  /* close with a code, empty close */
  const uint8_t code[2] = {0x03, 0xe8};
  len = frame(buf, 1, 0, WS_OP_CLOSE, MASK, code, 2, 0);
  ws_reader_init(&r, msg, sizeof msg);
  ev = feed_all(&r, buf, len, &n);
  CHECK(ev.type == WS_EV_CLOSE && ev.close_code == 1000);
  len = frame(buf, 1, 0, WS_OP_CLOSE, MASK, NULL, 0, 0);
  ws_reader_init(&r, msg, sizeof msg);
  ev = feed_all(&r, buf, len, &n);
  CHECK(ev.type == WS_EV_CLOSE && ev.close_code == 1005);
  len = frame(buf, 1, 0, WS_OP_PONG, MASK, NULL, 0, 0);
  ws_reader_init(&r, msg, sizeof msg);
  ev = feed_all(&r, buf, len, &n);
  CHECK(ev.type == WS_EV_PONG && ev.len == 0);

  /* oversized: refused from the header (1009), before any payload */
  len = frame(buf, 1, 0, WS_OP_BINARY, MASK, NULL, 5000, 1);
  CHECK(error_of(buf, len, 4096) == WS_CLOSE_TOO_BIG);
  len = frame(buf, 1, 0, WS_OP_BINARY, MASK, NULL, (uint64_t)1 << 40, 2);
  CHECK(error_of(buf, len, 4096) == WS_CLOSE_TOO_BIG);
  /* fragments that add up to too much */
  len = frame(buf, 0, 0, WS_OP_BINARY, MASK, part, 300, 0);
  len += frame(buf + len, 1, 0, WS_OP_CONT, MASK, part, 300, 0);
  CHECK(error_of(buf, len, 500) == WS_CLOSE_TOO_BIG);

  /* protocol errors (1002) */
  len = frame(buf, 1, 0, WS_OP_BINARY, NULL, hello, 5, 0); /* unmasked */
  CHECK(error_of(buf, len, 4096) == WS_CLOSE_PROTOCOL);
  len = frame(buf, 1, 4, WS_OP_BINARY, MASK, hello, 5, 0); /* RSV1 */
  CHECK(error_of(buf, len, 4096) == WS_CLOSE_PROTOCOL);
  len = frame(buf, 1, 0, 0x3, MASK, hello, 5, 0); /* reserved opcode */
  CHECK(error_of(buf, len, 4096) == WS_CLOSE_PROTOCOL);
  len = frame(buf, 1, 0, 0xb, MASK, hello, 5, 0);
  CHECK(error_of(buf, len, 4096) == WS_CLOSE_PROTOCOL);
  len = frame(buf, 1, 0, WS_OP_CONT, MASK, hello, 5, 0); /* continuation with nothing to continue */
  CHECK(error_of(buf, len, 4096) == WS_CLOSE_PROTOCOL);
  len = frame(buf, 0, 0, WS_OP_BINARY, MASK, hello, 5, 0);
  len += frame(buf + len, 1, 0, WS_OP_TEXT, MASK, hello, 5, 0); /* a new message inside a fragmented one */
  CHECK(error_of(buf, len, 4096) == WS_CLOSE_PROTOCOL);
  len = frame(buf, 0, 0, WS_OP_PING, MASK, hello, 5, 0); /* fragmented control frame */
  CHECK(error_of(buf, len, 4096) == WS_CLOSE_PROTOCOL);
  len = frame(buf, 1, 0, WS_OP_PING, MASK, part, 126, 1); /* control payload over 125 */
  CHECK(error_of(buf, len, 4096) == WS_CLOSE_PROTOCOL);
  len = frame(buf, 1, 0, WS_OP_CLOSE, MASK, code, 1, 0); /* a 1-byte close payload */
  CHECK(error_of(buf, len, 4096) == WS_CLOSE_PROTOCOL);
  len = frame(buf, 1, 0, WS_OP_BINARY, MASK, NULL, 0, 2);
  buf[2] |= 0x80; /* 64-bit length with the top bit set */
  CHECK(error_of(buf, len, 4096) == WS_CLOSE_PROTOCOL);
  /* after an error the reader consumes nothing more */
  len = frame(buf, 1, 0, WS_OP_BINARY, NULL, hello, 5, 0);
  ws_reader_init(&r, msg, sizeof msg);
  ev = feed_all(&r, buf, len, &n);
  CHECK(ev.type == WS_EV_ERROR);
  CHECK(ws_reader_feed(&r, buf, len, &ev) == 0 && ev.type == WS_EV_ERROR);

  /* server frame headers: the three length forms */
  uint8_t h[10];
  CHECK(ws_frame_header(h, WS_OP_BINARY, 125) == 2 && h[0] == 0x82 && h[1] == 125);
  CHECK(ws_frame_header(h, WS_OP_BINARY, 126) == 4 && h[1] == 126 && h[2] == 0 && h[3] == 126);
  CHECK(ws_frame_header(h, WS_OP_CLOSE, 65536) == 10 && h[0] == 0x88 && h[1] == 127 && h[7] == 1 && h[9] == 0);
}
