/*
 * host.c: a small CLAP host for testing the Deep Improv bridge.
 *
 *   host <path/to/DeepImprov.clap>
 *
 * Loads the plugin with dlopen, checks clap_entry, the factory, the
 * descriptor and every extension, then reads commands on stdin (one per
 * line) and writes JSON lines on stdout (flushed after each line). One
 * real-time-paced process thread runs every instance at 48 kHz in 128-frame
 * blocks with a host transport (120 BPM 4/4, playing, by default).
 *
 * Commands: new | gui <inst> | play | stop | tempo <bpm> | seek <beats> |
 *   loop <start> <end> | loop off | note <inst> <beat> <key> <vel> <dur> [chan] |
 *   midi <inst> <beat> <b0> <b1> <b2> | param <inst> <wam_id> <value> |
 *   getparam <inst> <wam_id> | save <inst> <file> | load <inst> <file> |
 *   destroy <inst> | quit
 *   webview-send <inst> <hex>     (clap.webview receive(): one protocol message)
 *   webview-resource <inst> <path> (clap.webview get_resource())
 * Lines: {"ev":"instance"|"gui"|"out"|"param-out"|"param"|"log"|"error"|
 *   "process-cost"|"saved"|"loaded"|"destroyed"|"webview"|"resource", ...}
 *
 * Output events travel from the process thread to a printer thread through
 * an SPSC ring, so the process thread never writes to stdout.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE

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

#include "../native/clap_abi.h"
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

/* ---- printing ---------------------------------------------------------------------------------- */

static pthread_mutex_t g_print = PTHREAD_MUTEX_INITIALIZER;

/** Prints one JSON line and flushes. [any thread but the process thread] */
static void line(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  pthread_mutex_lock(&g_print);
  vfprintf(stdout, fmt, ap);
  fputc('\n', stdout);
  fflush(stdout);
  pthread_mutex_unlock(&g_print);
  va_end(ap);
}

/** JSON string escaping into `out`. */
static void json_escape(const char *s, char *out, size_t cap) {
  size_t o = 0;
  for (; *s && o + 7 < cap; s++) {
    const unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') {
      out[o++] = '\\';
      out[o++] = (char)c;
    } else if (c < 0x20) {
      o += (size_t)snprintf(out + o, cap - o, "\\u%04x", c);
    } else {
      out[o++] = (char)c;
    }
  }
  out[o] = 0;
}

/** A JSON number for `v` (shortest round trip; null when not finite). */
static const char *num(double v, char *buf, size_t cap) {
  if (!isfinite(v)) return "null";
  proto_format_double(v, buf, cap);
  return buf;
}

static void error(const char *fmt, ...) {
  char msg[512], esc[1100];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  json_escape(msg, esc, sizeof esc);
  line("{\"ev\":\"error\",\"msg\":\"%s\"}", esc);
}

static uint32_t fnv1a(const char *s) {
  uint32_t h = 0x811c9dc5u;
  for (; *s; s++) {
    h ^= (uint8_t)*s;
    h *= 0x01000193u;
  }
  return h;
}

static const char *wam_id_of(uint32_t clap_id) {
  for (int i = 0; i < DI_PARAM_COUNT; i++)
    if (DI_PARAMS[i].clap_id == clap_id) return DI_PARAMS[i].wam_id;
  return "?";
}

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- instances ----------------------------------------------------------------------------------- */

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
} inst;

static inst *g_inst[MAX_INST];
static int g_inst_count;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static const clap_plugin_entry_t *g_entry;
static const clap_plugin_factory_t *g_factory;
static pthread_t g_main_thread, g_process_thread;
static atomic_bool g_process_run;

/* transport, under g_lock */
static bool g_playing = true;
static double g_tempo = 120.0, g_pos = 0.0, g_loop_start = 0, g_loop_end = 0;
static bool g_loop = false;
static double g_base_pos = 0.0; /* g_pos = g_base_pos + g_base_blocks blocks at g_tempo (no drift) */
static uint64_t g_base_blocks = 0;

/** Restarts the drift-free position count from `pos`. [g_lock held] */
static void set_pos(double pos) {
  g_pos = g_base_pos = pos;
  g_base_blocks = 0;
}

/* process cost samples (process-thread only until it is joined) */
static uint32_t *g_cost;
static size_t g_cost_count;

/* process thread -> printer thread */
typedef struct out_rec {
  int inst;
  int kind; /* 0 bytes, 1 param-out, 2 error */
  uint64_t sample;
  double beat;
  uint8_t size;
  uint8_t bytes[3];
  uint32_t param_id;
  double value;
} out_rec;
static ring g_out_ring;
static atomic_bool g_printer_run;
static atomic_uint g_out_lost;

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

