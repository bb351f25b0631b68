/* protocol.c: encoder, decoder and canonical text of protocol.h. */
#include "protocol.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
/** [any thread: pure] */
static uint32_t rd32(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static uint64_t rd64(const uint8_t *p) { return (uint64_t)rd32(p) | ((uint64_t)rd32(p + 4) << 32); }
/** [any thread: pure] */
static double rdf64(const uint8_t *p) {
  uint64_t bits = rd64(p);
  double v;
  memcpy(&v, &bits, sizeof v);
  return v;
}
/** [any thread: pure] */
static void wr32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}
/** [any thread: pure] */
static void wr64(uint8_t *p, uint64_t v) {
  wr32(p, (uint32_t)v);
  wr32(p + 4, (uint32_t)(v >> 32));
}
/** [any thread: pure] */
static void wrf64(uint8_t *p, double v) {
  uint64_t bits;
  memcpy(&bits, &v, sizeof bits);
  wr64(p, bits);
}

/** The fixed body size of each known type (text types: their fixed prefix); -1 for unknown. [any thread: pure] */
static long fixed_size(uint8_t type) {
  switch (type) {
    case PROTO_HELLO: return 12;
    case PROTO_TRANSPORT: return 52;
    case PROTO_MIDI_IN: return 20;
    case PROTO_PARAM: return 12;
    case PROTO_STATE_GET: return 4;
    case PROTO_STATE: return 4;
    case PROTO_STATE_SET: return 0;
    case PROTO_PING: return 12;
    case PROTO_PONG: return 12;
    case PROTO_STATS: return 24;
    case PROTO_MIDI_OUT: return 12;
    case PROTO_ALL_NOTES_OFF: return 0;
    default: return -1;
  }
}

/** True when the type has a variable text tail after its fixed part. */
static bool has_tail(uint8_t type) { return type == PROTO_HELLO || type == PROTO_STATE || type == PROTO_STATE_SET; }

/** [any thread: pure] */
const char *proto_type_name(uint8_t type) {
  switch (type) {
    case PROTO_HELLO: return "HELLO";
    case PROTO_TRANSPORT: return "TRANSPORT";
    case PROTO_MIDI_IN: return "MIDI_IN";
    case PROTO_PARAM: return "PARAM";
    case PROTO_STATE_GET: return "STATE_GET";
    case PROTO_STATE: return "STATE";
    case PROTO_STATE_SET: return "STATE_SET";
    case PROTO_PING: return "PING";
    case PROTO_PONG: return "PONG";
    case PROTO_STATS: return "STATS";
    case PROTO_MIDI_OUT: return "MIDI_OUT";
    case PROTO_ALL_NOTES_OFF: return "ALL_NOTES_OFF";
    default: return NULL;
  }
}

