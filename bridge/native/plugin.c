/*
 * plugin.c: the instance lifecycle, the render and latency extensions, and
 * process(): copy audio, pass input notes through at their sample, forward
 * them to the page, drain the network ring and play the returned MIDI that
 * is due in this block.
 */
#include "plugin.h"

#include <stdio.h>
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

/* ---- audio-thread helpers ---------------------------------------------------------- */

/** Pushes a record for the network thread; counts it when the ring is full. [audio-thread] */
static void to_net(di_plugin *p, const a2n_msg *m) {
  if (!ring_push(&p->a2n, m)) atomic_fetch_add_explicit(&p->a2n_lost, 1, memory_order_relaxed);
}

/** [audio-thread] */
static void emit_note(const clap_output_events_t *out, uint32_t time, uint16_t type, int ch, int key, double vel) {
  clap_event_note_t ev;
  memset(&ev, 0, sizeof ev);
  ev.header.size = sizeof ev;
  ev.header.time = time;
  ev.header.space_id = CLAP_CORE_EVENT_SPACE_ID;
  ev.header.type = type;
  ev.note_id = -1;
  ev.port_index = 0;
  ev.channel = (int16_t)ch;
  ev.key = (int16_t)key;
  ev.velocity = vel;
  out->try_push(out, &ev.header);
}

/** Emits one returned MIDI message: notes in the CLAP dialect, the rest as MIDI. [audio-thread] */
static void emit_midi(const clap_output_events_t *out, uint32_t time, const uint8_t *data, uint8_t size) {
  const notes_kind kind = notes_classify(data, size);
  if (kind != NOTES_OTHER) {
    emit_note(out, time, kind == NOTES_ON ? CLAP_EVENT_NOTE_ON : CLAP_EVENT_NOTE_OFF, data[0] & 0x0f, data[1] & 0x7f,
              (data[2] & 0x7f) / 127.0);
    return;
  }
  clap_event_midi_t ev;
  memset(&ev, 0, sizeof ev);
  ev.header.size = sizeof ev;
  ev.header.time = time;
  ev.header.type = CLAP_EVENT_MIDI;
  ev.port_index = 0;
  for (uint8_t i = 0; i < size && i < 3; i++) ev.data[i] = data[i];
  out->try_push(out, &ev.header);
}

/** Ends every note the bridge started and forgets the pending queue. [audio-thread] */
static void end_all_notes(di_plugin *p, const clap_output_events_t *out, uint32_t time) {
  uint8_t list[16 * 128][2];
  const uint32_t n = notes_take_all(&p->sounding, list, 16 * 128);
  for (uint32_t i = 0; i < n; i++) {
    if (out) emit_note(out, time, CLAP_EVENT_NOTE_OFF, list[i][0], list[i][1], 0.0);
  }
  timing_queue_clear(&p->queue);
}

/**
 * Applies the network thread's records. `out` receives events at sample 0
 * (NULL inside params.flush: notes to end wait for the next process()).
 * [audio-thread, or params.flush while not processing]
 */
static void drain_net(di_plugin *p, const clap_output_events_t *out, bool can_emit_notes) {
  n2a_msg m;
  uint32_t budget = DI_DRAIN_PER_BLOCK; /* bounded work per block; the rest waits in the ring */
  while (budget-- > 0 && ring_pop(&p->n2a, &m)) {
    switch (m.kind) {
      case N2A_MIDI_OUT: {
        if (!p->queue.slot) break; /* not active */
        timing_event ev = {m.beats, m.size, {m.data[0], m.data[1], m.data[2]}};
        timing_queue_push(&p->queue, &ev, &p->counters);
        break;
      }
      case N2A_PARAM:
        di_param_set(p, m.param_index, m.value);
        if (out) di_params_emit_change(p, out, 0, m.param_index, m.value);
        break;
      case N2A_CONNECTED: p->page_connected = true; break;
      case N2A_DISCONNECTED: /* a vanished page leaves no note hanging */
      case N2A_ALL_NOTES_OFF:
        if (m.kind == N2A_DISCONNECTED) p->page_connected = false;
        if (can_emit_notes) end_all_notes(p, out, 0);
        else {
          timing_queue_clear(&p->queue);
          atomic_store(&p->end_notes_request, true);
        }
        break;
      default: break;
    }
  }
}