static const void *CLAP_ABI host_get_extension(const clap_host_t *h, const char *id) {
  (void)h;
  if (!strcmp(id, CLAP_EXT_LOG)) return &HOST_LOG;
  if (!strcmp(id, CLAP_EXT_PARAMS)) return &HOST_PARAMS;
  if (!strcmp(id, CLAP_EXT_THREAD_CHECK)) return &HOST_THREAD_CHECK;
  if (!strcmp(id, CLAP_EXT_STATE)) return &HOST_STATE;
  if (!strcmp(id, CLAP_EXT_LATENCY)) return &HOST_LATENCY;
  if (!strcmp(id, CLAP_EXT_GUI)) return &HOST_GUI;
  return NULL;
}
static void CLAP_ABI host_request_restart(const clap_host_t *h) { (void)h; }
static void CLAP_ABI host_request_process(const clap_host_t *h) { (void)h; }
static void CLAP_ABI host_request_callback(const clap_host_t *h) {
  inst *in = h->host_data;
  atomic_store(&in->callback_requested, true);
}

/* ---- event lists ------------------------------------------------------------------------------ */

static uint32_t CLAP_ABI in_size(const clap_input_events_t *l) { return ((inst *)l->ctx)->in_count; }
static const clap_event_header_t *CLAP_ABI in_get(const clap_input_events_t *l, uint32_t i) {
  inst *in = l->ctx;
  return i < in->in_count ? &in->in_ev[i].header : NULL;
}
static bool CLAP_ABI out_push(const clap_output_events_t *l, const clap_event_header_t *ev) {
  inst *in = l->ctx;
  if (in->out_count >= MAX_OUT_EVENTS || ev->size > sizeof(any_event)) return false;
  if (in->out_count > 0 && in->out_ev[in->out_count - 1].header.time > ev->time) {
    out_rec r = {.inst = in->id, .kind = 2};
    ring_push(&g_out_ring, &r); /* out of order: reported by the printer */
  }
  memcpy(&in->out_ev[in->out_count++], ev, ev->size);
  return true;
}

/* ---- process thread ------------------------------------------------------------------------------ */

static int cmp_event_time(const void *a, const void *b) {
  const any_event *x = a, *y = b;
  return (x->header.time > y->header.time) - (x->header.time < y->header.time);
}

/** Moves the scheduled events due before the end of this block into the input list. [process thread, g_lock held] */
static void take_scheduled(inst *in, double pos, double tempo, bool playing) {
  in->in_count = 0;
  const double block_beats = BLOCK * tempo / 60.0 / SAMPLE_RATE;
  int keep = 0;
  for (int i = 0; i < in->sched_count; i++) {
    sched_ev *s = &in->sched[i];
    const bool due = s->kind == 3 || (playing && s->beat < pos + block_beats);
    if (!due || in->in_count >= MAX_IN_EVENTS) {
      in->sched[keep++] = *s;
      continue;
    }
    long t = s->kind == 3 ? 0 : lround((s->beat - pos) * 60.0 / tempo * SAMPLE_RATE);
    if (t < 0) t = 0;
    if (t > (long)BLOCK - 1) t = BLOCK - 1;
    any_event *e = &in->in_ev[in->in_count++];
    memset(e, 0, sizeof *e);
    e->header.time = (uint32_t)t;
    e->header.space_id = CLAP_CORE_EVENT_SPACE_ID;
    if (s->kind == 0 || s->kind == 1) {
      e->header.size = sizeof(clap_event_note_t);
      e->header.type = s->kind == 0 ? CLAP_EVENT_NOTE_ON : CLAP_EVENT_NOTE_OFF;
      e->note.note_id = -1;
      e->note.port_index = 0;
      e->note.channel = (int16_t)s->channel;
      e->note.key = (int16_t)s->key;
      e->note.velocity = s->velocity;
    } else if (s->kind == 2) {
      e->header.size = sizeof(clap_event_midi_t);
      e->header.type = CLAP_EVENT_MIDI;
      memcpy(e->midi.data, s->bytes, 3);
    } else {
      e->header.size = sizeof(clap_event_param_value_t);
      e->header.type = CLAP_EVENT_PARAM_VALUE;
      e->param.param_id = s->param_id;
      e->param.note_id = -1;
      e->param.port_index = -1;
      e->param.channel = -1;
      e->param.key = -1;
      e->param.value = s->value;
    }
  }
  in->sched_count = keep;
  /* insertion order is kept for equal times (stable merge of a small list) */
  for (uint32_t i = 1; i < in->in_count; i++) {
    any_event tmp = in->in_ev[i];
    uint32_t j = i;
    while (j > 0 && cmp_event_time(&in->in_ev[j - 1], &tmp) > 0) {
      in->in_ev[j] = in->in_ev[j - 1];
      j--;
    }
    in->in_ev[j] = tmp;
  }
}

