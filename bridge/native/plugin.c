/*
 * plugin.c: the instance: its descriptor, lifecycle, extension table and
 * the render and latency extensions. process() is in process.c.
 */
#include "plugin.h"

#include <stdlib.h>
#include <string.h>

#include "server.h"

static const char *const FEATURES[] = {"note-effect", "audio-effect", "utility", "stereo", NULL};

const clap_plugin_descriptor_t DI_DESCRIPTOR = {
    CLAP_VERSION_INIT,
    "com.deepimprov.DeepImprov",
    "Deep Improv",
    "Deep Improv",
    "https://github.com/deep-improv/deep-improv",
    "",
    "",
    "0.1.0",
    "An improvisation partner: the Deep Improv web audio module, bridged into the DAW.",
    FEATURES,
};

/** [thread-safe per CLAP's log extension] */
void di_log(di_plugin *p, clap_log_severity severity, const char *msg) {
  if (p->host_log && p->host_log->log) p->host_log->log(p->host, severity, msg);
}

/* ---- lifecycle ----------------------------------------------------------------------------- */

/** [main-thread] */
static bool di_init(const clap_plugin_t *plugin) {
  di_plugin *p = di_from(plugin);
  const clap_host_t *h = p->host;
  if (h->get_extension) {
    p->host_log = h->get_extension(h, CLAP_EXT_LOG);
    p->host_params = h->get_extension(h, CLAP_EXT_PARAMS);
    p->host_state = h->get_extension(h, CLAP_EXT_STATE);
  }
  if (!ring_init(&p->a2n, sizeof(a2n_msg), DI_A2N_CAPACITY) || !ring_init(&p->n2a, sizeof(n2a_msg), DI_N2A_CAPACITY))
    return false;
  p->state_lock = plat_mutex_new();
  if (!p->state_lock) return false;
  if (!plat_random(&p->instance_nonce, sizeof p->instance_nonce)) p->instance_nonce = (uint32_t)plat_now_ns();
  di_params_init(p);
  p->server = di_server_start(p);
  if (!p->server) di_log(p, CLAP_LOG_ERROR, "Deep Improv: the editor server could not start; audio passes through");
  return true;
}

/** [main-thread] */
static void di_destroy(const clap_plugin_t *plugin) {
  di_plugin *p = di_from(plugin);
  if (p->server) di_server_stop(p->server);
  timing_queue_free(&p->queue);
  free(p->due);
  ring_free(&p->a2n);
  ring_free(&p->n2a);
  plat_mutex_free(p->state_lock);
  free(p->state_json);
  free(p);
}

/** [main-thread] Allocates everything process() will use. */
static bool di_activate(const clap_plugin_t *plugin, double sample_rate, uint32_t min_frames, uint32_t max_frames) {
  (void)min_frames;
  di_plugin *p = di_from(plugin);
  if (p->active || sample_rate <= 0) return false;
  p->due = calloc(DI_MAX_DUE, sizeof *p->due);
  if (!p->due || !timing_queue_init(&p->queue, DI_QUEUE_CAPACITY)) {
    free(p->due);
    p->due = NULL;
    return false;
  }
  p->sample_rate = sample_rate;
  p->frames_since_activate = 0;
  p->transport_sent_at = 0;
  p->last_transport_flags = 0xff;
  timing_clock_init(&p->clock, sample_rate);
  notes_reset(&p->sounding);
  memset(&p->counters, 0, sizeof p->counters);
  atomic_store(&p->end_notes_request, false);
  atomic_store(&p->max_frames, max_frames);
  atomic_store(&p->sample_rate_hz, (uint_fast32_t)(sample_rate + 0.5));
  p->active = true;
  return true;
}

/** [main-thread] */
static void di_deactivate(const clap_plugin_t *plugin) {
  di_plugin *p = di_from(plugin);
  if (!p->active) return;
  p->active = false;
  timing_queue_free(&p->queue);
  free(p->due);
  p->due = NULL;
}

