/*
 * webview.c: the draft webview extension (clap.webview/3). get_uri() is the
 * editor URL of the built-in server, so a host webview loads the same page a
 * browser would, and the page talks over the same WebSocket. receive()
 * accepts the same binary protocol messages as the socket (one message per
 * call, page -> native types: PARAM, STATE, PONG, MIDI_OUT, ALL_NOTES_OFF);
 * they are handed to the network thread and handled exactly like socket
 * messages. Native -> page messages always travel over the WebSocket.
 * get_resource() serves the resource folder for hosts that prefer it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "plugin.h"
#include "server.h"

/** [main-thread] */
static int32_t webview_get_uri(const clap_plugin_t *plugin, char *uri, uint32_t cap) {
  char url[160];
  const size_t n = di_editor_url(di_from(plugin), url, sizeof url);
  if (!n) return 0;
  if (uri && cap) snprintf(uri, cap, "%s", url);
  return (int32_t)(n + 1);
}

/** [main-thread] `path` is absolute ("/bridge/index.html" or "/<token>/bridge/index.html"). */
static bool webview_get_resource(const clap_plugin_t *plugin, const char *path, char *mime, uint32_t mime_cap,
                                 const clap_ostream_t *stream) {
  di_plugin *p = di_from(plugin);
  if (!path || path[0] != '/' || !p->server) return false;
  const char *token = di_server_token(p->server);
  const size_t tl = strlen(token);
  if (!strncmp(path + 1, token, tl) && path[1 + tl] == '/') path += 1 + tl;
  /* reuse the server's checks: a request for this path under the token */
  char target[HTTP_MAX_PATH + 64];
  snprintf(target, sizeof target, "/%s%s", token, path);
  char host[32];
  snprintf(host, sizeof host, "127.0.0.1:%u", (unsigned)di_server_port(p->server));
  http_request req;
  memset(&req, 0, sizeof req);
  req.method = (http_str){"GET", 3, true};
  req.target = (http_str){target, strlen(target), true};
  req.host = (http_str){host, strlen(host), true};
  http_route route;
  if (http_route_request(&req, token, di_server_port(p->server), &route) != 0 || route.kind != HTTP_ROUTE_FILE)
    return false;
  char file[CLAP_PATH_SIZE + HTTP_MAX_PATH + 2];
  snprintf(file, sizeof file, "%s/%s", di_resource_dir(), route.path);
  uint8_t *data = NULL;
  size_t len = 0;
  if (!plat_read_file(file, (size_t)256 << 20, &data, &len)) return false;
  if (mime && mime_cap) snprintf(mime, mime_cap, "%s", http_content_type(route.path));
  size_t off = 0;
  bool ok = true;
  while (off < len && ok) {
    const int64_t n = stream->write(stream, data + off, len - off);
    if (n <= 0) ok = false;
    else off += (size_t)n;
  }
  free(data);
  return ok;
}

/** [main-thread] */
static bool webview_receive(const clap_plugin_t *plugin, const void *buffer, uint32_t size) {
  di_plugin *p = di_from(plugin);
  if (!p->server || !buffer) return false;
  return di_server_post(p->server, buffer, size);
}

const clap_plugin_webview_t DI_WEBVIEW_EXT = {webview_get_uri, webview_get_resource, webview_receive};
