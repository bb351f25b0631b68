/*
 * server_ws.c: the WebSocket session of the editor server (see server.h):
 * the one connection to the page, its connect sequence, the protocol
 * messages both ways, pings and stats, and the records moved between the
 * socket and the audio thread's rings. Everything here runs on the network
 * thread unless a function says otherwise.
 */
#include "server_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- output -------------------------------------------------------------------------------------- */

/** Appends bytes to the WebSocket output; a client that stops reading is dropped. [network-thread] */
static bool ws_append(ws_conn *c, const void *data, size_t len) {
  if (c->out_len + len > c->out_cap) {
    if (c->out_len + len > WS_OUT_LIMIT) return false;
    size_t cap = c->out_cap ? c->out_cap : 65536;
    while (cap < c->out_len + len) cap *= 2;
    uint8_t *n = realloc(c->out, cap);
    if (!n) return false;
    c->out = n;
    c->out_cap = cap;
  }
  memcpy(c->out + c->out_len, data, len);
  c->out_len += len;
  return true;
}

/** [network-thread] */
static bool ws_send_frame(ws_conn *c, uint8_t opcode, const void *payload, size_t len) {
  uint8_t h[10];
  const size_t hl = ws_frame_header(h, opcode, len);
  return ws_append(c, h, hl) && (len == 0 || ws_append(c, payload, len));
}

/** Sends one protocol message as a binary frame. [network-thread] */
static void send_msg(di_server *s, const proto_msg *m) {
  if (s->ws.sock == PLAT_BAD_SOCKET || s->ws.closing) return;
  uint8_t small[512];
  size_t tail = 0;
  if (m->type == PROTO_STATE_SET) tail = m->u.state_set.json_len;
  if (m->type == PROTO_HELLO) tail = m->u.hello.host_len;
  uint8_t *buf = tail + 64 > sizeof small ? malloc(tail + 64) : small;
  if (!buf) return;
  const size_t n = proto_encode(m, buf, tail + 64 > sizeof small ? tail + 64 : sizeof small);
  if (n && !ws_send_frame(&s->ws, WS_OP_BINARY, buf, n)) s->ws.closing = true;
  if (buf != small) free(buf);
}

/** [network-thread] */
static void send_close(ws_conn *c, uint16_t code) {
  const uint8_t payload[2] = {(uint8_t)(code >> 8), (uint8_t)code};
  ws_send_frame(c, WS_OP_CLOSE, payload, 2);
  c->closing = true;
}

/** [network-thread] */
static void send_param(di_server *s, uint32_t index) {
  proto_msg m;
  memset(&m, 0, sizeof m);
  m.type = PROTO_PARAM;
  m.u.param.param_id = di_param_id(index);
  m.u.param.value = di_param_get(s->p, index);
  send_msg(s, &m);
}

/** [network-thread] */
static void send_transport(di_server *s, const a2n_msg *t) {
  proto_msg m;
  memset(&m, 0, sizeof m);
  m.type = PROTO_TRANSPORT;
  m.u.transport.block_sample_time = t->sample_time;
  m.u.transport.song_pos_beats = t->beats;
  m.u.transport.bar_start_beats = t->bar_start;
  m.u.transport.tempo_bpm = t->tempo;
  m.u.transport.loop_start_beats = t->loop_start;
  m.u.transport.loop_end_beats = t->loop_end;
  m.u.transport.ts_num = t->ts_num;
  m.u.transport.ts_denom = t->ts_denom;
  m.u.transport.flags = t->flags;
  send_msg(s, &m);
}

/** Sends STATE_SET (and then every parameter) when the host loaded a state this page has not had. [network-thread] */
static void send_pending_state(di_server *s) {
  di_plugin *p = s->p;
  if (s->ws.sock == PLAT_BAD_SOCKET) return;
  plat_mutex_lock(p->state_lock);
  char *json = NULL;
  size_t len = 0;
  const uint32_t gen = p->state_gen;
  if (p->state_pending_set && p->state_json && s->ws.state_gen_sent != gen) {
    json = malloc(p->state_len + 1);
    if (json) {
      memcpy(json, p->state_json, p->state_len);
      len = p->state_len;
    }
  }
  plat_mutex_unlock(p->state_lock);
  if (!json) return;
  s->ws.state_gen_sent = gen;
  proto_msg m;
  memset(&m, 0, sizeof m);
  m.type = PROTO_STATE_SET;
  m.u.state_set.json = json;
  m.u.state_set.json_len = (uint32_t)len;
  send_msg(s, &m);
  free(json);
  for (uint32_t i = 0; i < di_param_count(); i++) send_param(s, i);
}

