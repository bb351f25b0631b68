/*
 * process.c: the instance's audio thread: process() copies audio, passes
 * input notes through at their sample, forwards them to the page, drains the
 * network ring and plays the returned MIDI that is due in this block.
 * Nothing here blocks, locks, allocates or does I/O.
 */
#include "plugin.h"

#include <string.h>

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
clap_process_status di_process(const clap_plugin_t *plugin, const clap_process_t *pr) {
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

/** [active && !processing: audio-thread; !active: main-thread] params.flush needs the same drain. */
void di_flush_from_params(di_plugin *p, const clap_output_events_t *out) { drain_net(p, out, false); }
