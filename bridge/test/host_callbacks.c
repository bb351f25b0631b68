/*
 * host_callbacks.c: what the test host offers the plugin: the clap_host_t
 * callbacks and extensions (log, params, thread-check, state, latency, gui)
 * and the input and output event lists of process().
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE

#include "host.h"

/* ---- host callbacks ---------------------------------------------------------------------------- */

static void CLAP_ABI host_log(const clap_host_t *h, clap_log_severity sev, const char *msg) {
  const inst *in = h->host_data;
  char esc[4096];
  json_escape(msg ? msg : "", esc, sizeof esc);
  line("{\"ev\":\"log\",\"inst\":%d,\"severity\":%d,\"msg\":\"%s\"}", in->id, (int)sev, esc);
}
static const clap_host_log_t HOST_LOG = {host_log};

static void CLAP_ABI host_params_rescan(const clap_host_t *h, uint32_t flags) {
  (void)h;
  (void)flags;
}
static void CLAP_ABI host_params_clear(const clap_host_t *h, clap_id id, uint32_t flags) {
  (void)h;
  (void)id;
  (void)flags;
}
static void CLAP_ABI host_params_request_flush(const clap_host_t *h) {
  (void)h; /* the instance is always processing: its next process() reports the change */
}
static const clap_host_params_t HOST_PARAMS = {host_params_rescan, host_params_clear, host_params_request_flush};

static bool CLAP_ABI host_is_main(const clap_host_t *h) {
  (void)h;
  return pthread_equal(pthread_self(), g_main_thread);
}
static bool CLAP_ABI host_is_audio(const clap_host_t *h) {
  (void)h;
  return atomic_load(&g_process_run) && pthread_equal(pthread_self(), g_process_thread);
}
static const clap_host_thread_check_t HOST_THREAD_CHECK = {host_is_main, host_is_audio};

static void CLAP_ABI host_state_dirty(const clap_host_t *h) { (void)h; }
static const clap_host_state_t HOST_STATE = {host_state_dirty};

static void CLAP_ABI host_latency_changed(const clap_host_t *h) { (void)h; }
static const clap_host_latency_t HOST_LATENCY = {host_latency_changed};

static void CLAP_ABI gui_hints(const clap_host_t *h) { (void)h; }
static bool CLAP_ABI gui_resize(const clap_host_t *h, uint32_t w, uint32_t hh) {
  (void)h;
  (void)w;
  (void)hh;
  return false;
}
static bool CLAP_ABI gui_req(const clap_host_t *h) {
  (void)h;
  return false;
}
static void CLAP_ABI gui_closed(const clap_host_t *h, bool destroyed) {
  (void)h;
  (void)destroyed;
}
static const clap_host_gui_t HOST_GUI = {gui_hints, gui_resize, gui_req, gui_req, gui_closed};

const void *CLAP_ABI host_get_extension(const clap_host_t *h, const char *id) {
  (void)h;
  if (!strcmp(id, CLAP_EXT_LOG)) return &HOST_LOG;
  if (!strcmp(id, CLAP_EXT_PARAMS)) return &HOST_PARAMS;
  if (!strcmp(id, CLAP_EXT_THREAD_CHECK)) return &HOST_THREAD_CHECK;
  if (!strcmp(id, CLAP_EXT_STATE)) return &HOST_STATE;
  if (!strcmp(id, CLAP_EXT_LATENCY)) return &HOST_LATENCY;
  if (!strcmp(id, CLAP_EXT_GUI)) return &HOST_GUI;
  return NULL;
}
void CLAP_ABI host_request_restart(const clap_host_t *h) { (void)h; }
void CLAP_ABI host_request_process(const clap_host_t *h) { (void)h; }
void CLAP_ABI host_request_callback(const clap_host_t *h) {
  inst *in = h->host_data;
  atomic_store(&in->callback_requested, true);
}

/* ---- event lists ------------------------------------------------------------------------------ */

uint32_t CLAP_ABI in_size(const clap_input_events_t *l) { return ((inst *)l->ctx)->in_count; }
const clap_event_header_t *CLAP_ABI in_get(const clap_input_events_t *l, uint32_t i) {
  inst *in = l->ctx;
  return i < in->in_count ? &in->in_ev[i].header : NULL;
}
bool CLAP_ABI out_push(const clap_output_events_t *l, const clap_event_header_t *ev) {
  inst *in = l->ctx;
  if (in->out_count >= MAX_OUT_EVENTS || ev->size > sizeof(any_event)) return false;
  if (in->out_count > 0 && in->out_ev[in->out_count - 1].header.time > ev->time) {
    out_rec r = {.inst = in->id, .kind = 2};
    ring_push(&g_out_ring, &r); /* out of order: reported by the printer */
  }
  memcpy(&in->out_ev[in->out_count++], ev, ev->size);
  return true;
}
