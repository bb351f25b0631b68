/*
 * plugin.h: one Deep Improv CLAP instance, shared by the files that
 * implement its parts (plugin.c: lifecycle; process.c: process(); ports.c,
 * params.c, state.c, gui.c, webview.c: extensions; server*.c: the network
 * thread).
 *
 * Threads: the host's main thread, its audio thread (process()), and one
 * network thread per instance (server.c). The audio thread talks to the
 * network thread only through the two SPSC rings below and atomics.
 */
#ifndef DEEP_IMPROV_PLUGIN_H
#define DEEP_IMPROV_PLUGIN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "clap_ext.h"
#include "notes.h"
#include "platform.h"
#include "ring.h"
#include "timing.h"

/** Pending queue capacity (MIDI_OUT events not yet due). */
#define DI_QUEUE_CAPACITY 4096u
/** Ring capacities (records). */
#define DI_A2N_CAPACITY 4096u
#define DI_N2A_CAPACITY 4096u
/** Network records process() applies per block at most (375 blocks/s x 1024 is ample). */
#define DI_DRAIN_PER_BLOCK 1024u
/** Events due in one block at most (more stay queued for the next block). */
#define DI_MAX_DUE 4096u

/** audio -> network records. */
typedef enum a2n_kind { A2N_TRANSPORT = 1, A2N_MIDI_IN, A2N_PARAM } a2n_kind;
typedef struct a2n_msg {
  uint8_t kind;
  uint8_t size;
  uint8_t data[3];
  uint32_t param_index;
  uint64_t sample_time;
  double beats;
  double value;
  /* TRANSPORT */
  double bar_start, tempo, loop_start, loop_end;
  uint8_t ts_num, ts_denom, flags;
} a2n_msg;

/** network -> audio records. */
typedef enum n2a_kind { N2A_MIDI_OUT = 1, N2A_ALL_NOTES_OFF, N2A_PARAM, N2A_CONNECTED, N2A_DISCONNECTED } n2a_kind;
typedef struct n2a_msg {
  uint8_t kind;
  uint8_t size;
  uint8_t data[3];
  uint32_t param_index;
  double beats; /* MIDI_OUT */
  double value; /* PARAM */
} n2a_msg;

typedef struct di_server di_server;

typedef struct di_plugin {
  clap_plugin_t clap;
  const clap_host_t *host;
  const clap_host_log_t *host_log;
  const clap_host_params_t *host_params;
  const clap_host_state_t *host_state;

  /* [main-thread] lifecycle */
  bool active;
  atomic_bool processing;
  atomic_uint_fast32_t sample_rate_hz; /* 0 until activated */
  atomic_uint_fast32_t max_frames;
  uint32_t instance_nonce;
  bool gui_created;
  bool gui_webview; /* created for the webview window API: the host shows the page */

  /* [audio-thread] only */
  double sample_rate;
  uint64_t frames_since_activate;
  timing_clock clock;
  timing_queue queue;
  notes sounding;
  timing_due *due;
  timing_counters counters;
  uint64_t transport_sent_at; /* frames_since_activate of the last TRANSPORT snapshot */
  uint8_t last_transport_flags;
  double last_transport_tempo;
  bool page_connected;

  /* audio <-> network */
  ring a2n, n2a;
  atomic_bool end_notes_request; /* reset/stop_processing/flush: end notes in the next process() */
  atomic_uint_fast32_t stat_exact, stat_late, stat_dropped, stat_overflow;
  atomic_uint_fast32_t a2n_lost; /* records the audio thread could not queue */

  /* parameter values (plain), as double bits; written by the audio thread, net thread and main thread */
  atomic_uint_fast64_t param_bits[64];

  /* [main-thread and network-thread] under state_lock */
  plat_mutex *state_lock;
  char *state_json;       /* the WAM's getState() JSON (NUL-terminated), or NULL */
  size_t state_len;
  bool state_pending_set; /* loaded by the host, not yet taken over by the page */
  uint32_t state_gen;     /* counts host loads, so each page connection gets a load once */
  atomic_bool state_dirty; /* the page pushed a state: mark the host's state dirty on the main thread */

  di_server *server;
} di_plugin;

/** The instance behind a clap_plugin pointer. */
static inline di_plugin *di_from(const clap_plugin_t *p) { return (di_plugin *)p->plugin_data; }

/* entry.c */
/** The resource folder (`<dirname of .clap>/DeepImprov`), set by clap_entry.init. */
const char *di_resource_dir(void);

/* plugin.c */
const clap_plugin_t *di_plugin_create(const clap_host_t *host);
/** The plugin descriptor. */
extern const clap_plugin_descriptor_t DI_DESCRIPTOR;
/** Writes a line to the host's log extension when present. [thread-safe per CLAP] */
void di_log(di_plugin *p, clap_log_severity severity, const char *msg);

/* process.c */
/** The CLAP process() callback. [audio-thread] Never blocks, locks, allocates or does I/O. */
clap_process_status di_process(const clap_plugin_t *plugin, const clap_process_t *pr);
/** Applies pending network records without emitting notes (params.flush). [active && !processing: audio-thread; !active: main-thread] */
void di_flush_from_params(di_plugin *p, const clap_output_events_t *out);

/* ports.c */
extern const clap_plugin_audio_ports_t DI_AUDIO_PORTS;
extern const clap_plugin_note_ports_t DI_NOTE_PORTS;

/* params.c */
extern const clap_plugin_params_t DI_PARAMS_EXT;
uint32_t di_param_count(void);
/** Index of a CLAP param id, or -1. */
int di_param_index(clap_id id);
clap_id di_param_id(uint32_t index);
const char *di_param_wam_id(uint32_t index);
/** Clamps (and rounds when stepped) a plain value; false for NaN. */
bool di_param_coerce(uint32_t index, double *value);
double di_param_get(di_plugin *p, uint32_t index);
void di_param_set(di_plugin *p, uint32_t index, double value);
void di_params_init(di_plugin *p);
/** Applies one host input param event (process or flush). [audio-thread] */
void di_params_handle_input(di_plugin *p, const clap_event_header_t *ev);
/** Emits gesture-begin, value, gesture-end for a page change at `time`. [audio-thread] */
void di_params_emit_change(di_plugin *p, const clap_output_events_t *out, uint32_t time, uint32_t index, double value);

/* state.c */
extern const clap_plugin_state_t DI_STATE_EXT;
/** Replaces the cached state JSON with a copy of `json` (the page pushed it). [network-thread] */
void di_state_store_from_page(di_plugin *p, const char *json, size_t len);

/* gui.c / webview.c */
extern const clap_plugin_gui_t DI_GUI_EXT;
extern const clap_plugin_webview_t DI_WEBVIEW_EXT;
/** Writes the editor URL; returns its length (0 when the server is not running). */
size_t di_editor_url(di_plugin *p, char *out, size_t cap);

/* render / latency (plugin.c) */
extern const clap_plugin_render_t DI_RENDER_EXT;
extern const clap_plugin_latency_t DI_LATENCY_EXT;

#endif