static uint8_t midi_size(uint8_t status) {
  const uint8_t hi = status & 0xf0;
  if (hi == 0xc0 || hi == 0xd0 || status == 0xf1 || status == 0xf3) return 2;
  if (status >= 0xf4 || status == 0xf6) return 1;
  return 3;
}

/** Hands this block's output events to the printer. [process thread] */
static void publish_outputs(inst *in, uint64_t block_start, double pos, double tempo) {
  for (uint32_t i = 0; i < in->out_count; i++) {
    const any_event *e = &in->out_ev[i];
    if (e->header.space_id != CLAP_CORE_EVENT_SPACE_ID) continue;
    out_rec r;
    memset(&r, 0, sizeof r);
    r.inst = in->id;
    r.sample = block_start + e->header.time;
    r.beat = pos + e->header.time * tempo / 60.0 / SAMPLE_RATE;
    switch (e->header.type) {
      case CLAP_EVENT_NOTE_ON:
      case CLAP_EVENT_NOTE_OFF: {
        int vel = (int)lround(e->note.velocity * 127.0);
        vel = vel < 0 ? 0 : vel > 127 ? 127 : vel;
        r.size = 3;
        r.bytes[0] = (uint8_t)((e->header.type == CLAP_EVENT_NOTE_ON ? 0x90 : 0x80) | (e->note.channel & 0x0f));
        r.bytes[1] = (uint8_t)(e->note.key & 0x7f);
        r.bytes[2] = (uint8_t)vel;
        break;
      }
      case CLAP_EVENT_MIDI:
        r.size = midi_size(e->midi.data[0]);
        memcpy(r.bytes, e->midi.data, 3);
        break;
      case CLAP_EVENT_PARAM_VALUE:
        r.kind = 1;
        r.param_id = e->param.param_id;
        r.value = e->param.value;
        break;
      default: continue;
    }
    if (!ring_push(&g_out_ring, &r)) atomic_fetch_add(&g_out_lost, 1);
  }
}

static void fill_input(inst *in) {
  for (int c = 0; c < 2; c++)
    for (uint32_t i = 0; i < BLOCK; i++) {
      const uint64_t n = in->frames + i;
      in->in_buf[c][i] = (float)sin((double)n * (c ? 0.031 : 0.017)) * 0.5f + (float)(n % 7) * 1e-7f;
      in->out_buf[c][i] = 12345.0f; /* proves the plugin wrote every sample */
    }
}

