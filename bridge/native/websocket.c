/* websocket.c: RFC 6455 framing of websocket.h. */
#include "websocket.h"

#include <string.h>

#include "base64.h"
#include "sha1.h"

static const char GUID[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/** [any thread: pure] */
void ws_accept_key(const char *key, size_t key_len, char out[29]) {
  uint8_t buf[128 + sizeof GUID];
  if (key_len > 128) key_len = 128;
  memcpy(buf, key, key_len);
  memcpy(buf + key_len, GUID, sizeof GUID - 1);
  uint8_t digest[20];
  sha1(buf, key_len + sizeof GUID - 1, digest);
  base64_encode(digest, sizeof digest, out, 29);
}

/** [any thread: pure] */
size_t ws_frame_header(uint8_t out[10], uint8_t opcode, uint64_t len) {
  out[0] = (uint8_t)(0x80 | (opcode & 0x0f));
  if (len < 126) {
    out[1] = (uint8_t)len;
    return 2;
  }
  if (len <= 0xffff) {
    out[1] = 126;
    out[2] = (uint8_t)(len >> 8);
    out[3] = (uint8_t)len;
    return 4;
  }
  out[1] = 127;
  for (int i = 0; i < 8; i++) out[2 + i] = (uint8_t)(len >> (56 - 8 * i));
  return 10;
}

/** [any thread: pure] */
void ws_reader_init(ws_reader *r, uint8_t *msg, size_t msg_cap) {
  memset(r, 0, sizeof *r);
  r->msg = msg;
  r->msg_cap = msg_cap;
}

/** [any thread: pure] */
static size_t fail(ws_reader *r, ws_event *ev, uint16_t code, size_t consumed) {
  r->failed = true;
  ev->type = WS_EV_ERROR;
  ev->close_code = code;
  return consumed;
}

/** Bytes of header needed given what has arrived (2 until the length byte is known). [any thread: pure] */
static size_t header_need(const ws_reader *r) {
  if (r->hdr_len < 2) return 2;
  const uint8_t l = r->hdr[1] & 0x7f;
  return 2 + (l == 126 ? 2 : l == 127 ? 8 : 0) + ((r->hdr[1] & 0x80) ? 4 : 0);
}

/** Validates a complete header and prepares the payload; 0 or a close code. [any thread: pure] */
static uint16_t start_frame(ws_reader *r) {
  const uint8_t b0 = r->hdr[0], b1 = r->hdr[1];
  if (b0 & 0x70) return WS_CLOSE_PROTOCOL; /* RSV bits without an extension */
  if (!(b1 & 0x80)) return WS_CLOSE_PROTOCOL; /* client frames must be masked (§5.1) */
  r->fin = (b0 & 0x80) != 0;
  r->opcode = b0 & 0x0f;
  uint64_t len = b1 & 0x7f;
  size_t p = 2;
  if (len == 126) {
    len = ((uint64_t)r->hdr[2] << 8) | r->hdr[3];
    p = 4;
  } else if (len == 127) {
    len = 0;
    for (int i = 0; i < 8; i++) len = (len << 8) | r->hdr[2 + i];
    if (len >> 63) return WS_CLOSE_PROTOCOL;
    p = 10;
  }
  memcpy(r->mask, r->hdr + p, 4);
  const bool control = (r->opcode & 0x08) != 0;
  switch (r->opcode) {
    case WS_OP_CONT:
      if (!r->msg_opcode) return WS_CLOSE_PROTOCOL;
      break;
    case WS_OP_TEXT:
    case WS_OP_BINARY:
      if (r->msg_opcode) return WS_CLOSE_PROTOCOL; /* a new message inside a fragmented one */
      break;
    case WS_OP_CLOSE:
    case WS_OP_PING:
    case WS_OP_PONG:
      if (!r->fin || len > 125) return WS_CLOSE_PROTOCOL;
      break;
    default: return WS_CLOSE_PROTOCOL;
  }
  if (!control) {
    if (len > r->msg_cap - r->msg_len) return WS_CLOSE_TOO_BIG;
    if (r->opcode != WS_OP_CONT) {
      r->msg_opcode = r->opcode;
      r->msg_len = 0;
    }
  } else {
    r->ctrl_len = 0;
  }
  r->remaining = len;
  r->frame_pos = 0;
  r->in_payload = true;
  return 0;
}

/** Emits the event of a frame whose payload is complete. [any thread: pure] */
static void finish_frame(ws_reader *r, ws_event *ev) {
  r->in_payload = false;
  r->hdr_len = 0;
  switch (r->opcode) {
    case WS_OP_PING:
    case WS_OP_PONG:
      ev->type = r->opcode == WS_OP_PING ? WS_EV_PING : WS_EV_PONG;
      ev->data = r->ctrl;
      ev->len = r->ctrl_len;
      return;
    case WS_OP_CLOSE:
      if (r->ctrl_len == 1) {
        r->failed = true;
        ev->type = WS_EV_ERROR;
        ev->close_code = WS_CLOSE_PROTOCOL;
        return;
      }
      ev->type = WS_EV_CLOSE;
      ev->close_code = r->ctrl_len >= 2 ? (uint16_t)((r->ctrl[0] << 8) | r->ctrl[1]) : 1005;
      ev->data = r->ctrl;
      ev->len = r->ctrl_len;
      return;
    default:
      if (!r->fin) return; /* more fragments follow */
      ev->type = WS_EV_MESSAGE;
      ev->opcode = r->msg_opcode;
      ev->data = r->msg;
      ev->len = r->msg_len;
      r->msg_opcode = 0;
      return;
  }
}

/** [any thread: pure] */
size_t ws_reader_feed(ws_reader *r, const uint8_t *data, size_t len, ws_event *ev) {
  memset(ev, 0, sizeof *ev);
  if (r->failed) {
    ev->type = WS_EV_ERROR;
    ev->close_code = WS_CLOSE_PROTOCOL;
    return 0;
  }
  size_t used = 0;
  while (used < len || (r->in_payload && r->remaining == 0)) {
    if (!r->in_payload) {
      const size_t need = header_need(r);
      while (r->hdr_len < need && used < len) r->hdr[r->hdr_len++] = data[used++];
      if (r->hdr_len < header_need(r)) continue; /* the length byte just arrived: maybe more needed */
      if (r->hdr_len < need) continue;
      const uint16_t err = start_frame(r);
      if (err) return fail(r, ev, err, used);
      if (r->remaining != 0) continue;
    }
    const size_t take = (size_t)((uint64_t)(len - used) < r->remaining ? (uint64_t)(len - used) : r->remaining);
    uint8_t *dst = (r->opcode & 0x08) ? r->ctrl + r->ctrl_len : r->msg + r->msg_len;
    for (size_t i = 0; i < take; i++) dst[i] = data[used + i] ^ r->mask[(r->frame_pos + i) & 3];
    if (r->opcode & 0x08) r->ctrl_len += take;
    else r->msg_len += take;
    used += take;
    r->frame_pos += take;
    r->remaining -= take;
    if (r->remaining == 0) {
      finish_frame(r, ev);
      if (ev->type != WS_EV_NONE) return used;
    }
  }
  return used;
}
