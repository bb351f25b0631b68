/*
 * websocket.h: RFC 6455 framing for the server side: the handshake accept
 * key, an incremental frame reader that assembles client messages (masked,
 * possibly fragmented) with a size limit, and the unmasked server frame
 * header. Pure code over caller-owned buffers. [network-thread]
 */
#ifndef DEEP_IMPROV_WEBSOCKET_H
#define DEEP_IMPROV_WEBSOCKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { WS_OP_CONT = 0x0, WS_OP_TEXT = 0x1, WS_OP_BINARY = 0x2, WS_OP_CLOSE = 0x8, WS_OP_PING = 0x9, WS_OP_PONG = 0xa };
/** Close codes used (RFC 6455 §7.4.1). */
enum { WS_CLOSE_NORMAL = 1000, WS_CLOSE_PROTOCOL = 1002, WS_CLOSE_TOO_BIG = 1009 };

/** Writes Sec-WebSocket-Accept for `key` (base64 of SHA-1(key + GUID), 28 chars + NUL). */
void ws_accept_key(const char *key, size_t key_len, char out[29]);

/** Writes a server (unmasked, FIN) frame header for a payload of `len`; returns 2, 4 or 10. */
size_t ws_frame_header(uint8_t out[10], uint8_t opcode, uint64_t len);

/** What the reader produced. */
typedef enum ws_event_type {
  WS_EV_NONE = 0,  /* need more bytes */
  WS_EV_MESSAGE,   /* a complete data message: opcode TEXT or BINARY, data/len */
  WS_EV_PING,      /* data/len: the ping payload (answer with a pong) */
  WS_EV_PONG,
  WS_EV_CLOSE,     /* close_code (1005 when none given) */
  WS_EV_ERROR      /* close_code 1002 (protocol) or 1009 (too big); the reader stops */
} ws_event_type;

typedef struct ws_event {
  ws_event_type type;
  uint8_t opcode;
  const uint8_t *data;
  size_t len;
  uint16_t close_code;
} ws_event;

/** Incremental reader state; `msg` is caller-provided storage of `msg_cap` bytes (the size limit). */
typedef struct ws_reader {
  uint8_t *msg;
  size_t msg_cap;
  size_t msg_len;
  uint8_t msg_opcode; /* 0 when no fragmented message is in progress */
  uint8_t hdr[14];
  size_t hdr_len;
  bool in_payload;
  bool fin;
  uint8_t opcode;
  uint8_t mask[4];
  uint64_t remaining;
  uint64_t frame_pos;
  uint8_t ctrl[125];
  size_t ctrl_len;
  bool failed;
} ws_reader;

/** Resets `r` to read a new stream into `msg` (capacity `msg_cap`). */
void ws_reader_init(ws_reader *r, uint8_t *msg, size_t msg_cap);

/**
 * Consumes bytes from `data` until one event is complete or the bytes run
 * out; returns the bytes consumed and fills `*ev` (WS_EV_NONE when more are
 * needed). Call again with the rest after handling an event. After
 * WS_EV_ERROR nothing more is consumed.
 */
size_t ws_reader_feed(ws_reader *r, const uint8_t *data, size_t len, ws_event *ev);

#endif
