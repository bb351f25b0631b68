/*
 * server.c: the network thread of one instance (see server.h) and its
 * lifecycle: the listener, the token, the poll loop that drives the HTTP
 * side (server_http.c) and the WebSocket session (server_ws.c), and the
 * inbox through which other channels (the webview) hand messages to the
 * thread. Everything here runs on the network thread unless a function says
 * otherwise.
 */
#include "server_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the loop ---------------------------------------------------------------------------------------- */

/** [network-thread] */
static void drain_inbox(di_server *s) {
  plat_mutex_lock(s->inbox_lock);
  inbox_item *it = s->inbox_head;
  s->inbox_head = s->inbox_tail = NULL;
  plat_mutex_unlock(s->inbox_lock);
  while (it) {
    inbox_item *next = it->next;
    srv_ws_handle(s, it->data, it->len);
    free(it);
    it = next;
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
      if (map[k] == -1 && fds[k].ready) srv_http_accept(s, now);
      else if (map[k] == -2) {
        if (fds[k].ready & (PLAT_POLL_IN | PLAT_POLL_ERR)) srv_ws_read(s);
      } else if (map[k] >= 0 && fds[k].ready) {
        srv_http_ready(s, map[k]);
      }
    }
    srv_http_service(s, now); /* write responses, close finished or idle ones */
    drain_inbox(s);
    srv_ws_tick(s);
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
  srv_ws_shutdown(s, 1001);
  for (int i = 0; i < MAX_HTTP; i++) srv_http_free(&s->http[i]);
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