static void *process_main(void *arg) {
  (void)arg;
  uint64_t next = now_ns();
  inst *list[MAX_INST];
  while (atomic_load(&g_process_run)) {
    pthread_mutex_lock(&g_lock);
    const bool playing = g_playing;
    const double tempo = g_tempo, pos = g_pos;
    const bool loop = g_loop;
    const double ls = g_loop_start, le = g_loop_end;
    int n = 0;
    for (int i = 0; i < g_inst_count; i++) {
      inst *in = g_inst[i];
      if (!in || !in->running) continue;
      if (in->stop_requested) {
        if (in->started) in->plugin->stop_processing(in->plugin);
        in->running = false;
        in->stopped = true;
        continue;
      }
      take_scheduled(in, pos, tempo, playing);
      list[n++] = in;
    }
    pthread_mutex_unlock(&g_lock);

    clap_event_transport_t tr;
    memset(&tr, 0, sizeof tr);
    tr.header.size = sizeof tr;
    tr.header.type = CLAP_EVENT_TRANSPORT;
    tr.flags = CLAP_TRANSPORT_HAS_TEMPO | CLAP_TRANSPORT_HAS_BEATS_TIMELINE | CLAP_TRANSPORT_HAS_TIME_SIGNATURE |
               (playing ? CLAP_TRANSPORT_IS_PLAYING : 0) | (loop ? CLAP_TRANSPORT_IS_LOOP_ACTIVE : 0);
    tr.song_pos_beats = (clap_beattime)llround(pos * (double)CLAP_BEATTIME_FACTOR);
    tr.tempo = tempo;
    tr.bar_start = (clap_beattime)llround(floor(pos / 4.0) * 4.0 * (double)CLAP_BEATTIME_FACTOR);
    tr.bar_number = (int32_t)floor(pos / 4.0);
    tr.loop_start_beats = (clap_beattime)llround(ls * (double)CLAP_BEATTIME_FACTOR);
    tr.loop_end_beats = (clap_beattime)llround(le * (double)CLAP_BEATTIME_FACTOR);
    tr.tsig_num = 4;
    tr.tsig_denom = 4;

    for (int k = 0; k < n; k++) {
      inst *in = list[k];
      if (!in->started) {
        in->started = in->plugin->start_processing(in->plugin);
        if (!in->started) continue;
      }
      fill_input(in);
      float *ins[2] = {in->in_buf[0], in->in_buf[1]};
      float *outs[2] = {in->out_buf[0], in->out_buf[1]};
      clap_audio_buffer_t ab_in = {ins, NULL, 2, 0, 0};
      clap_audio_buffer_t ab_out = {outs, NULL, 2, 0, 0};
      clap_input_events_t iev = {in, in_size, in_get};
      clap_output_events_t oev = {in, out_push};
      in->out_count = 0;
      clap_process_t pr = {(int64_t)in->frames, BLOCK, &tr, &ab_in, &ab_out, 1, 1, &iev, &oev};
      const uint64_t t0 = now_ns();
      in->plugin->process(in->plugin, &pr);
      const uint64_t dt = now_ns() - t0;
      g_cost[g_cost_count % COST_CAP] = (uint32_t)(dt > UINT32_MAX ? UINT32_MAX : dt);
      g_cost_count++;
      if (!in->audio_error_reported && memcmp(in->in_buf, in->out_buf, sizeof in->in_buf) != 0) {
        in->audio_error_reported = true;
        out_rec r = {.inst = in->id, .kind = 3};
        ring_push(&g_out_ring, &r);
      }
      publish_outputs(in, in->frames, pos, tempo);
      in->frames += BLOCK;
    }

    pthread_mutex_lock(&g_lock);
    if (g_playing && g_pos == pos && g_tempo == tempo) { /* no seek or tempo change arrived meanwhile */
      g_base_blocks++;
      g_pos = g_base_pos + (double)(g_base_blocks * BLOCK) * tempo / 60.0 / SAMPLE_RATE;
      if (g_loop && g_loop_end > g_loop_start && g_pos >= g_loop_end) set_pos(g_loop_start + (g_pos - g_loop_end));
    }
    pthread_mutex_unlock(&g_lock);

    next += BLOCK_NS;
    const uint64_t now = now_ns();
    if (now > next + 100000000ull) next = now; /* far behind (a loaded machine): do not race to catch up */
    struct timespec ts = {(time_t)(next / 1000000000ull), (long)(next % 1000000000ull)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
    }
  }
  return NULL;
}

static void *printer_main(void *arg) {
  (void)arg;
  out_rec r;
  char b1[40], b2[40];
  for (;;) {
    if (!ring_pop(&g_out_ring, &r)) {
      if (!atomic_load(&g_printer_run)) break;
      struct timespec ts = {0, 1000000};
      nanosleep(&ts, NULL);
      continue;
    }
    if (r.kind == 0) {
      if (r.size == 1)
        line("{\"ev\":\"out\",\"inst\":%d,\"sample\":%llu,\"beat\":%s,\"bytes\":[%u]}", r.inst,
             (unsigned long long)r.sample, num(r.beat, b1, sizeof b1), r.bytes[0]);
      else if (r.size == 2)
        line("{\"ev\":\"out\",\"inst\":%d,\"sample\":%llu,\"beat\":%s,\"bytes\":[%u,%u]}", r.inst,
             (unsigned long long)r.sample, num(r.beat, b1, sizeof b1), r.bytes[0], r.bytes[1]);
      else
        line("{\"ev\":\"out\",\"inst\":%d,\"sample\":%llu,\"beat\":%s,\"bytes\":[%u,%u,%u]}", r.inst,
             (unsigned long long)r.sample, num(r.beat, b1, sizeof b1), r.bytes[0], r.bytes[1], r.bytes[2]);
    } else if (r.kind == 1) {
      line("{\"ev\":\"param-out\",\"inst\":%d,\"id\":\"%s\",\"value\":%s}", r.inst, wam_id_of(r.param_id),
           num(r.value, b2, sizeof b2));
    } else if (r.kind == 2) {
      error("instance %d pushed output events out of time order", r.inst);
    } else {
      error("instance %d: audio output differs from its input", r.inst);
    }
  }
  return NULL;
}

/* ---- checks ---------------------------------------------------------------------------------------- */