/** Reads the host transport into the clock's form. [audio-thread] */
static void read_transport(const clap_event_transport_t *t, timing_host *h) {
  memset(h, 0, sizeof *h);
  if (!t) return;
  h->present = true;
  h->playing = (t->flags & CLAP_TRANSPORT_IS_PLAYING) != 0;
  h->has_tempo = (t->flags & CLAP_TRANSPORT_HAS_TEMPO) != 0;
  h->has_beats = (t->flags & CLAP_TRANSPORT_HAS_BEATS_TIMELINE) != 0;
  h->loop_active = (t->flags & CLAP_TRANSPORT_IS_LOOP_ACTIVE) != 0;
  h->recording = (t->flags & CLAP_TRANSPORT_IS_RECORDING) != 0;
  h->pos_beats = (double)t->song_pos_beats / (double)CLAP_BEATTIME_FACTOR;
  h->bar_start_beats = (double)t->bar_start / (double)CLAP_BEATTIME_FACTOR;
  h->tempo_bpm = t->tempo;
  h->loop_start_beats = (double)t->loop_start_beats / (double)CLAP_BEATTIME_FACTOR;
  h->loop_end_beats = (double)t->loop_end_beats / (double)CLAP_BEATTIME_FACTOR;
  if (t->flags & CLAP_TRANSPORT_HAS_TIME_SIGNATURE) {
    h->ts_num = (uint8_t)(t->tsig_num > 255 ? 255 : t->tsig_num);
    h->ts_denom = (uint8_t)(t->tsig_denom > 255 ? 255 : t->tsig_denom);
  }
}

/** Sends a TRANSPORT snapshot when something changed or every 100 ms. [audio-thread] */
static void maybe_send_transport(di_plugin *p, const timing_block *blk, const timing_host *h, bool force) {
  uint8_t flags = 0;
  if (blk->playing) flags |= 1;
  if (h->present && h->loop_active) flags |= 2;
  if (h->present && h->recording) flags |= 4;
  if (h->present) flags |= 8;
  const uint64_t interval = (uint64_t)(p->sample_rate / 10.0);
  if (!force && flags == p->last_transport_flags && blk->tempo_bpm == p->last_transport_tempo &&
      p->frames_since_activate - p->transport_sent_at < interval)
    return;
  a2n_msg m;
  memset(&m, 0, sizeof m);
  m.kind = A2N_TRANSPORT;
  m.sample_time = p->frames_since_activate;
  m.beats = blk->pos_beats;
  m.bar_start = blk->bar_start_beats;
  m.tempo = blk->tempo_bpm;
  m.loop_start = h->present ? h->loop_start_beats : 0;
  m.loop_end = h->present ? h->loop_end_beats : 0;
  m.ts_num = blk->ts_num;
  m.ts_denom = blk->ts_denom;
  m.flags = flags;
  to_net(p, &m);
  p->transport_sent_at = p->frames_since_activate;
  p->last_transport_flags = flags;
  p->last_transport_tempo = blk->tempo_bpm;
}

/** Forwards a DAW note/MIDI input to the page with its song position. [audio-thread] */
static void send_midi_in(di_plugin *p, const timing_block *blk, uint32_t time, const uint8_t *data, uint8_t size) {
  a2n_msg m;
  memset(&m, 0, sizeof m);
  m.kind = A2N_MIDI_IN;
  m.sample_time = p->frames_since_activate + time;
  m.beats = blk->pos_beats + timing_frames_to_beats(time, blk->tempo_bpm, p->sample_rate);
  m.size = size;
  for (uint8_t i = 0; i < size && i < 3; i++) m.data[i] = data[i];
  to_net(p, &m);
}

/** Passes one input event through to the output and on to the page. [audio-thread] */
static void handle_input(di_plugin *p, const clap_process_t *pr, const timing_block *blk, const clap_event_header_t *ev) {
  if (ev->space_id != CLAP_CORE_EVENT_SPACE_ID) return;
  switch (ev->type) {
    case CLAP_EVENT_NOTE_ON:
    case CLAP_EVENT_NOTE_OFF:
    case CLAP_EVENT_NOTE_CHOKE: {
      const clap_event_note_t *n = (const clap_event_note_t *)ev;
      clap_event_note_t copy = *n;
      copy.port_index = 0;
      pr->out_events->try_push(pr->out_events, &copy.header);
      if (n->channel >= 0 && n->channel < 16 && n->key >= 0 && n->key < 128 && ev->type != CLAP_EVENT_NOTE_CHOKE) {
        int vel = (int)(n->velocity * 127.0 + 0.5);
        if (vel > 127) vel = 127;
        if (vel < 0) vel = 0;
        if (ev->type == CLAP_EVENT_NOTE_ON && vel == 0) vel = 1; /* keep it a note-on in MIDI 1.0 */
        uint8_t d[3] = {(uint8_t)((ev->type == CLAP_EVENT_NOTE_ON ? 0x90 : 0x80) | n->channel), (uint8_t)n->key,
                        (uint8_t)vel};
        send_midi_in(p, blk, ev->time, d, 3);
      }
      break;
    }
    case CLAP_EVENT_MIDI: {
      const clap_event_midi_t *m = (const clap_event_midi_t *)ev;
      clap_event_midi_t copy = *m;
      copy.port_index = 0;
      pr->out_events->try_push(pr->out_events, &copy.header);
      const uint8_t st = m->data[0];
      uint8_t size = 3;
      if ((st & 0xf0) == 0xc0 || (st & 0xf0) == 0xd0 || st == 0xf1 || st == 0xf3) size = 2;
      else if (st >= 0xf4 || st == 0xf6) size = 1;
      if (st & 0x80) send_midi_in(p, blk, ev->time, m->data, size);
      break;
    }
    case CLAP_EVENT_MIDI_SYSEX: {
      const clap_event_midi_sysex_t *s = (const clap_event_midi_sysex_t *)ev;
      clap_event_midi_sysex_t copy = *s;
      copy.port_index = 0;
      pr->out_events->try_push(pr->out_events, &copy.header);
      break;
    }
    case CLAP_EVENT_PARAM_VALUE: di_params_handle_input(p, ev); break;
    default: break;
  }
}

