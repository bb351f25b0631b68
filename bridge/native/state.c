/*
 * state.c: the state extension. The saved stream holds the native parameter
 * values and the WAM's getState() JSON as the page last pushed it (or as the
 * host last loaded it), so save never waits for the page:
 *   "DICS" u32 version (1) u32 count { u32 clap_id f64 value } * count
 *   u32 json_length json_bytes            (little-endian)
 * With no page and nothing loaded the JSON is the empty marker "{}", which
 * load accepts and does not forward to the page.
 */
#include <stdlib.h>
#include <string.h>

#include "plugin.h"
#include "server.h"

#define STATE_MAGIC "DICS"
#define STATE_VERSION 1u
#define STATE_MAX_JSON (64u * 1024u * 1024u)

/** [main-thread] */
static void put32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
/** [main-thread] */
static uint32_t get32(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/** [main-thread] */
static bool write_all(const clap_ostream_t *s, const void *buf, size_t len) {
  const uint8_t *b = buf;
  while (len) {
    const int64_t n = s->write(s, b, len);
    if (n <= 0) return false;
    b += n;
    len -= (size_t)n;
  }
  return true;
}

/** [main-thread] */
static bool read_all(const clap_istream_t *s, void *buf, size_t len) {
  uint8_t *b = buf;
  while (len) {
    const int64_t n = s->read(s, b, len);
    if (n <= 0) return false;
    b += n;
    len -= (size_t)n;
  }
  return true;
}

/** [main-thread] */
static bool state_save(const clap_plugin_t *plugin, const clap_ostream_t *stream) {
  di_plugin *p = di_from(plugin);
  const uint32_t count = di_param_count();
  uint8_t head[12];
  memcpy(head, STATE_MAGIC, 4);
  put32(head + 4, STATE_VERSION);
  put32(head + 8, count);
  if (!write_all(stream, head, sizeof head)) return false;
  for (uint32_t i = 0; i < count; i++) {
    uint8_t rec[12];
    const double v = di_param_get(p, i);
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    put32(rec, di_param_id(i));
    put32(rec + 4, (uint32_t)bits);
    put32(rec + 8, (uint32_t)(bits >> 32));
    if (!write_all(stream, rec, sizeof rec)) return false;
  }
  plat_mutex_lock(p->state_lock);
  const size_t len = p->state_json ? p->state_len : 2;
  char *copy = malloc(len + 1);
  if (copy) memcpy(copy, p->state_json ? p->state_json : "{}", len + 1);
  plat_mutex_unlock(p->state_lock);
  if (!copy) return false;
  uint8_t l[4];
  put32(l, (uint32_t)len);
  const bool ok = write_all(stream, l, 4) && write_all(stream, copy, len);
  free(copy);
  return ok;
}

/** [main-thread] */
static bool state_load(const clap_plugin_t *plugin, const clap_istream_t *stream) {
  di_plugin *p = di_from(plugin);
  uint8_t head[12];
  if (!read_all(stream, head, sizeof head) || memcmp(head, STATE_MAGIC, 4) != 0 || get32(head + 4) != STATE_VERSION)
    return false;
  const uint32_t count = get32(head + 8);
  if (count > 4096) return false;
  double values[64];
  bool have[64] = {false};
  for (uint32_t i = 0; i < count; i++) {
    uint8_t rec[12];
    if (!read_all(stream, rec, sizeof rec)) return false;
    const int index = di_param_index(get32(rec));
    const uint64_t bits = (uint64_t)get32(rec + 4) | ((uint64_t)get32(rec + 8) << 32);
    double v;
    memcpy(&v, &bits, sizeof v);
    if (index >= 0 && di_param_coerce((uint32_t)index, &v)) { /* unknown ids: a newer or older table */
      values[index] = v;
      have[index] = true;
    }
  }
  uint8_t l[4];
  if (!read_all(stream, l, 4)) return false;
  const uint32_t len = get32(l);
  if (len > STATE_MAX_JSON) return false;
  char *json = malloc((size_t)len + 1);
  if (!json) return false;
  if (len && !read_all(stream, json, len)) {
    free(json);
    return false;
  }
  json[len] = 0;
  for (uint32_t i = 0; i < di_param_count(); i++)
    if (have[i]) di_param_set(p, i, values[i]);
  const bool empty = len == 0 || (len == 2 && memcmp(json, "{}", 2) == 0);
  plat_mutex_lock(p->state_lock);
  free(p->state_json);
  p->state_json = empty ? NULL : json;
  p->state_len = empty ? 0 : len;
  p->state_pending_set = !empty;
  p->state_gen++;
  plat_mutex_unlock(p->state_lock);
  if (empty) free(json);
  if (p->host_params && p->host_params->rescan) p->host_params->rescan(p->host, CLAP_PARAM_RESCAN_VALUES);
  if (p->server) di_server_wake(p->server);
  return true;
}

/** [network-thread] The page pushed its getState(): keep a copy for the next save. */
void di_state_store_from_page(di_plugin *p, const char *json, size_t len) {
  char *copy = malloc(len + 1);
  if (!copy) return;
  memcpy(copy, json, len);
  copy[len] = 0;
  plat_mutex_lock(p->state_lock);
  free(p->state_json);
  p->state_json = copy;
  p->state_len = len;
  p->state_pending_set = false;
  plat_mutex_unlock(p->state_lock);
  atomic_store(&p->state_dirty, true);
  if (p->host->request_callback) p->host->request_callback(p->host);
}

const clap_plugin_state_t DI_STATE_EXT = {state_save, state_load};