static bool check_descriptor(const clap_plugin_descriptor_t *d) {
  if (!d || !d->id || !d->name || !d->vendor || !d->version || !d->features) return false;
  if (d->clap_version.major != 1) return false;
  if (strcmp(d->id, "com.deepimprov.DeepImprov") || strcmp(d->name, "Deep Improv") || strcmp(d->vendor, "Deep Improv"))
    return false;
  const char *want[] = {"note-effect", "audio-effect", "utility"};
  for (size_t w = 0; w < 3; w++) {
    bool found = false;
    for (const char *const *f = d->features; *f; f++) found = found || !strcmp(*f, want[w]);
    if (!found) return false;
  }
  return true;
}

/** Checks every extension the plugin offers; returns the number of problems (each printed). */
static int check_extensions(inst *in) {
  const clap_plugin_t *p = in->plugin;
  int problems = 0;
  const clap_plugin_audio_ports_t *ap = p->get_extension(p, CLAP_EXT_AUDIO_PORTS);
  if (!ap) problems++, error("no %s", CLAP_EXT_AUDIO_PORTS);
  else
    for (int dir = 0; dir < 2; dir++) {
      clap_audio_port_info_t info;
      if (ap->count(p, dir) != 1 || !ap->get(p, 0, dir, &info) || info.channel_count != 2 ||
          !(info.flags & CLAP_AUDIO_PORT_IS_MAIN) || ap->get(p, 1, dir, &info))
        problems++, error("audio port %s is not one main stereo port", dir ? "in" : "out");
    }
  const clap_plugin_note_ports_t *np = p->get_extension(p, CLAP_EXT_NOTE_PORTS);
  if (!np) problems++, error("no %s", CLAP_EXT_NOTE_PORTS);
  else
    for (int dir = 0; dir < 2; dir++) {
      clap_note_port_info_t info;
      if (np->count(p, dir) != 1 || !np->get(p, 0, dir, &info) ||
          !(info.supported_dialects & CLAP_NOTE_DIALECT_CLAP) || !(info.supported_dialects & CLAP_NOTE_DIALECT_MIDI))
        problems++, error("note port %s lacks the CLAP and MIDI dialects", dir ? "in" : "out");
    }
  in->params = p->get_extension(p, CLAP_EXT_PARAMS);
  if (!in->params) problems++, error("no %s", CLAP_EXT_PARAMS);
  else {
    const uint32_t count = in->params->count(p);
    if (count != DI_PARAM_COUNT) problems++, error("%u params, expected %d", count, DI_PARAM_COUNT);
    for (uint32_t i = 0; i < count; i++) {
      clap_param_info_t info;
      double v;
      if (!in->params->get_info(p, i, &info) || !in->params->get_value(p, info.id, &v) || v < info.min_value ||
          v > info.max_value || fnv1a(wam_id_of(info.id)) != info.id)
        problems++, error("param %u is inconsistent", i);
    }
  }
  in->state = p->get_extension(p, CLAP_EXT_STATE);
  if (!in->state) problems++, error("no %s", CLAP_EXT_STATE);
  const clap_plugin_render_t *rd = p->get_extension(p, CLAP_EXT_RENDER);
  if (!rd || !rd->has_hard_realtime_requirement(p)) problems++, error("render: not hard real-time");
  const clap_plugin_latency_t *lt = p->get_extension(p, CLAP_EXT_LATENCY);
  if (!lt || lt->get(p) != 0) problems++, error("latency: not 0");
  in->gui = p->get_extension(p, CLAP_EXT_GUI);
  if (!in->gui || !in->gui->is_api_supported(p, WINDOW_API, true)) problems++, error("gui: no floating %s window", WINDOW_API);
  const clap_plugin_webview_t *wv = p->get_extension(p, CLAP_EXT_WEBVIEW);
  if (wv) {
    const int32_t len = wv->get_uri(p, NULL, 0);
    char uri[256];
    if (len <= 0 || len > (int32_t)sizeof uri || wv->get_uri(p, uri, sizeof uri) != len || strncmp(uri, "http://127.0.0.1:", 17))
      problems++, error("webview: bad uri");
  }
  return problems;
}

/* ---- commands -------------------------------------------------------------------------------------- */

static inst *find(int id) {
  for (int i = 0; i < g_inst_count; i++)
    if (g_inst[i] && g_inst[i]->id == id && g_inst[i]->used) return g_inst[i];
  return NULL;
}

