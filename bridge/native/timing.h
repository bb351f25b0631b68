/*
 * timing.h: the audio-thread clock and the pending queue of returned MIDI.
 * The clock turns the host transport (or its absence) into each block's song
 * position and tempo, with a free-running clock when the host is stopped or
 * gives no transport, and detects stops and jumps. The queue holds MIDI_OUT
 * events by song position and yields the ones due in a block at their exact
 * sample, applying the late / drop rules. Fixed capacity, no allocation
 * after init. [audio-thread]
 */
#ifndef DEEP_IMPROV_TIMING_H
#define DEEP_IMPROV_TIMING_H

#include <stdbool.h>
#include <stdint.h>

#include "notes.h"

/** A late event within this many beats of the block start plays at sample 0 (a 32nd note). */
#define TIMING_LATE_BEATS 0.125
/** Tempo of the free clock before any tempo is known. */
#define TIMING_DEFAULT_BPM 120.0

/** The host transport at a block's first sample, as the clock needs it. */
typedef struct timing_host {
  bool present;   /* the host gave a transport */
  bool playing;
  bool has_tempo;
  bool has_beats; /* song_pos_beats and bar_start are valid */
  bool loop_active;
  bool recording;
  double pos_beats;
  double bar_start_beats;
  double tempo_bpm;
  double loop_start_beats;
  double loop_end_beats;
  uint8_t ts_num, ts_denom;
} timing_host;

/** What the clock decided for one block. */
typedef struct timing_block {
  double pos_beats;   /* B0: song position at the block's first sample */
  double tempo_bpm;   /* T */
  bool playing;       /* host transport playing (else: free clock) */
  bool stopped;       /* playing in the previous block, not in this one */
  bool discontinuity; /* position differs from the expected one by more than one block */
  double bar_start_beats;
  uint8_t ts_num, ts_denom;
} timing_block;

typedef struct timing_clock {
  double sample_rate;
  bool have_last;
  double last_pos, last_tempo;
  bool last_playing;
  uint32_t last_frames;
} timing_clock;

void timing_clock_init(timing_clock *c, double sample_rate);
/** Computes the block's position; `host` may be NULL (no transport). */
void timing_clock_block(timing_clock *c, const timing_host *host, uint32_t frames, timing_block *out);

/** Beats covered by `frames` at `tempo_bpm`. */
double timing_frames_to_beats(double frames, double tempo_bpm, double sample_rate);

/** round((b - B0) * 60 / T * sample_rate), clamped to about ±2^52. */
int64_t timing_offset(double beats, double block_pos_beats, double tempo_bpm, double sample_rate);

/** One returned MIDI event. */
typedef struct timing_event {
  double beats;
  uint8_t size;
  uint8_t data[3];
} timing_event;

/** An event due in this block at `sample`. */
typedef struct timing_due {
  uint32_t sample;
  timing_event ev;
} timing_due;

/** Counters of the late / drop rules (the STATS message). */
typedef struct timing_counters {
  uint32_t exact, late, dropped, overflow;
} timing_counters;

/** A queued event with its arrival number (equal beats keep arrival order). */
typedef struct timing_slot {
  timing_event ev;
  uint64_t seq;
} timing_slot;

/**
 * Pending events: a binary min-heap on (beats, arrival), so a push and a
 * pop cost O(log n) whatever order the page sends them in.
 */
typedef struct timing_queue {
  timing_slot *slot;
  uint32_t count, cap;
  uint64_t next_seq;
} timing_queue;

/** Allocates room for `cap` events. [main-thread] */
bool timing_queue_init(timing_queue *q, uint32_t cap);
void timing_queue_free(timing_queue *q);
/** Queues an event; false (and overflow counted) when full, false for a non-finite beat. */
bool timing_queue_push(timing_queue *q, const timing_event *ev, timing_counters *counters);
void timing_queue_clear(timing_queue *q);

/**
 * Removes the events due in a block of `frames` starting at `blk->pos_beats`
 * and writes them to `out` (room for `cap`) in time order with their sample.
 * Late events within TIMING_LATE_BEATS go to sample 0 (late), later ones are
 * dropped, except a note-off of a sounding note (always sample 0). Note-ons
 * and note-offs update `sounding`; a note-off of a note that is not sounding
 * is dropped silently (nothing to end). Returns the count written.
 */
uint32_t timing_queue_take_due(timing_queue *q, const timing_block *blk, double sample_rate, uint32_t frames,
                               notes *sounding, timing_due *out, uint32_t cap, timing_counters *counters);

#endif
