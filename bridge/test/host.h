/*
 * host.h: what the test CLAP host's files share (host.c: main and the stdin
 * commands; host_print.c: JSON lines on stdout; host_callbacks.c: the
 * clap_host_t callbacks and event lists; host_process.c: the paced process
 * thread, the printer thread and the host transport).
 */
#ifndef DEEP_IMPROV_TEST_HOST_H
#define DEEP_IMPROV_TEST_HOST_H

#include <dlfcn.h>
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../native/clap_ext.h"
#include "../native/params_table.h"
#include "../native/protocol.h"
#include "../native/ring.h"

#define SAMPLE_RATE 48000.0
#define BLOCK 128u
#define BLOCK_NS 2666667ull
#define MAX_INST 16
#define MAX_IN_EVENTS 1024
#define MAX_OUT_EVENTS 4096
#define MAX_SCHED 8192
#define COST_CAP (1u << 18)
#if defined(__APPLE__)
#define WINDOW_API CLAP_WINDOW_API_COCOA
#else
#define WINDOW_API CLAP_WINDOW_API_X11
#endif

typedef struct sched_ev {
  double beat;
  int kind; /* 0 note on, 1 note off, 2 midi, 3 param */
  uint8_t bytes[3];
  int channel, key;
  double velocity;
  uint32_t param_id;
  double value;
} sched_ev;

typedef union any_event {
  clap_event_header_t header;
  clap_event_note_t note;
  clap_event_midi_t midi;
  clap_event_param_value_t param;
  clap_event_param_gesture_t gesture;
  clap_event_transport_t transport;
  uint8_t raw[128];
} any_event;

typedef struct inst {
  int id;
  bool used;
  clap_host_t host;
  const clap_plugin_t *plugin;
  const clap_plugin_params_t *params;
  const clap_plugin_state_t *state;
  const clap_plugin_gui_t *gui;
  atomic_bool callback_requested;
  /* shared with the process thread under g_lock */
  bool running;        /* in the process list */
  bool stop_requested; /* main asks the process thread to stop_processing and drop it */
  bool stopped;        /* the process thread did */
  sched_ev sched[MAX_SCHED];
  int sched_count;
  /* process-thread only */
  bool started;
  uint64_t frames;
  any_event in_ev[MAX_IN_EVENTS];
  uint32_t in_count;
  any_event out_ev[MAX_OUT_EVENTS];
  uint32_t out_count;
  float in_buf[2][BLOCK], out_buf[2][BLOCK];
  bool audio_error_reported;
  bool played_before; /* whether the transport was playing in this instance's last block (valid once it ran one) */
} inst;

/* process thread -> printer thread */
typedef struct out_rec {
  int inst;
  int kind; /* 0 bytes, 1 param-out, 2 events out of order, 3 audio differs, 4 the transport started or stopped at this block */
  uint64_t sample;
  double beat;
  uint8_t size;
  uint8_t bytes[3];
  uint32_t param_id;
  double value;
} out_rec;

/* ---- shared state (host_process.c) ---------------------------------------------------------------- */

/* instances, under g_lock */
extern inst *g_inst[MAX_INST];
extern int g_inst_count;
extern pthread_mutex_t g_lock;
extern pthread_t g_main_thread, g_process_thread;
extern atomic_bool g_process_run;
/* transport, under g_lock */
extern bool g_playing;
extern double g_tempo, g_pos, g_loop_start, g_loop_end;
extern bool g_loop;
/* process cost samples (process-thread only until it is joined) */
extern uint32_t *g_cost;
extern size_t g_cost_count;
/* process thread -> printer thread */
extern ring g_out_ring;
extern atomic_bool g_printer_run;
extern atomic_uint g_out_lost;

/** Restarts the drift-free position count from `pos`. [g_lock held] */
void set_pos(double pos);
/** The real-time-paced process thread: every running instance, one block per 2.67 ms. */
void *process_main(void *arg);
/** Prints what the process thread recorded in g_out_ring until g_printer_run is cleared and the ring is empty. */
void *printer_main(void *arg);

/* ---- checks (host_checks.c) ------------------------------------------------------------------------ */

/** True when the descriptor is Deep Improv's: id, name, vendor, CLAP 1.x and the note-effect, audio-effect and utility features. */
bool check_descriptor(const clap_plugin_descriptor_t *d);
/** Checks every extension the plugin offers, keeping params, state and gui in `in`; returns the number of problems (each printed). */
int check_extensions(inst *in);

/* ---- printing (host_print.c) ---------------------------------------------------------------------- */

/** Prints one JSON line and flushes. [any thread but the process thread] */
void line(const char *fmt, ...);
/** JSON string escaping into `out`. */
void json_escape(const char *s, char *out, size_t cap);
/** A JSON number for `v` (shortest round trip; null when not finite). */
const char *num(double v, char *buf, size_t cap);
/** Prints an {"ev":"error"} line. */
void report_error(const char *fmt, ...);
/** FNV-1a 32 of a string (how the plugin makes CLAP ids from WAM ids). */
uint32_t fnv1a(const char *s);
/** The WAM id of a CLAP parameter id, or "?". */
const char *wam_id_of(uint32_t clap_id);
/** CLOCK_MONOTONIC in nanoseconds. */
uint64_t now_ns(void);

/* ---- host callbacks and event lists (host_callbacks.c) -------------------------------------------- */

const void *CLAP_ABI host_get_extension(const clap_host_t *h, const char *id);
void CLAP_ABI host_request_restart(const clap_host_t *h);
void CLAP_ABI host_request_process(const clap_host_t *h);
/** Marks the instance so the main loop calls on_main_thread(). */
void CLAP_ABI host_request_callback(const clap_host_t *h);
uint32_t CLAP_ABI in_size(const clap_input_events_t *l);
const clap_event_header_t *CLAP_ABI in_get(const clap_input_events_t *l, uint32_t i);
/** Appends to the instance's output list; an event out of time order is reported. */
bool CLAP_ABI out_push(const clap_output_events_t *l, const clap_event_header_t *ev);

#endif