static void cmd_new(void) {
  if (g_inst_count >= MAX_INST) {
    error("too many instances");
    return;
  }
  inst *in = calloc(1, sizeof *in);
  if (!in) return;
  in->id = g_inst_count;
  in->host = (clap_host_t){CLAP_VERSION_INIT,   in,
                           "Deep Improv test host", "Deep Improv",
                           "",                  "0.1.0",
                           host_get_extension,  host_request_restart,
                           host_request_process, host_request_callback};
  atomic_init(&in->callback_requested, false);
  in->plugin = g_factory->create_plugin(g_factory, &in->host, "com.deepimprov.DeepImprov");
  if (!in->plugin || !in->plugin->init(in->plugin)) {
    error("create or init failed");
    if (in->plugin) in->plugin->destroy(in->plugin);
    free(in);
    return;
  }
  in->used = true;
  check_extensions(in);
  if (!in->plugin->activate(in->plugin, SAMPLE_RATE, 1, BLOCK)) {
    error("activate failed");
    in->plugin->destroy(in->plugin);
    free(in);
    return;
  }
  pthread_mutex_lock(&g_lock);
  g_inst[g_inst_count++] = in;
  in->running = true;
  pthread_mutex_unlock(&g_lock);
  line("{\"ev\":\"instance\",\"inst\":%d}", in->id);
}

/** Stops processing on the process thread, then deactivates and destroys. [main-thread] */
static void destroy_inst(inst *in) {
  pthread_mutex_lock(&g_lock);
  in->stop_requested = true;
  const bool thread_alive = atomic_load(&g_process_run);
  pthread_mutex_unlock(&g_lock);
  for (;;) {
    pthread_mutex_lock(&g_lock);
    const bool done = in->stopped || !in->running || !thread_alive;
    pthread_mutex_unlock(&g_lock);
    if (done) break;
    struct timespec ts = {0, 1000000};
    nanosleep(&ts, NULL);
  }
  if (!thread_alive && in->started && in->running) in->plugin->stop_processing(in->plugin);
  pthread_mutex_lock(&g_lock);
  in->running = false;
  in->used = false;
  pthread_mutex_unlock(&g_lock);
  in->plugin->deactivate(in->plugin);
  in->plugin->destroy(in->plugin);
  in->plugin = NULL;
}

static int64_t CLAP_ABI file_write(const clap_ostream_t *s, const void *buf, uint64_t size) {
  return (int64_t)fwrite(buf, 1, (size_t)size, (FILE *)s->ctx);
}
static int64_t CLAP_ABI file_read(const clap_istream_t *s, void *buf, uint64_t size) {
  const size_t n = fread(buf, 1, (size_t)size, (FILE *)s->ctx);
  return n ? (int64_t)n : (ferror((FILE *)s->ctx) ? -1 : 0);
}

typedef struct mem_stream {
  uint8_t *data;
  size_t len, cap;
} mem_stream;

static int64_t CLAP_ABI mem_write(const clap_ostream_t *s, const void *buf, uint64_t size) {
  mem_stream *m = s->ctx;
  if (m->len + size > m->cap) {
    size_t cap = m->cap ? m->cap * 2 : 4096;
    while (cap < m->len + size) cap *= 2;
    uint8_t *n = realloc(m->data, cap);
    if (!n) return -1;
    m->data = n;
    m->cap = cap;
  }
  memcpy(m->data + m->len, buf, (size_t)size);
  m->len += (size_t)size;
  return (int64_t)size;
}

/** The webview extension's two plugin-side calls. [main-thread] */
static void webview_command(inst *in, bool send, const char *arg) {
  const clap_plugin_webview_t *wv = in->plugin->get_extension(in->plugin, CLAP_EXT_WEBVIEW);
  if (!wv) {
    error("no %s", CLAP_EXT_WEBVIEW);
    return;
  }
  if (send) {
    const size_t n = strlen(arg) / 2;
    uint8_t *bytes = malloc(n ? n : 1);
    for (size_t i = 0; i < n; i++) {
      char hex[3] = {arg[2 * i], arg[2 * i + 1], 0};
      bytes[i] = (uint8_t)strtol(hex, NULL, 16);
    }
    const bool ok = wv->receive(in->plugin, bytes, (uint32_t)n);
    free(bytes);
    line("{\"ev\":\"webview\",\"inst\":%d,\"ok\":%s}", in->id, ok ? "true" : "false");
    return;
  }
  mem_stream m = {NULL, 0, 0};
  clap_ostream_t os = {&m, mem_write};
  char mime[128] = "";
  const bool ok = wv->get_resource(in->plugin, arg, mime, sizeof mime, &os);
  char esc[300];
  json_escape(mime, esc, sizeof esc);
  line("{\"ev\":\"resource\",\"inst\":%d,\"ok\":%s,\"mime\":\"%s\",\"bytes\":%zu}", in->id, ok ? "true" : "false", esc,
       m.len);
  free(m.data);
}