/** [any thread] */
proto_status proto_decode(const uint8_t *buf, size_t len, proto_msg *msg) {
  memset(msg, 0, sizeof *msg);
  if (len < PROTO_HEADER_SIZE) return PROTO_MALFORMED;
  const uint8_t type = buf[0];
  (void)rd16(buf + 2); /* flags: ignored */
  const uint32_t body_len = rd32(buf + 4);
  if (buf[1] != PROTO_VERSION || body_len > PROTO_MAX_BODY || (size_t)body_len != len - PROTO_HEADER_SIZE)
    return PROTO_MALFORMED;
  msg->type = type;
  const long fixed = fixed_size(type);
  if (fixed < 0) return PROTO_UNKNOWN;
  if ((long)body_len < fixed || (!has_tail(type) && (long)body_len != fixed)) return PROTO_MALFORMED;
  const uint8_t *b = buf + PROTO_HEADER_SIZE;
  const uint32_t tail_len = body_len - (uint32_t)fixed;
  const char *tail = (const char *)(b + fixed);
  switch (type) {
    case PROTO_HELLO:
      if (tail_len > PROTO_MAX_HOST_NAME) return PROTO_MALFORMED;
      msg->u.hello.sample_rate_hz = rd32(b);
      msg->u.hello.max_block_frames = rd32(b + 4);
      msg->u.hello.instance_nonce = rd32(b + 8);
      msg->u.hello.host = tail;
      msg->u.hello.host_len = tail_len;
      break;
    case PROTO_TRANSPORT: {
      proto_transport *t = &msg->u.transport;
      t->block_sample_time = rd64(b);
      t->song_pos_beats = rdf64(b + 8);
      t->bar_start_beats = rdf64(b + 16);
      t->tempo_bpm = rdf64(b + 24);
      t->loop_start_beats = rdf64(b + 32);
      t->loop_end_beats = rdf64(b + 40);
      t->ts_num = b[48];
      t->ts_denom = b[49];
      t->flags = b[50];
      break; /* b[51] reserved */
    }
    case PROTO_MIDI_IN:
      msg->u.midi_in.sample_time = rd64(b);
      msg->u.midi_in.song_pos_beats = rdf64(b + 8);
      msg->u.midi_in.size = b[16];
      if (b[16] < 1 || b[16] > 3) return PROTO_MALFORMED;
      for (int i = 0; i < b[16]; i++) msg->u.midi_in.data[i] = b[17 + i];
      break;
    case PROTO_PARAM:
      msg->u.param.param_id = rd32(b);
      msg->u.param.value = rdf64(b + 4);
      break;
    case PROTO_STATE_GET: msg->u.state_get.request_id = rd32(b); break;
    case PROTO_STATE:
      msg->u.state.request_id = rd32(b);
      msg->u.state.json = tail;
      msg->u.state.json_len = tail_len;
      break;
    case PROTO_STATE_SET:
      msg->u.state_set.json = tail;
      msg->u.state_set.json_len = tail_len;
      break;
    case PROTO_PING:
    case PROTO_PONG:
      msg->u.ping.ping_id = rd32(b);
      msg->u.ping.native_time_ns = rd64(b + 4);
      break;
    case PROTO_STATS:
      msg->u.stats.exact = rd32(b);
      msg->u.stats.late = rd32(b + 4);
      msg->u.stats.dropped = rd32(b + 8);
      msg->u.stats.overflow = rd32(b + 12);
      msg->u.stats.round_trip_ms = rdf64(b + 16);
      break;
    case PROTO_MIDI_OUT:
      msg->u.midi_out.song_pos_beats = rdf64(b);
      msg->u.midi_out.size = b[8];
      if (b[8] < 1 || b[8] > 3) return PROTO_MALFORMED;
      for (int i = 0; i < b[8]; i++) msg->u.midi_out.data[i] = b[9 + i];
      break;
    case PROTO_ALL_NOTES_OFF: break;
    default: return PROTO_UNKNOWN;
  }
  return PROTO_OK;
}

/** The longest prefix of `s` (at most `max` bytes) that does not cut a UTF-8 sequence. [any thread: pure] */
static uint32_t utf8_prefix(const char *s, uint32_t len, uint32_t max) {
  if (len <= max) return len;
  uint32_t n = max;
  while (n > 0 && (((uint8_t)s[n]) & 0xc0) == 0x80) n--;
  return n;
}