/** Copies input audio to output bit-exactly (nothing when the host processes in place). [audio-thread] */
static void copy_audio(const clap_process_t *pr) {
  const uint32_t frames = pr->frames_count;
  for (uint32_t port = 0; port < pr->audio_outputs_count; port++) {
    clap_audio_buffer_t *o = &pr->audio_outputs[port];
    const clap_audio_buffer_t *in = port < pr->audio_inputs_count ? &pr->audio_inputs[port] : NULL;
    for (uint32_t c = 0; c < o->channel_count; c++) {
      const bool have = in && c < in->channel_count;
      if (o->data32) {
        float *dst = o->data32[c];
        const float *src = have && in->data32 ? in->data32[c] : NULL;
        if (src && src != dst) memcpy(dst, src, frames * sizeof *dst);
        else if (!src) memset(dst, 0, frames * sizeof *dst);
      } else if (o->data64) {
        double *dst = o->data64[c];
        const double *src = have && in->data64 ? in->data64[c] : NULL;
        if (src && src != dst) memcpy(dst, src, frames * sizeof *dst);
        else if (!src) memset(dst, 0, frames * sizeof *dst);
      }
    }
    o->constant_mask = in ? in->constant_mask : ~(uint64_t)0;
  }
}

/** [audio-thread] Never blocks, locks, allocates or does I/O. */
static clap_process_status di_process(const clap_plugin_t *plugin, const clap_process_t *pr) {
  di_plugin *p = di_from(plugin);
  const uint32_t frames = pr->frames_count;
  const clap_output_events_t *out = pr->out_events;
  copy_audio(pr);

  if (atomic_exchange(&p->end_notes_request, false)) end_all_notes(p, out, 0);

  timing_host host;
  read_transport(pr->transport, &host);
  timing_block blk;
  timing_clock_block(&p->clock, &host, frames, &blk);
  const bool jump = blk.stopped || blk.discontinuity;
  if (jump) end_all_notes(p, out, 0); /* a stop or seek ends our notes and forgets pending answers */
  maybe_send_transport(p, &blk, &host, jump || p->frames_since_activate == 0);

  drain_net(p, out, true);

  const uint32_t due = timing_queue_take_due(&p->queue, &blk, p->sample_rate, frames, &p->sounding, p->due, DI_MAX_DUE,
                                             &p->counters);
  const uint32_t n_in = pr->in_events ? pr->in_events->size(pr->in_events) : 0;
  uint32_t i = 0, d = 0;
  while (i < n_in || d < due) {
    const clap_event_header_t *ev = i < n_in ? pr->in_events->get(pr->in_events, i) : NULL;
    if (i < n_in && !ev) {
      i++;
      continue;
    }
    if (ev && (d >= due || ev->time <= p->due[d].sample)) {
      handle_input(p, pr, &blk, ev);
      i++;
    } else {
      emit_midi(out, p->due[d].sample, p->due[d].ev.data, p->due[d].ev.size);
      d++;
    }
  }

  atomic_store_explicit(&p->stat_exact, p->counters.exact, memory_order_relaxed);
  atomic_store_explicit(&p->stat_late, p->counters.late, memory_order_relaxed);
  atomic_store_explicit(&p->stat_dropped, p->counters.dropped, memory_order_relaxed);
  atomic_store_explicit(&p->stat_overflow, p->counters.overflow, memory_order_relaxed);
  p->frames_since_activate += frames;
  return CLAP_PROCESS_CONTINUE;
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

/* ---- params.flush needs the same drain (params.c calls it) ------------------------------- */

/** [active && !processing: audio-thread; !active: main-thread] */
void di_flush_from_params(di_plugin *p, const clap_output_events_t *out);
void di_flush_from_params(di_plugin *p, const clap_output_events_t *out) { drain_net(p, out, false); }

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
