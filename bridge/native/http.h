/*
 * http.h: the HTTP/1.1 request-head parser and router of the editor server
 * (server.c): parses a GET request head, checks the token, Host and Origin
 * headers (DNS-rebinding and cross-site guards) and maps the path into the
 * resource folder. Pure code over the caller's buffer. [network-thread]
 */
#ifndef DEEP_IMPROV_HTTP_H
#define DEEP_IMPROV_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_MAX_HEAD 16384u
#define HTTP_MAX_PATH 1024u

/** A string inside the request buffer (len 0 and `present` false when absent). */
typedef struct http_str {
  const char *p;
  size_t len;
  bool present;
} http_str;

typedef struct http_request {
  http_str method, target, version;
  http_str host, origin, upgrade, connection, ws_key, ws_version;
  size_t head_len; /* bytes up to and including the blank line */
} http_request;

typedef enum http_parse_result {
  HTTP_INCOMPLETE = 0, /* no blank line yet and under the limit */
  HTTP_PARSED = 1,
  HTTP_BAD = 400,
  HTTP_TOO_LARGE = 431
} http_parse_result;

/** Parses the request head at the start of `buf` (`len` bytes received so far). */
http_parse_result http_parse(const char *buf, size_t len, http_request *req);

/** What a parsed request asks for. */
typedef enum http_route_kind { HTTP_ROUTE_FILE, HTTP_ROUTE_WEBSOCKET } http_route_kind;

typedef struct http_route {
  http_route_kind kind;
  char path[HTTP_MAX_PATH]; /* FILE: decoded path relative to the resource folder */
} http_route;

/**
 * Checks and routes a parsed request for the server on 127.0.0.1:`port`
 * with `token` (32 hex chars). Returns 0 with *route filled, or the HTTP
 * status to answer: 405 (not GET), 403 (wrong Host, Origin or token), 400
 * (bad WebSocket upgrade), 404 (path escapes the folder or is empty).
 */
int http_route_request(const http_request *req, const char *token, uint16_t port, http_route *route);

/** The Content-Type for a file name by its extension. */
const char *http_content_type(const char *path);

/** The reason phrase of a status code ("Forbidden"). */
const char *http_reason(int status);

#endif