static void schedule(inst *in, const sched_ev *e) {
  pthread_mutex_lock(&g_lock);
  if (in->sched_count < MAX_SCHED) in->sched[in->sched_count++] = *e;
  pthread_mutex_unlock(&g_lock);
}

static void command(char *text) {
  char *argv[8];
  int argc = 0;
  for (char *tok = strtok(text, " \t\r"); tok && argc < 8; tok = strtok(NULL, " \t\r")) argv[argc++] = tok;
  if (argc == 0) return;
  const char *c = argv[0];
  inst *in = argc > 1 ? find(atoi(argv[1])) : NULL;
  char b1[40];
  if (!strcmp(c, "new")) {
    cmd_new();
  } else if (!strcmp(c, "play") || !strcmp(c, "stop")) {
    pthread_mutex_lock(&g_lock);
    g_playing = !strcmp(c, "play");
    set_pos(g_pos);
    pthread_mutex_unlock(&g_lock);
  } else if (!strcmp(c, "tempo") && argc == 2 && atof(argv[1]) > 0) {
    pthread_mutex_lock(&g_lock);
    g_tempo = atof(argv[1]);
    set_pos(g_pos);
    pthread_mutex_unlock(&g_lock);
  } else if (!strcmp(c, "seek") && argc == 2) {
    pthread_mutex_lock(&g_lock);
    set_pos(atof(argv[1]));
    pthread_mutex_unlock(&g_lock);
  } else if (!strcmp(c, "loop") && argc == 2 && !strcmp(argv[1], "off")) {
    pthread_mutex_lock(&g_lock);
    g_loop = false;
    pthread_mutex_unlock(&g_lock);
  } else if (!strcmp(c, "loop") && argc == 3 && atof(argv[2]) > atof(argv[1])) {
    pthread_mutex_lock(&g_lock);
    g_loop = true;
    g_loop_start = atof(argv[1]);
    g_loop_end = atof(argv[2]);
    pthread_mutex_unlock(&g_lock);
  } else if (!strcmp(c, "quit")) {
    /* handled by the caller */
  } else if (!in) {
    error("unknown command or instance: %s", c);
  } else if (!strcmp(c, "gui")) {
    const bool ok = in->gui && in->gui->create(in->plugin, WINDOW_API, true) && in->gui->show(in->plugin);
    line("{\"ev\":\"gui\",\"inst\":%d,\"ok\":%s}", in->id, ok ? "true" : "false");
  } else if (!strcmp(c, "note") && (argc == 6 || argc == 7)) {
    sched_ev e;
    memset(&e, 0, sizeof e);
    e.beat = atof(argv[2]);
    e.key = atoi(argv[3]) & 0x7f;
    e.velocity = atof(argv[4]) / 127.0;
    e.channel = argc == 7 ? (atoi(argv[6]) & 0x0f) : 0;
    e.kind = 0;
    schedule(in, &e);
    e.kind = 1;
    e.beat += atof(argv[5]);
    e.velocity = 0;
    schedule(in, &e);
  } else if (!strcmp(c, "midi") && argc == 6) {
    sched_ev e;
    memset(&e, 0, sizeof e);
    e.kind = 2;
    e.beat = atof(argv[2]);
    for (int i = 0; i < 3; i++) e.bytes[i] = (uint8_t)strtol(argv[3 + i], NULL, 0);
    schedule(in, &e);
  } else if (!strcmp(c, "param") && argc == 4) {
    sched_ev e;
    memset(&e, 0, sizeof e);
    e.kind = 3;
    e.param_id = fnv1a(argv[2]);
    e.value = atof(argv[3]);
    schedule(in, &e);
  } else if (!strcmp(c, "getparam") && argc == 3) {
    double v = 0;
    if (!in->params || !in->params->get_value(in->plugin, fnv1a(argv[2]), &v)) error("no parameter %s", argv[2]);
    else line("{\"ev\":\"param\",\"inst\":%d,\"id\":\"%s\",\"value\":%s}", in->id, argv[2], num(v, b1, sizeof b1));
  } else if ((!strcmp(c, "save") || !strcmp(c, "load")) && argc == 3) {
    const bool save = !strcmp(c, "save");
    FILE *f = fopen(argv[2], save ? "wb" : "rb");
    bool ok = false;
    if (f && in->state) {
      if (save) {
        clap_ostream_t os = {f, file_write};
        ok = in->state->save(in->plugin, &os);
      } else {
        clap_istream_t is = {f, file_read};
        ok = in->state->load(in->plugin, &is);
      }
    }
    if (f) fclose(f);
    if (!ok) error("%s %d %s failed", c, in->id, argv[2]);
    else line("{\"ev\":\"%s\",\"inst\":%d}", save ? "saved" : "loaded", in->id);
  } else if ((!strcmp(c, "webview-send") || !strcmp(c, "webview-resource")) && argc == 3) {
    webview_command(in, !strcmp(c, "webview-send"), argv[2]);
  } else if (!strcmp(c, "destroy")) {
    destroy_inst(in);
    line("{\"ev\":\"destroyed\",\"inst\":%d}", atoi(argv[1]));
  } else {
    error("bad command: %s", c);
  }
}

