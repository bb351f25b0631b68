/*
 * gui.c: the gui extension. The editor is the web page in the user's
 * browser (a floating window the bridge does not own): show() writes the
 * editor URL to the host log and opens it with $DEEP_IMPROV_OPEN or the
 * platform opener. Embedding is offered only to hosts with the webview
 * extension (window API "webview"), see webview.c.
 */
#include <stdio.h>
#include <string.h>

#include "plugin.h"
#include "server.h"

/** [main-thread] */
size_t di_editor_url(di_plugin *p, char *out, size_t cap) {
  if (!p->server || cap == 0) return 0;
  const int n = snprintf(out, cap, "http://127.0.0.1:%u/%s/bridge/index.html", (unsigned)di_server_port(p->server),
                         di_server_token(p->server));
  return n > 0 ? (size_t)n : 0;
}

/** [main-thread] */
static bool api_ok(const char *api, bool is_floating) {
  if (!api) return false;
  if (!strcmp(api, CLAP_WINDOW_API_WEBVIEW)) return !is_floating;
  return is_floating && !strcmp(api, plat_window_api());
}

/** [main-thread] */
static bool gui_is_api_supported(const clap_plugin_t *plugin, const char *api, bool is_floating) {
  (void)plugin;
  return api_ok(api, is_floating);
}

/** [main-thread] */
static bool gui_get_preferred_api(const clap_plugin_t *plugin, const char **api, bool *is_floating) {
  (void)plugin;
  *api = plat_window_api();
  *is_floating = true;
  return true;
}

/** [main-thread] */
static bool gui_create(const clap_plugin_t *plugin, const char *api, bool is_floating) {
  di_plugin *p = di_from(plugin);
  if (!api_ok(api, is_floating) || !p->server) return false;
  p->gui_created = true;
  p->gui_webview = !strcmp(api, CLAP_WINDOW_API_WEBVIEW);
  return true;
}

/** [main-thread] */
static void gui_destroy(const clap_plugin_t *plugin) { di_from(plugin)->gui_created = false; }

/** [main-thread] */
static bool gui_set_scale(const clap_plugin_t *plugin, double scale) {
  (void)plugin;
  (void)scale;
  return false; /* the browser scales its own page */
}

/** [main-thread] */
static bool gui_get_size(const clap_plugin_t *plugin, uint32_t *w, uint32_t *h) {
  (void)plugin;
  *w = 960;
  *h = 640;
  return true;
}

/** [main-thread] */
static bool gui_can_resize(const clap_plugin_t *plugin) {
  (void)plugin;
  return true;
}

/** [main-thread] */
static bool gui_get_resize_hints(const clap_plugin_t *plugin, clap_gui_resize_hints_t *hints) {
  (void)plugin;
  memset(hints, 0, sizeof *hints);
  hints->can_resize_horizontally = true;
  hints->can_resize_vertically = true;
  return true;
}

/** [main-thread] */
static bool gui_adjust_size(const clap_plugin_t *plugin, uint32_t *w, uint32_t *h) {
  (void)plugin;
  (void)w;
  (void)h;
  return true;
}

/** [main-thread] */
static bool gui_set_size(const clap_plugin_t *plugin, uint32_t w, uint32_t h) {
  (void)plugin;
  (void)w;
  (void)h;
  return true;
}

/** [main-thread] Only the webview API embeds (its window pointer is NULL by definition). */
static bool gui_set_parent(const clap_plugin_t *plugin, const clap_window_t *window) {
  (void)plugin;
  return window && window->api && !strcmp(window->api, CLAP_WINDOW_API_WEBVIEW);
}

/** [main-thread] */
static bool gui_set_transient(const clap_plugin_t *plugin, const clap_window_t *window) {
  (void)plugin;
  (void)window;
  return true;
}

/** [main-thread] */
static void gui_suggest_title(const clap_plugin_t *plugin, const char *title) {
  (void)plugin;
  (void)title;
}

/** [main-thread] Logs the editor URL and opens it in the browser. */
static bool gui_show(const clap_plugin_t *plugin) {
  di_plugin *p = di_from(plugin);
  char url[160];
  if (!di_editor_url(p, url, sizeof url)) return false;
  char line[220];
  snprintf(line, sizeof line, "Deep Improv editor: %s", url);
  di_log(p, CLAP_LOG_INFO, line);
  if (p->gui_webview) return true; /* the host's webview shows get_uri() */
  if (!plat_open_url(url)) {
    di_log(p, CLAP_LOG_WARNING, "Deep Improv: could not start the URL opener; open the URL above by hand");
    return true; /* the URL is in the log: the editor can still be opened */
  }
  return true;
}

/** [main-thread] The browser tab is the user's to close. */
static bool gui_hide(const clap_plugin_t *plugin) {
  (void)plugin;
  return true;
}

const clap_plugin_gui_t DI_GUI_EXT = {
    gui_is_api_supported, gui_get_preferred_api, gui_create,    gui_destroy,     gui_set_scale,
    gui_get_size,         gui_can_resize,        gui_get_resize_hints, gui_adjust_size, gui_set_size,
    gui_set_parent,       gui_set_transient,     gui_suggest_title,    gui_show,        gui_hide,
};
