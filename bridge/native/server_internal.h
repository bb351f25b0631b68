/*
 * server_internal.h: what the editor server's files share (server.c, the
 * thread and its lifecycle; server_http.c, the file server and the upgrade;
 * server_ws.c, the WebSocket session with the page). Not part of the
 * plugin's interface: only these three files include it.
 */
#ifndef DEEP_IMPROV_SERVER_INTERNAL_H
#define DEEP_IMPROV_SERVER_INTERNAL_H

#include "server.h"

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

/** Writes what the socket takes now; false when the peer is gone. [network-thread] */
static inline bool srv_flush_out(plat_socket sock, const uint8_t *out, size_t len, size_t *pos) {
  while (*pos < len) {
    const long n = plat_send(sock, out + *pos, len - *pos);
    if (n < 0) return false;
    if (n == 0) return true;
    *pos += (size_t)n;
  }
  return true;
}

/* ---- HTTP (server_http.c) --------------------------------------------------------------------------- */

/** Takes every pending connection from the listener into a free slot (refused when none is free). [network-thread] */
void srv_http_accept(di_server *s, uint64_t now);
/** Handles readiness of HTTP slot `i`: reads the request, or discards input while lingering. [network-thread] */
void srv_http_ready(di_server *s, int i);
/** Writes responses, closes finished, lingering-too-long and idle connections. [network-thread] */
void srv_http_service(di_server *s, uint64_t now);
/** Closes a slot and frees its buffers (a free slot is left as is). [network-thread] */
void srv_http_free(http_conn *h);

/* ---- WebSocket session (server_ws.c) -------------------------------------------------------------- */

/**
 * Makes `sock` the WebSocket connection: queues the 101 reply for `key`,
 * runs the connect sequence and handles the `early_len` bytes of frames
 * that arrived with the handshake. False (nothing taken) when out of memory.
 * [network-thread]
 */
bool srv_ws_open(di_server *s, plat_socket sock, const char *key, size_t key_len, const uint8_t *early,
                 size_t early_len);
/** Reads and handles WebSocket input. [network-thread] */
void srv_ws_read(di_server *s);
/** Handles one protocol message from the page (socket or webview). [network-thread] */
void srv_ws_handle(di_server *s, const uint8_t *buf, size_t len);
/** One turn of the loop: a loaded state, the audio thread's records, ping and stats, then the output. [network-thread] */
void srv_ws_tick(di_server *s);
/** Sends a close frame with `code`, writes what the socket takes and closes it. [main-thread, thread stopped] */
void srv_ws_shutdown(di_server *s, uint16_t code);

#endif