/** [any thread] */
size_t proto_encode(const proto_msg *msg, uint8_t *out, size_t cap) {
  const long fixed = fixed_size(msg->type);
  if (fixed < 0) return 0;
  const char *tail = NULL;
  uint32_t tail_len = 0;
  switch (msg->type) {
    case PROTO_HELLO:
      tail = msg->u.hello.host;
      tail_len = tail ? utf8_prefix(tail, msg->u.hello.host_len, PROTO_MAX_HOST_NAME) : 0;
      break;
    case PROTO_STATE: tail = msg->u.state.json; tail_len = tail ? msg->u.state.json_len : 0; break;
    case PROTO_STATE_SET: tail = msg->u.state_set.json; tail_len = tail ? msg->u.state_set.json_len : 0; break;
    case PROTO_MIDI_IN: if (msg->u.midi_in.size < 1 || msg->u.midi_in.size > 3) return 0; break;
    case PROTO_MIDI_OUT: if (msg->u.midi_out.size < 1 || msg->u.midi_out.size > 3) return 0; break;
    default: break;
  }
  const size_t body_len = (size_t)fixed + tail_len;
  if (body_len > PROTO_MAX_BODY || PROTO_HEADER_SIZE + body_len > cap) return 0;
  memset(out, 0, PROTO_HEADER_SIZE + (size_t)fixed);
  out[0] = msg->type;
  out[1] = PROTO_VERSION;
  wr32(out + 4, (uint32_t)body_len);
  uint8_t *b = out + PROTO_HEADER_SIZE;
  switch (msg->type) {
    case PROTO_HELLO:
      wr32(b, msg->u.hello.sample_rate_hz);
      wr32(b + 4, msg->u.hello.max_block_frames);
      wr32(b + 8, msg->u.hello.instance_nonce);
      break;
    case PROTO_TRANSPORT: {
      const proto_transport *t = &msg->u.transport;
      wr64(b, t->block_sample_time);
      wrf64(b + 8, t->song_pos_beats);
      wrf64(b + 16, t->bar_start_beats);
      wrf64(b + 24, t->tempo_bpm);
      wrf64(b + 32, t->loop_start_beats);
      wrf64(b + 40, t->loop_end_beats);
      b[48] = t->ts_num;
      b[49] = t->ts_denom;
      b[50] = t->flags;
      break;
    }
    case PROTO_MIDI_IN:
      wr64(b, msg->u.midi_in.sample_time);
      wrf64(b + 8, msg->u.midi_in.song_pos_beats);
      b[16] = msg->u.midi_in.size;
      for (int i = 0; i < msg->u.midi_in.size; i++) b[17 + i] = msg->u.midi_in.data[i];
      break;
    case PROTO_PARAM:
      wr32(b, msg->u.param.param_id);
      wrf64(b + 4, msg->u.param.value);
      break;
    case PROTO_STATE_GET: wr32(b, msg->u.state_get.request_id); break;
    case PROTO_STATE: wr32(b, msg->u.state.request_id); break;
    case PROTO_PING:
    case PROTO_PONG:
      wr32(b, msg->u.ping.ping_id);
      wr64(b + 4, msg->u.ping.native_time_ns);
      break;
    case PROTO_STATS:
      wr32(b, msg->u.stats.exact);
      wr32(b + 4, msg->u.stats.late);
      wr32(b + 8, msg->u.stats.dropped);
      wr32(b + 12, msg->u.stats.overflow);
      wrf64(b + 16, msg->u.stats.round_trip_ms);
      break;
    case PROTO_MIDI_OUT:
      wrf64(b, msg->u.midi_out.song_pos_beats);
      b[8] = msg->u.midi_out.size;
      for (int i = 0; i < msg->u.midi_out.size; i++) b[9 + i] = msg->u.midi_out.data[i];
      break;
    default: break;
  }
  if (tail_len) memcpy(b + fixed, tail, tail_len);
  return PROTO_HEADER_SIZE + body_len;
}

/* ---- canonical text ---------------------------------------------------------- */

/** Appends with snprintf semantics while tracking the would-be length. */
typedef struct text_out {
  char *buf;
  size_t cap, len;
} text_out;

/** [any thread: pure] */
static void put(text_out *o, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (o->len + 1 < o->cap) o->buf[o->len] = s[i];
    o->len++;
  }
  if (o->cap) o->buf[o->len < o->cap ? o->len : o->cap - 1] = 0;
}
static void puts_(text_out *o, const char *s) { put(o, s, strlen(s)); }
/** [any thread: pure] */
static void put_u(text_out *o, const char *name, uint64_t v) {
  char tmp[48];
  int n = snprintf(tmp, sizeof tmp, " %s=%llu", name, (unsigned long long)v);
  put(o, tmp, (size_t)n);
}
/** [any thread: pure] */
static void put_d(text_out *o, const char *name, double v) {
  char tmp[64];
  puts_(o, " ");
  puts_(o, name);
  puts_(o, "=");
  put(o, tmp, proto_format_double(v, tmp, sizeof tmp));
}
/** [any thread: pure] */
static void put_bytes(text_out *o, const uint8_t *data, int n) {
  char tmp[8];
  puts_(o, " data=");
  for (int i = 0; i < n; i++) {
    int k = snprintf(tmp, sizeof tmp, i ? ",%02x" : "%02x", data[i]);
    put(o, tmp, (size_t)k);
  }
}