/** The connect sequence: HELLO, STATE_SET if pending, PARAMs, TRANSPORT. [network-thread] */
static void on_ws_open(di_server *s) {
  di_plugin *p = s->p;
  proto_msg m;
  memset(&m, 0, sizeof m);
  m.type = PROTO_HELLO;
  m.u.hello.sample_rate_hz = (uint32_t)atomic_load(&p->sample_rate_hz);
  m.u.hello.max_block_frames = (uint32_t)atomic_load(&p->max_frames);
  m.u.hello.instance_nonce = p->instance_nonce;
  m.u.hello.host = p->host->name ? p->host->name : "";
  m.u.hello.host_len = (uint32_t)strlen(m.u.hello.host);
  send_msg(s, &m);
  const uint32_t before = s->ws.state_gen_sent;
  send_pending_state(s);
  if (s->ws.state_gen_sent == before)
    for (uint32_t i = 0; i < di_param_count(); i++) send_param(s, i);
  if (s->have_transport) send_transport(s, &s->last_transport);
  n2a_msg c = {.kind = N2A_CONNECTED};
  ring_push(&p->n2a, &c);
  s->next_ping_ns = plat_now_ns();
  s->next_stats_ns = s->next_ping_ns + STATS_INTERVAL_NS;
}

/** [network-thread] */
static void ws_drop(di_server *s) {
  ws_conn *c = &s->ws;
  if (c->sock == PLAT_BAD_SOCKET) return;
  plat_close(c->sock);
  char line[160];
  snprintf(line, sizeof line, "Deep Improv: page disconnected (malformed %u, unknown %u, text %u)", c->malformed,
           c->unknown, c->text_frames);
  di_log(s->p, CLAP_LOG_DEBUG, line);
  free(c->msg);
  free(c->out);
  memset(c, 0, sizeof *c);
  c->sock = PLAT_BAD_SOCKET;
  n2a_msg m = {.kind = N2A_DISCONNECTED};
  ring_push(&s->p->n2a, &m); /* a full ring means the audio thread is not draining: nothing sounds */
}

/** [network-thread] */
void srv_ws_handle(di_server *s, const uint8_t *buf, size_t len) {
  di_plugin *p = s->p;
  proto_msg m;
  const proto_status st = proto_decode(buf, len, &m);
  if (st == PROTO_MALFORMED) {
    s->ws.malformed++;
    return;
  }
  if (st == PROTO_UNKNOWN) {
    s->ws.unknown++;
    return;
  }
  switch (m.type) {
    case PROTO_MIDI_OUT: {
      n2a_msg r;
      memset(&r, 0, sizeof r);
      r.kind = N2A_MIDI_OUT;
      r.beats = m.u.midi_out.song_pos_beats;
      r.size = m.u.midi_out.size;
      memcpy(r.data, m.u.midi_out.data, 3);
      if (!ring_push(&p->n2a, &r)) s->net_overflow++;
      break;
    }
    case PROTO_ALL_NOTES_OFF: {
      n2a_msg r = {.kind = N2A_ALL_NOTES_OFF};
      if (!ring_push(&p->n2a, &r)) s->net_overflow++;
      break;
    }
    case PROTO_PARAM: {
      const int index = di_param_index(m.u.param.param_id);
      double v = m.u.param.value;
      if (index < 0 || !di_param_coerce((uint32_t)index, &v)) {
        s->ws.unknown++;
        break;
      }
      di_param_set(p, (uint32_t)index, v);
      n2a_msg r;
      memset(&r, 0, sizeof r);
      r.kind = N2A_PARAM;
      r.param_index = (uint32_t)index;
      r.value = v;
      if (!ring_push(&p->n2a, &r)) s->net_overflow++;
      if (p->host_params && p->host_params->request_flush) p->host_params->request_flush(p->host);
      break;
    }
    case PROTO_STATE: di_state_store_from_page(p, m.u.state.json, m.u.state.json_len); break;
    case PROTO_PONG:
      if (m.u.ping.ping_id == s->ping_id && m.u.ping.native_time_ns == s->ping_sent_ns)
        s->rtt_ms = (double)(plat_now_ns() - s->ping_sent_ns) / 1e6;
      break;
    default: s->ws.unknown++; break; /* a native -> page type coming back */
  }
}

/** [network-thread] */
void srv_ws_read(di_server *s) {
  ws_conn *c = &s->ws;
  uint8_t buf[65536];
  for (;;) {
    const long n = plat_recv(c->sock, buf, sizeof buf);
    if (n < 0) {
      ws_drop(s);
      return;
    }
    if (n == 0) return;
    size_t off = 0;
    while (off < (size_t)n && !c->closing) {
      ws_event ev;
      off += ws_reader_feed(&c->reader, buf + off, (size_t)n - off, &ev);
      switch (ev.type) {
        case WS_EV_MESSAGE:
          if (ev.opcode == WS_OP_BINARY) srv_ws_handle(s, ev.data, ev.len);
          else c->text_frames++;
          break;
        case WS_EV_PING:
          if (!ws_send_frame(c, WS_OP_PONG, ev.data, ev.len)) c->closing = true;
          break;
        case WS_EV_CLOSE: send_close(c, ev.close_code == 1005 ? WS_CLOSE_NORMAL : ev.close_code); break;
        case WS_EV_ERROR: send_close(c, ev.close_code); break;
        default: break;
      }
      if (ev.type == WS_EV_NONE) break;
    }
    if (c->closing) return;
  }
}

