/*
 * server.c: the network thread of one instance (see server.h). It serves
 * files from the resource folder, upgrades /<token>/ws to the WebSocket,
 * speaks the protocol with the page and moves records between the socket
 * and the audio thread's rings. Everything here runs on the network thread
 * unless a function says otherwise.
 *
 * One WebSocket client at a time: a second upgrade request gets 409 while
 * the first is open (the page that holds the connection keeps it).
 */
#include "server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "protocol.h"
#include "websocket.h"

#define MAX_HTTP 32
#define POLL_MS 5
#define PING_INTERVAL_NS 250000000ull
#define STATS_INTERVAL_NS 500000000ull
#define HTTP_IDLE_NS 10000000000ull
#define HTTP_LINGER_NS 2000000000ull
#define WS_OUT_LIMIT ((size_t)32 << 20)
#define WS_MSG_CAP (PROTO_HEADER_SIZE + PROTO_MAX_BODY)
#define MAX_FILE ((size_t)512 << 20)

typedef struct http_conn {
  plat_socket sock; /* PLAT_BAD_SOCKET: free slot */
  char in[HTTP_MAX_HEAD + 1];
  size_t in_len;
  uint8_t *out;
  size_t out_len, out_pos;
  bool responded;
  bool draining; /* response sent and send side shut: read and discard until the peer closes */
  uint64_t born_ns;
} http_conn;

typedef struct ws_conn {
  plat_socket sock; /* PLAT_BAD_SOCKET: no client */
  ws_reader reader;
  uint8_t *msg;
  uint8_t *out;
  size_t out_len, out_pos, out_cap;
  bool closing; /* close once the output is written */
  uint32_t state_gen_sent;
  uint32_t malformed, unknown, text_frames;
} ws_conn;

typedef struct inbox_item {
  struct inbox_item *next;
  size_t len;
  uint8_t data[];
} inbox_item;

struct di_server {
  di_plugin *p;
  plat_socket listener;
  uint16_t port;
  char token[33];
  plat_thread *thread;
  atomic_bool stop;
  plat_waker *waker;
  http_conn http[MAX_HTTP];
  ws_conn ws;
  plat_mutex *inbox_lock;
  inbox_item *inbox_head, *inbox_tail;
  uint32_t ping_id;
  uint64_t ping_sent_ns, next_ping_ns, next_stats_ns;
  double rtt_ms;
  a2n_msg last_transport;
  bool have_transport;
  uint32_t net_overflow; /* MIDI_OUT records the ring could not take */
};

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

/** Writes what the socket takes now; false when the peer is gone. [network-thread] */
static bool flush_out(plat_socket sock, const uint8_t *out, size_t len, size_t *pos) {
  while (*pos < len) {
    const long n = plat_send(sock, out + *pos, len - *pos);
    if (n < 0) return false;
    if (n == 0) return true;
    *pos += (size_t)n;
  }
  return true;
}

/* ---- WebSocket connection ---------------------------------------------------------------------- */

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

