/* timing.c: the clock and pending queue of timing.h. [audio-thread] unless noted */
#include "timing.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/** [main-thread] */
void timing_clock_init(timing_clock *c, double sample_rate) {
  memset(c, 0, sizeof *c);
  c->sample_rate = sample_rate;
  c->last_tempo = TIMING_DEFAULT_BPM;
}

/** [audio-thread] */
double timing_frames_to_beats(double frames, double tempo_bpm, double sample_rate) {
  return frames * tempo_bpm / (60.0 * sample_rate);
}

/** [audio-thread] */
void timing_clock_block(timing_clock *c, const timing_host *host, uint32_t frames, timing_block *out) {
  memset(out, 0, sizeof *out);
  const bool host_playing = host && host->present && host->playing && host->has_beats;
  double tempo = c->last_tempo;
  if (host && host->present && host->has_tempo && host->tempo_bpm > 0 && isfinite(host->tempo_bpm))
    tempo = host->tempo_bpm;
  const double expected =
      c->have_last ? c->last_pos + timing_frames_to_beats(c->last_frames, c->last_tempo, c->sample_rate) : 0.0;
  double pos;
  if (host_playing && isfinite(host->pos_beats)) pos = host->pos_beats;
  else if (c->have_last) pos = expected; /* free clock: continue at the last tempo */
  else pos = (host && host->present && host->has_beats && isfinite(host->pos_beats)) ? host->pos_beats : 0.0;
  out->pos_beats = pos;
  out->tempo_bpm = tempo;
  out->playing = host_playing;
  out->stopped = c->have_last && c->last_playing && !host_playing;
  if (c->have_last) {
    double block_beats = timing_frames_to_beats(frames, tempo, c->sample_rate);
    if (block_beats < 1e-9) block_beats = 1e-9;
    out->discontinuity = fabs(pos - expected) > block_beats;
  }
  out->ts_num = (host && host->present && host->ts_num) ? host->ts_num : 4;
  out->ts_denom = (host && host->present && host->ts_denom) ? host->ts_denom : 4;
  if (host_playing) {
    out->bar_start_beats = host->bar_start_beats;
  } else {
    const double bar = out->ts_num * 4.0 / out->ts_denom;
    out->bar_start_beats = floor(pos / bar) * bar;
  }
  c->have_last = true;
  c->last_pos = pos;
  c->last_tempo = tempo;
  c->last_playing = host_playing;
  c->last_frames = frames;
}

/** [audio-thread] */
int64_t timing_offset(double beats, double block_pos_beats, double tempo_bpm, double sample_rate) {
  const double x = (beats - block_pos_beats) * 60.0 / tempo_bpm * sample_rate;
  if (!(x < 4.0e15)) return INT64_C(4000000000000000); /* also NaN: far future, stays pending */
  if (x < -4.0e15) return -INT64_C(4000000000000000);
  return (int64_t)llround(x);
}

/** [main-thread] */
bool timing_queue_init(timing_queue *q, uint32_t cap) {
  q->slot = calloc(cap, sizeof *q->slot);
  q->count = 0;
  q->next_seq = 0;
  q->cap = q->slot ? cap : 0;
  return q->slot != NULL;
}

/** [main-thread] */
void timing_queue_free(timing_queue *q) {
  free(q->slot);
  q->slot = NULL;
  q->cap = q->count = 0;
}

/** Heap order: earlier beat first, then earlier arrival. [audio-thread] */
static bool before(const timing_slot *a, const timing_slot *b) {
  return a->ev.beats < b->ev.beats || (a->ev.beats == b->ev.beats && a->seq < b->seq);
}

/** [audio-thread] */
bool timing_queue_push(timing_queue *q, const timing_event *ev, timing_counters *counters) {
  if (q->count >= q->cap || !isfinite(ev->beats)) {
    counters->overflow += q->count >= q->cap;
    return false;
  }
  uint32_t i = q->count++;
  const timing_slot item = {*ev, q->next_seq++};
  while (i > 0 && before(&item, &q->slot[(i - 1) / 2])) { /* sift up */
    q->slot[i] = q->slot[(i - 1) / 2];
    i = (i - 1) / 2;
  }
  q->slot[i] = item;
  return true;
}

/** Removes the earliest event. [audio-thread] */
static void pop_min(timing_queue *q) {
  const timing_slot last = q->slot[--q->count];
  uint32_t i = 0;
  for (;;) { /* sift down */
    uint32_t c = 2 * i + 1;
    if (c >= q->count) break;
    if (c + 1 < q->count && before(&q->slot[c + 1], &q->slot[c])) c++;
    if (!before(&q->slot[c], &last)) break;
    q->slot[i] = q->slot[c];
    i = c;
  }
  if (q->count) q->slot[i] = last;
}

/** [audio-thread] */
void timing_queue_clear(timing_queue *q) { q->count = 0; }

uint32_t timing_queue_take_due(timing_queue *q, const timing_block *blk, double sample_rate, uint32_t frames,
                               notes *sounding, timing_due *out, uint32_t cap, timing_counters *counters) {
  uint32_t n = 0;
  while (q->count > 0 && n < cap) {
    const timing_event e = q->slot[0].ev;
    const int64_t off = timing_offset(e.beats, blk->pos_beats, blk->tempo_bpm, sample_rate);
    if (off >= (int64_t)frames) break;
    pop_min(q);
    const notes_kind kind = notes_classify(e.data, e.size);
    const int ch = e.data[0] & 0x0f, key = e.data[1] & 0x7f;
    uint32_t sample = 0;
    if (off >= 0) {
      sample = (uint32_t)off;
    } else if (blk->pos_beats - e.beats >= TIMING_LATE_BEATS && !(kind == NOTES_OFF && notes_sounding(sounding, ch, key))) {
      counters->dropped++;
      continue;
    }
    if (kind == NOTES_OFF && !notes_off(sounding, ch, key)) continue; /* nothing sounding to end */
    if (kind == NOTES_ON) notes_on(sounding, ch, key);
    if (off >= 0) counters->exact++;
    else counters->late++;
    out[n].sample = sample;
    out[n].ev = e;
    n++;
  }
  return n;
}