/** Mirrors ECMAScript Number::toString for finite doubles (shortest round trip). [any thread: pure] */
size_t proto_format_double(double v, char *out, size_t cap) {
  text_out o = {out, cap, 0};
  if (cap) out[0] = 0;
  if (isnan(v)) { puts_(&o, "NaN"); return o.len; }
  if (isinf(v)) { puts_(&o, v < 0 ? "-Infinity" : "Infinity"); return o.len; }
  if (v == 0) { puts_(&o, "0"); return o.len; }
  if (v < 0) { puts_(&o, "-"); v = -v; }
  char sci[40];
  for (int p = 1; p <= 17; p++) {
    snprintf(sci, sizeof sci, "%.*e", p - 1, v);
    if (strtod(sci, NULL) == v) break;
  }
  char digits[24];
  int k = 0;
  const char *c = sci;
  for (; *c && *c != 'e'; c++)
    if (*c >= '0' && *c <= '9') digits[k++] = *c;
  while (k > 1 && digits[k - 1] == '0') k--;
  digits[k] = 0;
  const int n = atoi(c + 1) + 1; /* value = 0.digits × 10^n */
  if (k <= n && n <= 21) {
    put(&o, digits, (size_t)k);
    for (int i = k; i < n; i++) puts_(&o, "0");
  } else if (0 < n && n <= 21) {
    put(&o, digits, (size_t)n);
    puts_(&o, ".");
    put(&o, digits + n, (size_t)(k - n));
  } else if (-6 < n && n <= 0) {
    puts_(&o, "0.");
    for (int i = 0; i < -n; i++) puts_(&o, "0");
    put(&o, digits, (size_t)k);
  } else {
    char e[16];
    put(&o, digits, 1);
    if (k > 1) {
      puts_(&o, ".");
      put(&o, digits + 1, (size_t)(k - 1));
    }
    int m = snprintf(e, sizeof e, "e%c%d", n - 1 >= 0 ? '+' : '-', abs(n - 1));
    put(&o, e, (size_t)m);
  }
  return o.len;
}

/** [any thread: pure] */
size_t proto_to_text(proto_status status, const proto_msg *m, char *out, size_t cap) {
  text_out o = {out, cap, 0};
  if (cap) out[0] = 0;
  if (status == PROTO_MALFORMED) { puts_(&o, "MALFORMED"); return o.len; }
  if (status == PROTO_UNKNOWN) { puts_(&o, "UNKNOWN"); put_u(&o, "type", m->type); return o.len; }
  const char *name = proto_type_name(m->type);
  puts_(&o, name ? name : "?");
  switch (m->type) {
    case PROTO_HELLO:
      put_u(&o, "sample_rate_hz", m->u.hello.sample_rate_hz);
      put_u(&o, "max_block_frames", m->u.hello.max_block_frames);
      put_u(&o, "instance_nonce", m->u.hello.instance_nonce);
      puts_(&o, " host=");
      put(&o, m->u.hello.host, m->u.hello.host_len);
      break;
    case PROTO_TRANSPORT: {
      const proto_transport *t = &m->u.transport;
      put_u(&o, "block_sample_time", t->block_sample_time);
      put_d(&o, "song_pos_beats", t->song_pos_beats);
      put_d(&o, "bar_start_beats", t->bar_start_beats);
      put_d(&o, "tempo_bpm", t->tempo_bpm);
      put_d(&o, "loop_start_beats", t->loop_start_beats);
      put_d(&o, "loop_end_beats", t->loop_end_beats);
      put_u(&o, "ts_num", t->ts_num);
      put_u(&o, "ts_denom", t->ts_denom);
      put_u(&o, "flags", t->flags);
      break;
    }
    case PROTO_MIDI_IN:
      put_u(&o, "sample_time", m->u.midi_in.sample_time);
      put_d(&o, "song_pos_beats", m->u.midi_in.song_pos_beats);
      put_u(&o, "size", m->u.midi_in.size);
      put_bytes(&o, m->u.midi_in.data, m->u.midi_in.size);
      break;
    case PROTO_PARAM:
      put_u(&o, "param_id", m->u.param.param_id);
      put_d(&o, "value", m->u.param.value);
      break;
    case PROTO_STATE_GET: put_u(&o, "request_id", m->u.state_get.request_id); break;
    case PROTO_STATE:
      put_u(&o, "request_id", m->u.state.request_id);
      puts_(&o, " json=");
      put(&o, m->u.state.json, m->u.state.json_len);
      break;
    case PROTO_STATE_SET:
      puts_(&o, " json=");
      put(&o, m->u.state_set.json, m->u.state_set.json_len);
      break;
    case PROTO_PING:
    case PROTO_PONG:
      put_u(&o, "ping_id", m->u.ping.ping_id);
      put_u(&o, "native_time_ns", m->u.ping.native_time_ns);
      break;
    case PROTO_STATS:
      put_u(&o, "exact", m->u.stats.exact);
      put_u(&o, "late", m->u.stats.late);
      put_u(&o, "dropped", m->u.stats.dropped);
      put_u(&o, "overflow", m->u.stats.overflow);
      put_d(&o, "round_trip_ms", m->u.stats.round_trip_ms);
      break;
    case PROTO_MIDI_OUT:
      put_d(&o, "song_pos_beats", m->u.midi_out.song_pos_beats);
      put_u(&o, "size", m->u.midi_out.size);
      put_bytes(&o, m->u.midi_out.data, m->u.midi_out.size);
      break;
    default: break;
  }
  return o.len;
}
