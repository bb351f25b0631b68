/*
 * protocol.h: the bridge's WebSocket binary protocol, version 1 (see the
 * specification in docs/bridge.md and the TypeScript codec protocol/bridge.ts).
 * One protocol message per binary WebSocket message: an 8-byte header
 * (u8 type, u8 version = 1, u16 flags = 0, u32 body_length) and a body.
 * All integers little-endian, f64 IEEE-754 little-endian. Pure code: no
 * allocation, usable on any thread.
 */
#ifndef DEEP_IMPROV_PROTOCOL_H
#define DEEP_IMPROV_PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROTO_VERSION 1
#define PROTO_HEADER_SIZE 8
#define PROTO_MAX_BODY 1048576u
#define PROTO_MAX_HOST_NAME 256u

/** Message types. */
typedef enum proto_type {
  PROTO_HELLO = 0x01,
  PROTO_TRANSPORT = 0x02,
  PROTO_MIDI_IN = 0x03,
  PROTO_PARAM = 0x04,
  PROTO_STATE_GET = 0x05,
  PROTO_STATE = 0x06,
  PROTO_STATE_SET = 0x07,
  PROTO_PING = 0x08,
  PROTO_PONG = 0x09,
  PROTO_STATS = 0x0a,
  PROTO_MIDI_OUT = 0x10,
  PROTO_ALL_NOTES_OFF = 0x11
} proto_type;

/** TRANSPORT flag bits. */
enum {
  PROTO_TRANSPORT_PLAYING = 1 << 0,
  PROTO_TRANSPORT_LOOP = 1 << 1,
  PROTO_TRANSPORT_RECORDING = 1 << 2,
  PROTO_TRANSPORT_FROM_HOST = 1 << 3
};

typedef struct proto_transport {
  uint64_t block_sample_time; /* frames since activate at the block start */
  double song_pos_beats;
  double bar_start_beats;
  double tempo_bpm;
  double loop_start_beats;
  double loop_end_beats;
  uint8_t ts_num;
  uint8_t ts_denom;
  uint8_t flags;
} proto_transport;

/** A decoded message; text fields point into the decoded buffer. */
typedef struct proto_msg {
  uint8_t type;
  union {
    struct { uint32_t sample_rate_hz, max_block_frames, instance_nonce; const char *host; uint32_t host_len; } hello;
    proto_transport transport;
    struct { uint64_t sample_time; double song_pos_beats; uint8_t size; uint8_t data[3]; } midi_in;
    struct { uint32_t param_id; double value; } param;
    struct { uint32_t request_id; } state_get;
    struct { uint32_t request_id; const char *json; uint32_t json_len; } state;
    struct { const char *json; uint32_t json_len; } state_set;
    struct { uint32_t ping_id; uint64_t native_time_ns; } ping; /* PING and PONG */
    struct { uint32_t exact, late, dropped, overflow; double round_trip_ms; } stats;
    struct { double song_pos_beats; uint8_t size; uint8_t data[3]; } midi_out;
  } u;
} proto_msg;

/** What proto_decode found. */
typedef enum proto_status {
  PROTO_OK = 0,        /* a known message, decoded into *msg */
  PROTO_UNKNOWN = 1,   /* well-formed header, unknown type: ignore and count (msg->type set) */
  PROTO_MALFORMED = 2  /* drop and count */
} proto_status;

/** Decodes one message of `len` bytes. [any thread] */
proto_status proto_decode(const uint8_t *buf, size_t len, proto_msg *msg);

/**
 * Encodes `msg` into `out` (capacity `cap`). Returns the byte count, or 0
 * when it does not fit or the message is invalid (e.g. MIDI size not 1..3).
 * A HELLO host name longer than 256 bytes is cut at a UTF-8 boundary.
 * [any thread; no allocation]
 */
size_t proto_encode(const proto_msg *msg, uint8_t *out, size_t cap);

/** The name of a known type ("MIDI_OUT"), or NULL. */
const char *proto_type_name(uint8_t type);

/**
 * Writes the canonical text form of a decode result (the form of
 * protocol/bridge-vectors.txt) into `out`; returns its length (truncated to
 * cap - 1, always NUL-terminated when cap > 0).
 */
size_t proto_to_text(proto_status status, const proto_msg *msg, char *out, size_t cap);

/** Shortest decimal text that reads back to `v`, formatted as JavaScript's Number#toString. */
size_t proto_format_double(double v, char *out, size_t cap);

#endif