/** [audio-thread] */
static bool di_start_processing(const clap_plugin_t *plugin) {
  atomic_store(&di_from(plugin)->processing, true);
  return true;
}

/** [audio-thread] Notes still sounding are ended in the next process(). */
static void di_stop_processing(const clap_plugin_t *plugin) {
  di_plugin *p = di_from(plugin);
  atomic_store(&p->processing, false);
  timing_queue_clear(&p->queue);
  atomic_store(&p->end_notes_request, true);
}

/** [audio-thread] */
static void di_reset(const clap_plugin_t *plugin) {
  di_plugin *p = di_from(plugin);
  timing_queue_clear(&p->queue);
  atomic_store(&p->end_notes_request, true);
}

/** [thread-safe] */
static const void *di_get_extension(const clap_plugin_t *plugin, const char *id) {
  (void)plugin;
  if (!strcmp(id, CLAP_EXT_AUDIO_PORTS)) return &DI_AUDIO_PORTS;
  if (!strcmp(id, CLAP_EXT_NOTE_PORTS)) return &DI_NOTE_PORTS;
  if (!strcmp(id, CLAP_EXT_PARAMS)) return &DI_PARAMS_EXT;
  if (!strcmp(id, CLAP_EXT_STATE)) return &DI_STATE_EXT;
  if (!strcmp(id, CLAP_EXT_RENDER)) return &DI_RENDER_EXT;
  if (!strcmp(id, CLAP_EXT_LATENCY)) return &DI_LATENCY_EXT;
  if (!strcmp(id, CLAP_EXT_GUI)) return &DI_GUI_EXT;
  if (!strcmp(id, CLAP_EXT_WEBVIEW)) return &DI_WEBVIEW_EXT;
  return NULL;
}

/** [main-thread] Marks the host's copy of the state dirty after the page pushed one. */
static void di_on_main_thread(const clap_plugin_t *plugin) {
  di_plugin *p = di_from(plugin);
  if (atomic_exchange(&p->state_dirty, false) && p->host_state && p->host_state->mark_dirty)
    p->host_state->mark_dirty(p->host);
}

/** [main-thread] */
const clap_plugin_t *di_plugin_create(const clap_host_t *host) {
  di_plugin *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  p->host = host;
  p->clap.desc = &DI_DESCRIPTOR;
  p->clap.plugin_data = p;
  p->clap.init = di_init;
  p->clap.destroy = di_destroy;
  p->clap.activate = di_activate;
  p->clap.deactivate = di_deactivate;
  p->clap.start_processing = di_start_processing;
  p->clap.stop_processing = di_stop_processing;
  p->clap.reset = di_reset;
  p->clap.process = di_process;
  p->clap.get_extension = di_get_extension;
  p->clap.on_main_thread = di_on_main_thread;
  atomic_init(&p->processing, false);
  atomic_init(&p->end_notes_request, false);
  atomic_init(&p->state_dirty, false);
  atomic_init(&p->sample_rate_hz, 0);
  atomic_init(&p->max_frames, 0);
  return &p->clap;
}

/* ---- render and latency --------------------------------------------------------------- */

/** [main-thread] The page answers in real time: offline rendering cannot wait for it. */
static bool render_hard_rt(const clap_plugin_t *plugin) {
  (void)plugin;
  return true;
}

/** [main-thread] Only real time is supported. */
static bool render_set(const clap_plugin_t *plugin, clap_plugin_render_mode mode) {
  (void)plugin;
  return mode == CLAP_RENDER_REALTIME;
}

const clap_plugin_render_t DI_RENDER_EXT = {render_hard_rt, render_set};

/** [main-thread] Audio passes through with zero latency. */
static uint32_t latency_get(const clap_plugin_t *plugin) {
  (void)plugin;
  return 0;
}

const clap_plugin_latency_t DI_LATENCY_EXT = {latency_get};