/** Handles one protocol message from the page (socket or webview). [network-thread] */
static void handle_page_msg(di_server *s, const uint8_t *buf, size_t len) {
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

/** Reads and handles WebSocket input. [network-thread] */
static void ws_read(di_server *s) {
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
          if (ev.opcode == WS_OP_BINARY) handle_page_msg(s, ev.data, ev.len);
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

/* ---- HTTP ------------------------------------------------------------------------------------------ */

/** [network-thread] */
static void http_reply(http_conn *h, int status, const char *type, const uint8_t *body, size_t body_len) {
  char head[512];
  const int hl = snprintf(head, sizeof head,
                          "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\nCache-Control: no-store\r\n"
                          "X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
                          status, http_reason(status), type, body_len);
  free(h->out);
  h->out = malloc((size_t)hl + body_len);
  h->out_pos = 0;
  h->out_len = 0;
  h->responded = true;
  if (!h->out) return;
  memcpy(h->out, head, (size_t)hl);
  if (body_len) memcpy(h->out + hl, body, body_len);
  h->out_len = (size_t)hl + body_len;
}

/** [network-thread] */
static void http_error(http_conn *h, int status) {
  char body[96];
  const int n = snprintf(body, sizeof body, "%d %s\n", status, http_reason(status));
  http_reply(h, status, "text/plain; charset=utf-8", (const uint8_t *)body, (size_t)n);
}

/** [network-thread] */
static void http_free(http_conn *h) {
  if (h->sock != PLAT_BAD_SOCKET) plat_close(h->sock);
  free(h->out);
  h->out = NULL;
  h->sock = PLAT_BAD_SOCKET;
  h->in_len = h->out_len = h->out_pos = 0;
  h->responded = false;
  h->draining = false;
}

/**
 * After the response: shut the send side and read until the peer closes, so
 * unread request bytes (an oversized head) do not turn the close into a
 * reset that could destroy the response in flight (RFC 9112 §9.6).
 * [network-thread]
 */
static void http_linger(http_conn *h, uint64_t now) {
  plat_shutdown_send(h->sock);
  h->draining = true;
  h->born_ns = now;
}

/** Turns a parsed upgrade request into the WebSocket connection. [network-thread] */
static void upgrade(di_server *s, http_conn *h, const http_request *req) {
  ws_conn *c = &s->ws;
  memset(c, 0, sizeof *c);
  c->msg = malloc(WS_MSG_CAP);
  if (!c->msg) {
    c->sock = PLAT_BAD_SOCKET;
    http_error(h, 503);
    return;
  }
  char accept[29];
  ws_accept_key(req->ws_key.p, req->ws_key.len, accept);
  char head[256];
  const int n = snprintf(head, sizeof head,
                         "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                         "Sec-WebSocket-Accept: %s\r\n\r\n",
                         accept);
  c->sock = h->sock;
  ws_reader_init(&c->reader, c->msg, WS_MSG_CAP);
  ws_append(c, head, (size_t)n);
  const size_t extra = h->in_len - req->head_len;
  uint8_t early[HTTP_MAX_HEAD];
  memcpy(early, h->in + req->head_len, extra);
  h->sock = PLAT_BAD_SOCKET; /* the socket now belongs to the WebSocket */
  http_free(h);
  on_ws_open(s);
  size_t off = 0;
  while (off < extra && !c->closing) { /* frames that arrived with the handshake */
    ws_event ev;
    off += ws_reader_feed(&c->reader, early + off, extra - off, &ev);
    if (ev.type == WS_EV_MESSAGE && ev.opcode == WS_OP_BINARY) handle_page_msg(s, ev.data, ev.len);
    else if (ev.type == WS_EV_ERROR || ev.type == WS_EV_CLOSE) send_close(c, ev.type == WS_EV_ERROR ? ev.close_code : 1000);
    else if (ev.type == WS_EV_NONE) break;
  }
}

/** Answers a complete request head. [network-thread] */
static void http_handle(di_server *s, http_conn *h) {
  http_request req;
  const http_parse_result r = http_parse(h->in, h->in_len, &req);
  if (r == HTTP_INCOMPLETE) return;
  if (r != HTTP_PARSED) {
    http_error(h, (int)r);
    return;
  }
  http_route route;
  const int status = http_route_request(&req, s->token, s->port, &route);
  if (status) {
    http_error(h, status);
    return;
  }
  if (route.kind == HTTP_ROUTE_WEBSOCKET) {
    if (s->ws.sock != PLAT_BAD_SOCKET) http_error(h, 409);
    else upgrade(s, h, &req);
    return;
  }
  char path[CLAP_PATH_SIZE + HTTP_MAX_PATH + 2];
  snprintf(path, sizeof path, "%s/%s", di_resource_dir(), route.path);
  uint8_t *data = NULL;
  size_t len = 0;
  if (!plat_read_file(path, MAX_FILE, &data, &len)) {
    http_error(h, 404);
    return;
  }
  http_reply(h, 200, http_content_type(route.path), data, len);
  free(data);
}

/** [network-thread] */
static void http_read(di_server *s, http_conn *h) {
  for (;;) {
    if (h->in_len >= HTTP_MAX_HEAD) break;
    const long n = plat_recv(h->sock, h->in + h->in_len, HTTP_MAX_HEAD - h->in_len);
    if (n < 0) {
      http_free(h);
      return;
    }
    if (n == 0) break;
    h->in_len += (size_t)n;
  }
  h->in[h->in_len] = 0;
  if (!h->responded) http_handle(s, h);
}

/* ---- the loop ---------------------------------------------------------------------------------------- */

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
static void drain_inbox(di_server *s) {
  plat_mutex_lock(s->inbox_lock);
  inbox_item *it = s->inbox_head;
  s->inbox_head = s->inbox_tail = NULL;
  plat_mutex_unlock(s->inbox_lock);
  while (it) {
    inbox_item *next = it->next;
    handle_page_msg(s, it->data, it->len);
    free(it);
    it = next;
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
static void server_main(void *arg) {
  di_server *s = arg;
  plat_pollfd fds[2 + MAX_HTTP];
  int map[2 + MAX_HTTP];
  while (!atomic_load(&s->stop)) {
    int n = 0;
    fds[n] = (plat_pollfd){s->listener, PLAT_POLL_IN, 0};
    map[n++] = -1;
    if (s->ws.sock != PLAT_BAD_SOCKET) {
      fds[n] = (plat_pollfd){s->ws.sock, PLAT_POLL_IN | (s->ws.out_pos < s->ws.out_len ? PLAT_POLL_OUT : 0), 0};
      map[n++] = -2;
    }
    for (int i = 0; i < MAX_HTTP; i++) {
      http_conn *h = &s->http[i];
      if (h->sock == PLAT_BAD_SOCKET) continue;
      fds[n] = (plat_pollfd){h->sock, (h->responded && !h->draining) ? PLAT_POLL_OUT : PLAT_POLL_IN, 0};
      map[n++] = i;
    }
    if (plat_poll(fds, n, s->waker, POLL_MS) < 0) plat_sleep_ms(POLL_MS);
    const uint64_t now = plat_now_ns();
    for (int k = 0; k < n; k++) {
      if (map[k] == -1 && fds[k].ready) {
        plat_socket c;
        while ((c = plat_accept(s->listener)) != PLAT_BAD_SOCKET) {
          int slot = -1;
          for (int i = 0; i < MAX_HTTP && slot < 0; i++)
            if (s->http[i].sock == PLAT_BAD_SOCKET) slot = i;
          if (slot < 0) {
            plat_close(c);
            continue;
          }
          http_conn *h = &s->http[slot];
          h->sock = c;
          h->in_len = 0;
          h->responded = false;
          h->born_ns = now;
          http_read(s, h); /* the request is often there already */
        }
      } else if (map[k] == -2) {
        if (fds[k].ready & (PLAT_POLL_IN | PLAT_POLL_ERR)) ws_read(s);
      } else if (map[k] >= 0 && fds[k].ready) {
        http_conn *h = &s->http[map[k]];
        if (h->sock != PLAT_BAD_SOCKET && h->draining) {
          char sink[4096];
          long r;
          while ((r = plat_recv(h->sock, sink, sizeof sink)) > 0) {
          }
          if (r < 0) http_free(h);
        } else if (h->sock != PLAT_BAD_SOCKET && !h->responded) {
          http_read(s, h);
        }
      }
    }
    for (int i = 0; i < MAX_HTTP; i++) { /* write responses, close finished or idle ones */
      http_conn *h = &s->http[i];
      if (h->sock == PLAT_BAD_SOCKET) continue;
      if (h->draining) {
        if (now - h->born_ns > HTTP_LINGER_NS) http_free(h);
      } else if (h->responded) {
        if (!flush_out(h->sock, h->out, h->out_len, &h->out_pos)) http_free(h);
        else if (h->out_pos >= h->out_len) http_linger(h, now);
      } else if (now - h->born_ns > HTTP_IDLE_NS) {
        http_free(h);
      }
    }
    drain_inbox(s);
    send_pending_state(s);
    drain_audio(s);
    timers(s);
    if (s->ws.sock != PLAT_BAD_SOCKET) {
      ws_conn *c = &s->ws;
      if (!flush_out(c->sock, c->out, c->out_len, &c->out_pos)) ws_drop(s);
      else if (c->out_pos >= c->out_len) {
        c->out_pos = c->out_len = 0;
        if (c->closing) ws_drop(s);
      }
    }
  }
}

/* ---- lifecycle (main thread) ---------------------------------------------------------------------- */

/** [main-thread] */
di_server *di_server_start(di_plugin *p) {
  di_server *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->p = p;
  s->ws.sock = PLAT_BAD_SOCKET;
  for (int i = 0; i < MAX_HTTP; i++) s->http[i].sock = PLAT_BAD_SOCKET;
  atomic_init(&s->stop, false);
  uint8_t raw[16];
  if (!plat_random(raw, sizeof raw)) {
    free(s);
    return NULL;
  }
  for (int i = 0; i < 16; i++) snprintf(s->token + 2 * i, 3, "%02x", raw[i]);
  const char *env = plat_getenv("DEEP_IMPROV_PORT");
  const long base = env && *env ? strtol(env, NULL, 10) : 0;
  s->listener = PLAT_BAD_SOCKET;
  if (base > 0 && base < 65536) {
    for (long port = base; port <= base + 15 && port < 65536 && s->listener == PLAT_BAD_SOCKET; port++)
      s->listener = plat_listen_loopback((uint16_t)port, &s->port);
  } else {
    s->listener = plat_listen_loopback(0, &s->port);
  }
  s->waker = plat_waker_new();
  s->inbox_lock = plat_mutex_new();
  if (s->listener == PLAT_BAD_SOCKET || !s->waker || !s->inbox_lock) goto fail;
  s->thread = plat_thread_start(server_main, s);
  if (!s->thread) goto fail;
  return s;
fail:
  plat_close(s->listener);
  plat_waker_free(s->waker);
  plat_mutex_free(s->inbox_lock);
  free(s);
  return NULL;
}

/** [main-thread] */
void di_server_stop(di_server *s) {
  atomic_store(&s->stop, true);
  plat_waker_signal(s->waker);
  plat_thread_join(s->thread);
  if (s->ws.sock != PLAT_BAD_SOCKET) {
    send_close(&s->ws, 1001);
    flush_out(s->ws.sock, s->ws.out, s->ws.out_len, &s->ws.out_pos);
    plat_close(s->ws.sock);
  }
  free(s->ws.msg);
  free(s->ws.out);
  for (int i = 0; i < MAX_HTTP; i++) http_free(&s->http[i]);
  inbox_item *it = s->inbox_head;
  while (it) {
    inbox_item *next = it->next;
    free(it);
    it = next;
  }
  plat_close(s->listener);
  plat_waker_free(s->waker);
  plat_mutex_free(s->inbox_lock);
  free(s);
}

uint16_t di_server_port(const di_server *s) { return s->port; }
const char *di_server_token(const di_server *s) { return s->token; }

/** [main-thread] */
bool di_server_post(di_server *s, const uint8_t *msg, size_t len) {
  if (len > WS_MSG_CAP) return false;
  inbox_item *it = malloc(sizeof *it + (len ? len : 1));
  if (!it) return false;
  it->next = NULL;
  it->len = len;
  memcpy(it->data, msg, len);
  plat_mutex_lock(s->inbox_lock);
  if (s->inbox_tail) s->inbox_tail->next = it;
  else s->inbox_head = it;
  s->inbox_tail = it;
  plat_mutex_unlock(s->inbox_lock);
  plat_waker_signal(s->waker);
  return true;
}

/** [main-thread] */
void di_server_wake(di_server *s) { plat_waker_signal(s->waker); }