static int cmp_u32(const void *a, const void *b) {
  const uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return (x > y) - (x < y);
}

static void quit(void) {
  for (int i = 0; i < g_inst_count; i++)
    if (g_inst[i] && g_inst[i]->used) destroy_inst(g_inst[i]);
  atomic_store(&g_process_run, false);
  pthread_join(g_process_thread, NULL);
  atomic_store(&g_printer_run, false);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: host <path/to/DeepImprov.clap>\n");
    return 2;
  }
  g_main_thread = pthread_self();
  void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    error("dlopen: %s", dlerror());
    return 1;
  }
  g_entry = (const clap_plugin_entry_t *)dlsym(lib, "clap_entry");
  if (!g_entry || g_entry->clap_version.major != 1 || !g_entry->init(argv[1])) {
    error("no usable clap_entry");
    return 1;
  }
  g_factory = g_entry->get_factory(CLAP_PLUGIN_FACTORY_ID);
  if (!g_factory || g_factory->get_plugin_count(g_factory) != 1 ||
      !check_descriptor(g_factory->get_plugin_descriptor(g_factory, 0))) {
    error("bad factory or descriptor");
    return 1;
  }
  g_cost = calloc(COST_CAP, sizeof *g_cost);
  if (!g_cost || !ring_init(&g_out_ring, sizeof(out_rec), 1u << 16)) return 1;
  atomic_store(&g_process_run, true);
  atomic_store(&g_printer_run, true);
  pthread_t printer;
  pthread_create(&printer, NULL, printer_main, NULL);
  pthread_create(&g_process_thread, NULL, process_main, NULL);

  char buf[8192];
  size_t len = 0;
  bool running = true;
  while (running) {
    struct pollfd pfd = {0, POLLIN, 0};
    const int r = poll(&pfd, 1, 10);
    for (int i = 0; i < g_inst_count; i++) {
      inst *in = g_inst[i];
      if (in && in->used && atomic_exchange(&in->callback_requested, false)) in->plugin->on_main_thread(in->plugin);
    }
    if (r <= 0) continue;
    const ssize_t n = read(0, buf + len, sizeof buf - 1 - len);
    if (n <= 0) break; /* end of input: quit */
    len += (size_t)n;
    char *start = buf;
    char *nl;
    while ((nl = memchr(start, '\n', (size_t)(buf + len - start)))) {
      *nl = 0;
      const bool is_quit = !strncmp(start, "quit", 4) && (start[4] == 0 || start[4] == '\r' || start[4] == ' ');
      if (is_quit) {
        running = false;
        break;
      }
      command(start);
      start = nl + 1;
    }
    len = (size_t)(buf + len - start);
    memmove(buf, start, len);
    if (len >= sizeof buf - 1) len = 0; /* an absurdly long line: dropped */
  }

  quit();
  pthread_join(printer, NULL);
  const size_t count = g_cost_count < COST_CAP ? g_cost_count : COST_CAP;
  double p50 = 0, p99 = 0, mx = 0;
  if (count) {
    qsort(g_cost, count, sizeof *g_cost, cmp_u32);
    p50 = g_cost[count / 2] / 1000.0;
    p99 = g_cost[(count * 99) / 100 < count ? (count * 99) / 100 : count - 1] / 1000.0;
    mx = g_cost[count - 1] / 1000.0;
  }
  if (atomic_load(&g_out_lost)) error("%u output events lost", atomic_load(&g_out_lost));
  line("{\"ev\":\"process-cost\",\"p50_us\":%.1f,\"p99_us\":%.1f,\"max_us\":%.1f,\"block_us\":2666.7,\"blocks\":%zu}", p50,
       p99, mx, count);
  for (int i = 0; i < g_inst_count; i++) free(g_inst[i]);
  free(g_cost);
  ring_free(&g_out_ring);
  g_entry->deinit();
  dlclose(lib);
  return 0;
}
