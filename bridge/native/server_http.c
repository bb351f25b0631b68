/*
 * server_http.c: the editor server's HTTP side (see server.h): files from
 * the resource folder under /<token>/, one response per connection, and the
 * upgrade of /<token>/ws to the WebSocket session (server_ws.c). One
 * WebSocket client at a time: a second upgrade request gets 409 while the
 * first is open (the page that holds the connection keeps it). Everything
 * here runs on the network thread.
 */
#include "server_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
void srv_http_free(http_conn *h) {
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
  const size_t extra = h->in_len - req->head_len;
  uint8_t early[HTTP_MAX_HEAD];
  memcpy(early, h->in + req->head_len, extra);
  if (!srv_ws_open(s, h->sock, req->ws_key.p, req->ws_key.len, early, extra)) {
    http_error(h, 503);
    return;
  }
  h->sock = PLAT_BAD_SOCKET; /* the socket now belongs to the WebSocket */
  srv_http_free(h);
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
      srv_http_free(h);
      return;
    }
    if (n == 0) break;
    h->in_len += (size_t)n;
  }
  h->in[h->in_len] = 0;
  if (!h->responded) http_handle(s, h);
}

/** [network-thread] */
void srv_http_accept(di_server *s, uint64_t now) {
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
}

/** [network-thread] */
void srv_http_ready(di_server *s, int i) {
  http_conn *h = &s->http[i];
  if (h->sock != PLAT_BAD_SOCKET && h->draining) {
    char sink[4096];
    long r;
    while ((r = plat_recv(h->sock, sink, sizeof sink)) > 0) {
    }
    if (r < 0) srv_http_free(h);
  } else if (h->sock != PLAT_BAD_SOCKET && !h->responded) {
    http_read(s, h);
  }
}

/** [network-thread] */
void srv_http_service(di_server *s, uint64_t now) {
  for (int i = 0; i < MAX_HTTP; i++) {
    http_conn *h = &s->http[i];
    if (h->sock == PLAT_BAD_SOCKET) continue;
    if (h->draining) {
      if (now - h->born_ns > HTTP_LINGER_NS) srv_http_free(h);
    } else if (h->responded) {
      if (!srv_flush_out(h->sock, h->out, h->out_len, &h->out_pos)) srv_http_free(h);
      else if (h->out_pos >= h->out_len) http_linger(h, now);
    } else if (now - h->born_ns > HTTP_IDLE_NS) {
      srv_http_free(h);
    }
  }
}
