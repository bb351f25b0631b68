/*
 * test_http.c: request-head parsing (malformed, incomplete, oversized) and
 * routing: token, Host and Origin checks (403), methods, paths that try to
 * leave the resource folder, the WebSocket upgrade, content types.
 */
#include <stdlib.h>

#include "../native/http.h"
#include "unit.h"

#define TOKEN "0123456789abcdef0123456789abcdef"
#define PORT 40123

static int route_of(const char *text, http_route *route) {
  http_request req;
  const http_parse_result r = http_parse(text, strlen(text), &req);
  if (r != HTTP_PARSED) return (int)r;
  return http_route_request(&req, TOKEN, PORT, route);
}

static int status_of(const char *text) {
  http_route route;
  return route_of(text, &route);
}

void test_http(void) {
  http_route route;
  http_request req;
  CHECK(route_of("GET /" TOKEN "/bridge/index.html HTTP/1.1\r\nHost: 127.0.0.1:40123\r\n\r\n", &route) == 0);
  CHECK(route.kind == HTTP_ROUTE_FILE);
  CHECK_STR(route.path, "bridge/index.html");
  CHECK(route_of("GET /" TOKEN "/index.js?v=3#x HTTP/1.1\r\nHost: localhost:40123\r\nOrigin: http://localhost:40123\r\n\r\n",
                 &route) == 0);
  CHECK_STR(route.path, "index.js");
  CHECK(route_of("GET /" TOKEN "/a%20b/c.json HTTP/1.1\r\nhost:   127.0.0.1:40123  \r\n\r\n", &route) == 0);
  CHECK_STR(route.path, "a b/c.json");
  CHECK(status_of("GET /" TOKEN "/x HTTP/1.1\r\nHost: 127.0.0.1:40123\r\nOrigin: http://127.0.0.1:40123\r\n\r\n") == 0);

  /* incomplete and oversized heads */
  const char *partial = "GET /" TOKEN "/x HTTP/1.1\r\nHost: 127.0.0.1:40123\r\n";
  CHECK(http_parse(partial, strlen(partial), &req) == HTTP_INCOMPLETE);
  char *big = malloc(HTTP_MAX_HEAD + 10);
  memset(big, 'a', HTTP_MAX_HEAD + 10);
  memcpy(big, "GET / HTTP/1.1\r\nX: ", 19);
  CHECK(http_parse(big, HTTP_MAX_HEAD, &req) == HTTP_TOO_LARGE);
  CHECK(http_parse(big, HTTP_MAX_HEAD - 1, &req) == HTTP_INCOMPLETE);
  free(big);

  /* malformed: 400 */
  CHECK(status_of("GET\r\n\r\n") == 400);
  CHECK(status_of("GET /x\r\n\r\n") == 400);
  CHECK(status_of(" GET /x HTTP/1.1\r\nHost: a\r\n\r\n") == 400);
  CHECK(status_of("GET /x HTTP/2.0\r\nHost: 127.0.0.1:40123\r\n\r\n") == 400);
  CHECK(status_of("GET /x HTTP/1.1\r\nNoColonHere\r\n\r\n") == 400);
  CHECK(status_of("GET /x HTTP/1.1\r\nBad Name: v\r\n\r\n") == 400);
  CHECK(status_of("GET /x HTTP/1.1\nHost: 127.0.0.1:40123\r\n\r\n") == 400);
  CHECK(status_of("GET /x HTTP/1.1\r\nHost: 127.0.0.1:40123\r\nX: a\x01z\r\n\r\n") == 400);
  CHECK(status_of("GET /x HTTP/1.1\r\n\r\n") == 400); /* HTTP/1.1 needs Host */
  CHECK(status_of("GET /" TOKEN "/x HTTP/1.1\r\nHost: 127.0.0.1:40123\r\nHost: evil.example\r\n\r\n") == 400);
  CHECK(status_of("GET /" TOKEN "/x HTTP/1.1\r\nHost: 127.0.0.1:40123\r\nOrigin: http://127.0.0.1:40123\r\nOrigin: "
                  "http://evil.example\r\n\r\n") == 400);

  /* the token, Host and Origin guards: 403 */
  CHECK(status_of("GET /bridge/index.html HTTP/1.1\r\nHost: 127.0.0.1:40123\r\n\r\n") == 403);
  CHECK(status_of("GET / HTTP/1.1\r\nHost: 127.0.0.1:40123\r\n\r\n") == 403);
  CHECK(status_of("GET /" TOKEN " HTTP/1.1\r\nHost: 127.0.0.1:40123\r\n\r\n") == 403);
  CHECK(status_of("GET /0123456789abcdef0123456789abcdee/x HTTP/1.1\r\nHost: 127.0.0.1:40123\r\n\r\n") == 403);
  CHECK(status_of("GET /" TOKEN "0/x HTTP/1.1\r\nHost: 127.0.0.1:40123\r\n\r\n") == 403);
  CHECK(status_of("GET /" TOKEN "/x HTTP/1.1\r\nHost: evil.example:40123\r\n\r\n") == 403); /* DNS rebinding */
  CHECK(status_of("GET /" TOKEN "/x HTTP/1.1\r\nHost: 127.0.0.1:40124\r\n\r\n") == 403);
  CHECK(status_of("GET /" TOKEN "/x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n") == 403);
  CHECK(status_of("GET /" TOKEN "/x HTTP/1.0\r\n\r\n") == 403); /* no Host at all */
  CHECK(status_of("GET /" TOKEN "/x HTTP/1.1\r\nHost: 127.0.0.1:40123\r\nOrigin: http://evil.example\r\n\r\n") == 403);
  CHECK(status_of("GET /" TOKEN "/x HTTP/1.1\r\nHost: 127.0.0.1:40123\r\nOrigin: null\r\n\r\n") == 403);
  CHECK(status_of("GET /" TOKEN "/x HTTP/1.1\r\nHost: 127.0.0.1:40123\r\nOrigin: https://127.0.0.1:40123\r\n\r\n") == 403);
  CHECK(status_of("GET /" TOKEN "/x HTTP/1.1\r\nHost: 127.0.0.1:40123\r\nOrigin: http://127.0.0.1:40124\r\n\r\n") == 403);

  /* only GET */
  CHECK(status_of("POST /" TOKEN "/x HTTP/1.1\r\nHost: 127.0.0.1:40123\r\n\r\n") == 405);
  CHECK(status_of("get /" TOKEN "/x HTTP/1.1\r\nHost: 127.0.0.1:40123\r\n\r\n") == 405);

  /* nothing outside the folder: 404 */
  CHECK(status_of("GET /" TOKEN "/../secret HTTP/1.1\r\nHost: 127.0.0.1:40123\r\n\r\n") == 404);
  CHECK(status_of("GET /" TOKEN "/bridge/../../x HTTP/1.1\r\nHost: 127.0.0.1:40123\r\n\r\n") == 404);
  CHECK(status_of("GET /" TOKEN "/%2e%2e/x HTTP/1.1\r\nHost: 127.0.0.1:40123\r\n\r\n") == 404);
  CHECK(status_of("GET /" TOKEN "/a/%2E%2E/%2e%2e/x HTTP/1.1\r\nHost: 127.0.0.1:40123\r\n\r\n") == 404);
  CHECK(status_of("GET /" TOKEN "//etc/passwd HTTP/1.1\r\nHost: 127.0.0.1:40123\r\n\r\n") == 404);
  CHECK(status_of("GET /" TOKEN "/%2fetc/passwd HTTP/1.1\r\nHost: 127.0.0.1:40123\r\n\r\n") == 404);
  CHECK(status_of("GET /" TOKEN "/a\\..\\b HTTP/1.1\r\nHost: 127.0.0.1:40123\r\n\r\n") == 404);
  CHECK(status_of("GET /" TOKEN "/a%00.html HTTP/1.1\r\nHost: 127.0.0.1:40123\r\n\r\n") == 404);
  CHECK(status_of("GET /" TOKEN "/a%zz HTTP/1.1\r\nHost: 127.0.0.1:40123\r\n\r\n") == 404);
  CHECK(status_of("GET /" TOKEN "/a% HTTP/1.1\r\nHost: 127.0.0.1:40123\r\n\r\n") == 404);
  CHECK(status_of("GET /" TOKEN "/ HTTP/1.1\r\nHost: 127.0.0.1:40123\r\n\r\n") == 404);
  CHECK(status_of("GET /" TOKEN "/./x HTTP/1.1\r\nHost: 127.0.0.1:40123\r\n\r\n") == 404);

  /* the WebSocket upgrade */
  const char *ws = "GET /" TOKEN "/ws HTTP/1.1\r\nHost: 127.0.0.1:40123\r\nUpgrade: websocket\r\nConnection: keep-alive, "
                   "Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: "
                   "http://127.0.0.1:40123\r\n\r\n";
  CHECK(route_of(ws, &route) == 0 && route.kind == HTTP_ROUTE_WEBSOCKET);
  CHECK(status_of("GET /" TOKEN "/ws HTTP/1.1\r\nHost: 127.0.0.1:40123\r\n\r\n") == 400); /* no upgrade headers */
  CHECK(status_of("GET /" TOKEN "/ws HTTP/1.1\r\nHost: 127.0.0.1:40123\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Version: 13\r\n\r\n") == 400); /* no key */
  CHECK(status_of("GET /" TOKEN "/ws HTTP/1.1\r\nHost: 127.0.0.1:40123\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n") == 400);
  CHECK(status_of("GET /" TOKEN "/ws HTTP/1.1\r\nHost: 127.0.0.1:40123\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: "
                  "http://evil.example\r\n\r\n") == 403); /* cross-site WebSocket hijacking */

  CHECK_STR(http_content_type("bridge/index.html"), "text/html; charset=utf-8");
  CHECK_STR(http_content_type("index.js"), "text/javascript; charset=utf-8");
  CHECK_STR(http_content_type("x.mjs"), "text/javascript; charset=utf-8");
  CHECK_STR(http_content_type("a/descriptor.json"), "application/json");
  CHECK_STR(http_content_type("m.wasm"), "application/wasm");
  CHECK_STR(http_content_type("s.css"), "text/css; charset=utf-8");
  CHECK_STR(http_content_type("w/weights.bin"), "application/octet-stream");
  CHECK_STR(http_content_type("index.js.map"), "application/json");
  CHECK_STR(http_content_type("a.b/noext"), "application/octet-stream");
  CHECK_STR(http_reason(403), "Forbidden");
  CHECK_STR(http_reason(431), "Request Header Fields Too Large");
}