/* ---- connection ------------------------------------------------------------------------------------ */

/** [network-thread] */
bool srv_ws_open(di_server *s, plat_socket sock, const char *key, size_t key_len, const uint8_t *early,
                 size_t early_len) {
  ws_conn *c = &s->ws;
  memset(c, 0, sizeof *c);
  c->msg = malloc(WS_MSG_CAP);
  if (!c->msg) {
    c->sock = PLAT_BAD_SOCKET;
    return false;
  }
  char accept[29];
  ws_accept_key(key, key_len, accept);
  char head[256];
  const int n = snprintf(head, sizeof head,
                         "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                         "Sec-WebSocket-Accept: %s\r\n\r\n",
                         accept);
  c->sock = sock;
  ws_reader_init(&c->reader, c->msg, WS_MSG_CAP);
  ws_append(c, head, (size_t)n);
  on_ws_open(s);
  size_t off = 0;
  while (off < early_len && !c->closing) { /* frames that arrived with the handshake */
    ws_event ev;
    off += ws_reader_feed(&c->reader, early + off, early_len - off, &ev);
    if (ev.type == WS_EV_MESSAGE && ev.opcode == WS_OP_BINARY) srv_ws_handle(s, ev.data, ev.len);
    else if (ev.type == WS_EV_ERROR || ev.type == WS_EV_CLOSE) send_close(c, ev.type == WS_EV_ERROR ? ev.close_code : 1000);
    else if (ev.type == WS_EV_NONE) break;
  }
  return true;
}

/* ---- the loop's turn ---------------------------------------------------------------------------------- */

/** [network-thread] */
static void drain_audio(di_server *s) {
  a2n_msg m;
  while (ring_pop(&s->p->a2n, &m)) {
    const bool open = s->ws.sock != PLAT_BAD_SOCKET;
    switch (m.kind) {
      case A2N_TRANSPORT:
        s->last_transport = m;
        s->have_transport = true;
        if (open) send_transport(s, &m);
        break;
      case A2N_MIDI_IN:
        if (open) {
          proto_msg pm;
          memset(&pm, 0, sizeof pm);
          pm.type = PROTO_MIDI_IN;
          pm.u.midi_in.sample_time = m.sample_time;
          pm.u.midi_in.song_pos_beats = m.beats;
          pm.u.midi_in.size = m.size;
          memcpy(pm.u.midi_in.data, m.data, 3);
          send_msg(s, &pm);
        }
        break;
      case A2N_PARAM:
        if (open) send_param(s, m.param_index);
        break;
      default: break;
    }
  }
}

/** [network-thread] */
static void timers(di_server *s) {
  if (s->ws.sock == PLAT_BAD_SOCKET) return;
  const uint64_t now = plat_now_ns();
  if (now >= s->next_ping_ns) {
    proto_msg m;
    memset(&m, 0, sizeof m);
    m.type = PROTO_PING;
    m.u.ping.ping_id = ++s->ping_id;
    m.u.ping.native_time_ns = now;
    s->ping_sent_ns = now;
    send_msg(s, &m);
    s->next_ping_ns = now + PING_INTERVAL_NS;
  }
  if (now >= s->next_stats_ns) {
    di_plugin *p = s->p;
    proto_msg m;
    memset(&m, 0, sizeof m);
    m.type = PROTO_STATS;
    m.u.stats.exact = (uint32_t)atomic_load_explicit(&p->stat_exact, memory_order_relaxed);
    m.u.stats.late = (uint32_t)atomic_load_explicit(&p->stat_late, memory_order_relaxed);
    m.u.stats.dropped = (uint32_t)atomic_load_explicit(&p->stat_dropped, memory_order_relaxed);
    m.u.stats.overflow = (uint32_t)atomic_load_explicit(&p->stat_overflow, memory_order_relaxed) + s->net_overflow;
    m.u.stats.round_trip_ms = s->rtt_ms;
    send_msg(s, &m);
    s->next_stats_ns = now + STATS_INTERVAL_NS;
  }
}

/** [network-thread] */
void srv_ws_tick(di_server *s) {
  send_pending_state(s);
  drain_audio(s);
  timers(s);
  if (s->ws.sock != PLAT_BAD_SOCKET) {
    ws_conn *c = &s->ws;
    if (!srv_flush_out(c->sock, c->out, c->out_len, &c->out_pos)) ws_drop(s);
    else if (c->out_pos >= c->out_len) {
      c->out_pos = c->out_len = 0;
      if (c->closing) ws_drop(s);
    }
  }
}

/** [main-thread] */
void srv_ws_shutdown(di_server *s, uint16_t code) {
  if (s->ws.sock != PLAT_BAD_SOCKET) {
    send_close(&s->ws, code);
    srv_flush_out(s->ws.sock, s->ws.out, s->ws.out_len, &s->ws.out_pos);
    plat_close(s->ws.sock);
  }
  free(s->ws.msg);
  free(s->ws.out);
}
