/* http.c: request-head parsing and routing of http.h. */
#include "http.h"

#include <stdio.h>
#include <string.h>

/** [any thread: pure] */
static bool is_tchar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("!#$%&'*+-.^_`|~", c);
}

static char lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c; }

/** [any thread: pure] */
static bool str_ieq(http_str s, const char *lit) {
  const size_t n = strlen(lit);
  if (s.len != n) return false;
  for (size_t i = 0; i < n; i++)
    if (lower(s.p[i]) != lower(lit[i])) return false;
  return true;
}

static bool str_eq(http_str s, const char *lit) { return s.len == strlen(lit) && memcmp(s.p, lit, s.len) == 0; }

/** True when the comma-separated header value holds `token` (case-insensitive). [any thread: pure] */
static bool list_has(http_str s, const char *token) {
  size_t i = 0;
  while (i < s.len) {
    while (i < s.len && (s.p[i] == ' ' || s.p[i] == '\t' || s.p[i] == ',')) i++;
    size_t j = i;
    while (j < s.len && s.p[j] != ',') j++;
    size_t e = j;
    while (e > i && (s.p[e - 1] == ' ' || s.p[e - 1] == '\t')) e--;
    http_str item = {s.p + i, e - i, true};
    if (e > i && str_ieq(item, token)) return true;
    i = j;
  }
  return false;
}

/** Stores a header value; a repeated security-relevant header makes the request bad. [any thread: pure] */
static bool set_header(http_str *slot, const char *v, size_t len) {
  if (slot->present) return false;
  slot->p = v;
  slot->len = len;
  slot->present = true;
  return true;
}

/** [any thread: pure] */
http_parse_result http_parse(const char *buf, size_t len, http_request *req) {
  memset(req, 0, sizeof *req);
  size_t end = 0;
  const size_t scan = len < HTTP_MAX_HEAD ? len : HTTP_MAX_HEAD;
  for (size_t i = 3; i < scan; i++) {
    if (buf[i - 3] == '\r' && buf[i - 2] == '\n' && buf[i - 1] == '\r' && buf[i] == '\n') {
      end = i + 1;
      break;
    }
  }
  if (!end) return len >= HTTP_MAX_HEAD ? HTTP_TOO_LARGE : HTTP_INCOMPLETE;
  req->head_len = end;
  /* request line: method SP target SP version CRLF */
  size_t i = 0;
  const size_t m0 = i;
  while (i < end && is_tchar(buf[i])) i++;
  if (i == m0 || buf[i] != ' ') return HTTP_BAD;
  req->method = (http_str){buf + m0, i - m0, true};
  const size_t t0 = ++i;
  while (i < end && (unsigned char)buf[i] > 0x20 && buf[i] != 0x7f) i++;
  if (i == t0 || buf[i] != ' ') return HTTP_BAD;
  req->target = (http_str){buf + t0, i - t0, true};
  const size_t v0 = ++i;
  while (i < end && buf[i] != '\r') i++;
  req->version = (http_str){buf + v0, i - v0, true};
  if (!str_eq(req->version, "HTTP/1.1") && !str_eq(req->version, "HTTP/1.0")) return HTTP_BAD;
  if (buf[i + 1] != '\n') return HTTP_BAD;
  i += 2;
  /* header fields: name ":" OWS value OWS CRLF */
  while (i < end - 2) {
    const size_t n0 = i;
    while (i < end && is_tchar(buf[i])) i++;
    if (i == n0 || buf[i] != ':') return HTTP_BAD;
    http_str name = {buf + n0, i - n0, true};
    i++;
    while (i < end && (buf[i] == ' ' || buf[i] == '\t')) i++;
    const size_t val0 = i;
    while (i < end && buf[i] != '\r') {
      const unsigned char c = (unsigned char)buf[i];
      if ((c < 0x20 && c != '\t') || c == 0x7f) return HTTP_BAD;
      i++;
    }
    if (i + 1 >= end || buf[i + 1] != '\n') return HTTP_BAD;
    size_t val1 = i;
    while (val1 > val0 && (buf[val1 - 1] == ' ' || buf[val1 - 1] == '\t')) val1--;
    const char *v = buf + val0;
    const size_t vl = val1 - val0;
    bool ok = true;
    if (str_ieq(name, "host")) ok = set_header(&req->host, v, vl);
    else if (str_ieq(name, "origin")) ok = set_header(&req->origin, v, vl);
    else if (str_ieq(name, "upgrade")) ok = set_header(&req->upgrade, v, vl);
    else if (str_ieq(name, "connection")) ok = set_header(&req->connection, v, vl);
    else if (str_ieq(name, "sec-websocket-key")) ok = set_header(&req->ws_key, v, vl);
    else if (str_ieq(name, "sec-websocket-version")) ok = set_header(&req->ws_version, v, vl);
    if (!ok) return HTTP_BAD;
    i += 2;
  }
  if (!req->host.present && str_eq(req->version, "HTTP/1.1")) return HTTP_BAD; /* RFC 9112 §3.2 */
  return HTTP_PARSED;
}

/** [any thread: pure] */
static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/** Percent-decodes `s` into `out`, checking every segment; false for escapes, NUL, '\\' or "..". [any thread: pure] */
static bool decode_path(const char *s, size_t len, char *out, size_t cap) {
  size_t o = 0;
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= len) return false;
      const int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
      if (hi < 0 || lo < 0) return false;
      c = (char)(hi * 16 + lo);
      i += 2;
    }
    if (c == 0 || c == '\\' || o + 1 >= cap) return false;
    out[o++] = c;
  }
  out[o] = 0;
  if (o == 0 || out[0] == '/') return false;
  /* every segment must be a plain name */
  const char *seg = out;
  for (;;) {
    const char *slash = strchr(seg, '/');
    const size_t n = slash ? (size_t)(slash - seg) : strlen(seg);
    if (n == 0 || (n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.')) return false;
    if (!slash) break;
    seg = slash + 1;
  }
  return true;
}

/** Host must name this server by loopback address or localhost (DNS-rebinding guard). [any thread: pure] */
static bool host_ok(http_str host, uint16_t port) {
  char a[64], b[64];
  snprintf(a, sizeof a, "127.0.0.1:%u", (unsigned)port);
  snprintf(b, sizeof b, "localhost:%u", (unsigned)port);
  return host.present && (str_eq(host, a) || str_ieq(host, b));
}

/** [any thread: pure] */
static bool origin_ok(http_str origin, uint16_t port) {
  if (!origin.present) return true;
  char a[64], b[64];
  snprintf(a, sizeof a, "http://127.0.0.1:%u", (unsigned)port);
  snprintf(b, sizeof b, "http://localhost:%u", (unsigned)port);
  return str_eq(origin, a) || str_eq(origin, b);
}

/** [any thread: pure] */
int http_route_request(const http_request *req, const char *token, uint16_t port, http_route *route) {
  memset(route, 0, sizeof *route);
  if (!str_eq(req->method, "GET")) return 405;
  if (!host_ok(req->host, port) || !origin_ok(req->origin, port)) return 403;
  const size_t tl = strlen(token);
  const http_str t = req->target;
  if (t.len < tl + 2 || t.p[0] != '/' || t.p[tl + 1] != '/') return 403;
  unsigned diff = 0; /* constant time: the token is the only secret */
  for (size_t i = 0; i < tl; i++) diff |= (unsigned)(t.p[1 + i] ^ token[i]);
  if (diff) return 403;
  const char *rest = t.p + tl + 2;
  size_t rest_len = t.len - tl - 2;
  for (size_t i = 0; i < rest_len; i++)
    if (rest[i] == '?' || rest[i] == '#') rest_len = i;
  if (rest_len == 2 && memcmp(rest, "ws", 2) == 0) {
    if (!req->upgrade.present || !list_has(req->upgrade, "websocket") || !list_has(req->connection, "upgrade") ||
        !str_eq(req->ws_version, "13") || req->ws_key.len < 16 || req->ws_key.len > 64)
      return 400;
    route->kind = HTTP_ROUTE_WEBSOCKET;
    return 0;
  }
  if (!decode_path(rest, rest_len, route->path, sizeof route->path)) return 404;
  route->kind = HTTP_ROUTE_FILE;
  return 0;
}

/** [any thread: pure] */
const char *http_content_type(const char *path) {
  const char *dot = strrchr(path, '.');
  const char *slash = strrchr(path, '/');
  if (!dot || (slash && dot < slash)) return "application/octet-stream";
  static const char *const map[][2] = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".json", "application/json"},
      {".wasm", "application/wasm"}, {".css", "text/css; charset=utf-8"},
      {".bin", "application/octet-stream"}, {".map", "application/json"},
      {".svg", "image/svg+xml"}, {".png", "image/png"}, {".txt", "text/plain; charset=utf-8"},
  };
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (strcmp(dot, map[i][0]) == 0) return map[i][1];
  return "application/octet-stream";
}

/** [any thread: pure] */
const char *http_reason(int status) {
  switch (status) {
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Error";
  }
}
