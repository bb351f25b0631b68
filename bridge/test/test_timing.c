/*
 * test_timing.c: song position <-> sample mapping, the free clock, stop and
 * discontinuity detection, and the pending queue's exact / late / drop /
 * overflow rules with the note-off guarantees.
 */
#include <math.h>

#include "../native/timing.h"
#include "unit.h"

#define SR 48000.0

static timing_host playing_at(double pos, double tempo) {
  timing_host h;
  memset(&h, 0, sizeof h);
  h.present = h.playing = h.has_tempo = h.has_beats = true;
  h.pos_beats = pos;
  h.tempo_bpm = tempo;
  h.bar_start_beats = floor(pos / 4) * 4;
  h.ts_num = h.ts_denom = 4;
  return h;
}

static timing_event ev3(double beats, uint8_t a, uint8_t b, uint8_t c) {
  timing_event e = {beats, 3, {a, b, c}};
  return e;
}

static void test_mapping(void) {
  CHECK(timing_offset(4.5, 4.0, 120, SR) == 12000); /* half a beat at 120 BPM = 0.25 s */
  CHECK(timing_offset(4.0, 4.0, 120, SR) == 0);
  CHECK(timing_offset(3.75, 4.0, 120, SR) == -6000);
  CHECK(timing_offset(4.0 + 1.0 / 48000.0 / 2.0 * 0.9, 4.0, 120, SR) == 0); /* rounds to the nearest sample */
  CHECK(timing_offset(1, 0, 60, 44100) == 44100);
  CHECK(timing_offset(NAN, 0, 120, SR) > 1000000000); /* never due */
  CHECK(fabs(timing_frames_to_beats(48000, 120, SR) - 2.0) < 1e-12);
}

static void test_clock(void) {
  timing_clock c;
  timing_block b;
  timing_clock_init(&c, SR);
  /* no transport at all: a free clock from 0 at 120 BPM */
  timing_clock_block(&c, NULL, 128, &b);
  CHECK(b.pos_beats == 0 && b.tempo_bpm == 120 && !b.playing && !b.discontinuity && !b.stopped);
  timing_clock_block(&c, NULL, 128, &b);
  CHECK(fabs(b.pos_beats - 128 * 2.0 / SR) < 1e-12 && !b.discontinuity);

  /* host playing: its position is used, steady progress is no discontinuity */
  timing_clock_init(&c, SR);
  timing_host h = playing_at(8.0, 90);
  timing_clock_block(&c, &h, 128, &b);
  CHECK(b.pos_beats == 8.0 && b.tempo_bpm == 90 && b.playing && !b.discontinuity);
  h.pos_beats += timing_frames_to_beats(128, 90, SR);
  timing_clock_block(&c, &h, 128, &b);
  CHECK(!b.discontinuity && !b.stopped);
  /* a small wobble under one block is tolerated */
  h.pos_beats += timing_frames_to_beats(128, 90, SR) * 1.5;
  timing_clock_block(&c, &h, 128, &b);
  CHECK(!b.discontinuity);
  /* a seek (loop jump) is a discontinuity */
  h.pos_beats = 2.0;
  timing_clock_block(&c, &h, 128, &b);
  CHECK(b.discontinuity && b.pos_beats == 2.0);
  /* stop: flagged once, then the free clock advances from the last position at the last tempo */
  const double last = b.pos_beats;
  h.playing = false;
  h.pos_beats = 0.0; /* a stopped host may report anything */
  timing_clock_block(&c, &h, 128, &b);
  CHECK(b.stopped && !b.playing && !b.discontinuity);
  CHECK(fabs(b.pos_beats - (last + timing_frames_to_beats(128, 90, SR))) < 1e-12);
  timing_clock_block(&c, &h, 128, &b);
  CHECK(!b.stopped && fabs(b.pos_beats - (last + 2 * timing_frames_to_beats(128, 90, SR))) < 1e-12);
  /* a stopped host that changes its tempo: the free clock follows the new tempo */
  h.tempo_bpm = 60;
  const double before = b.pos_beats;
  timing_clock_block(&c, &h, 128, &b);
  timing_clock_block(&c, &h, 128, &b);
  CHECK(fabs(b.pos_beats - (before + timing_frames_to_beats(128, 90, SR) + timing_frames_to_beats(128, 60, SR))) < 1e-12);
  /* play again somewhere else: a discontinuity */
  h = playing_at(100.0, 60);
  timing_clock_block(&c, &h, 128, &b);
  CHECK(b.playing && b.discontinuity);
  /* bar start is given by the host while playing, computed by the free clock */
  CHECK(b.bar_start_beats == 100.0);
  CHECK(b.ts_num == 4 && b.ts_denom == 4);
}

static void test_queue(void) {
  timing_queue q;
  timing_counters cnt = {0, 0, 0, 0};
  notes n;
  notes_reset(&n);
  timing_due due[64];
  CHECK(timing_queue_init(&q, 8));
  timing_block blk;
  memset(&blk, 0, sizeof blk);
  blk.pos_beats = 4.0;
  blk.tempo_bpm = 120;

  /* inserted out of order, emitted in time order at the exact sample */
  timing_event a = ev3(4.0 + 100.0 / 24000.0, 0x90, 60, 100); /* sample 100 */
  timing_event b = ev3(4.0 + 10.0 / 24000.0, 0x90, 62, 100);  /* sample 10 */
  timing_event later = ev3(4.0 + 128.0 / 24000.0, 0x90, 64, 100); /* sample 128: next block */
  CHECK(timing_queue_push(&q, &a, &cnt) && timing_queue_push(&q, &later, &cnt) && timing_queue_push(&q, &b, &cnt));
  uint32_t k = timing_queue_take_due(&q, &blk, SR, 128, &n, due, 64, &cnt);
  CHECK(k == 2);
  CHECK(due[0].sample == 10 && due[0].ev.data[1] == 62);
  CHECK(due[1].sample == 100 && due[1].ev.data[1] == 60);
  CHECK(q.count == 1 && cnt.exact == 2);
  CHECK(notes_sounding(&n, 0, 60) && notes_sounding(&n, 0, 62));
  blk.pos_beats += 128.0 / 24000.0;
  k = timing_queue_take_due(&q, &blk, SR, 128, &n, due, 64, &cnt);
  CHECK(k == 1 && due[0].sample == 0 && cnt.exact == 3 && q.count == 0);

  /* late by less than a 32nd note: sample 0, counted late */
  blk.pos_beats = 10.0;
  timing_event l1 = ev3(10.0 - 0.1, 0x90, 70, 90);
  timing_queue_push(&q, &l1, &cnt);
  k = timing_queue_take_due(&q, &blk, SR, 128, &n, due, 64, &cnt);
  CHECK(k == 1 && due[0].sample == 0 && cnt.late == 1 && notes_sounding(&n, 0, 70));
  /* late by a 32nd or more: dropped ... */
  timing_event l2 = ev3(10.0 - 0.125, 0x90, 71, 90);
  timing_event cc = ev3(10.0 - 1.0, 0xb0, 1, 64);
  timing_queue_push(&q, &l2, &cnt);
  timing_queue_push(&q, &cc, &cnt);
  k = timing_queue_take_due(&q, &blk, SR, 128, &n, due, 64, &cnt);
  CHECK(k == 0 && cnt.dropped == 2 && !notes_sounding(&n, 0, 71));
  /* ... but a late note-off of a sounding note always plays, at sample 0 */
  timing_event off70 = ev3(10.0 - 2.0, 0x80, 70, 0);
  timing_queue_push(&q, &off70, &cnt);
  k = timing_queue_take_due(&q, &blk, SR, 128, &n, due, 64, &cnt);
  CHECK(k == 1 && due[0].sample == 0 && due[0].ev.data[0] == 0x80 && !notes_sounding(&n, 0, 70));
  CHECK(cnt.dropped == 2);
  /* a very late note-off of a note that is not sounding: dropped */
  timing_event off71 = ev3(10.0 - 2.0, 0x80, 71, 0);
  timing_queue_push(&q, &off71, &cnt);
  k = timing_queue_take_due(&q, &blk, SR, 128, &n, due, 64, &cnt);
  CHECK(k == 0 && cnt.dropped == 3);
  /* an on-time note-off (velocity-0 note-on) of a note that is not sounding: nothing to end */
  timing_event off72 = ev3(10.0, 0x90, 72, 0);
  timing_queue_push(&q, &off72, &cnt);
  k = timing_queue_take_due(&q, &blk, SR, 128, &n, due, 64, &cnt);
  CHECK(k == 0 && q.count == 0);
  /* late and exact together: late ones first (sample 0), then by sample */
  timing_event x1 = ev3(10.0 + 64.0 / 24000.0, 0x90, 50, 1);
  timing_event x2 = ev3(10.0 - 0.01, 0x90, 51, 1);
  timing_queue_push(&q, &x1, &cnt);
  timing_queue_push(&q, &x2, &cnt);
  k = timing_queue_take_due(&q, &blk, SR, 128, &n, due, 64, &cnt);
  CHECK(k == 2 && due[0].ev.data[1] == 51 && due[0].sample == 0 && due[1].sample == 64);

  /* overflow: a full queue refuses and counts */
  timing_queue_clear(&q);
  for (int i = 0; i < 8; i++) {
    timing_event e = ev3(100.0 + i, 0x90, 40, 1);
    CHECK(timing_queue_push(&q, &e, &cnt));
  }
  timing_event e9 = ev3(50.0, 0x90, 40, 1);
  CHECK(!timing_queue_push(&q, &e9, &cnt) && cnt.overflow == 1 && q.count == 8);
  timing_event nan = ev3(NAN, 0x90, 40, 1);
  timing_queue_clear(&q);
  CHECK(!timing_queue_push(&q, &nan, &cnt) && cnt.overflow == 1); /* not counted as overflow */
  /* equal beats keep their arrival order (note-off before the next note-on) */
  timing_event s1 = ev3(200.0, 0x80, 40, 0), s2 = ev3(200.0, 0x90, 40, 99);
  notes_on(&n, 0, 40);
  timing_queue_push(&q, &s1, &cnt);
  timing_queue_push(&q, &s2, &cnt);
  blk.pos_beats = 200.0;
  k = timing_queue_take_due(&q, &blk, SR, 128, &n, due, 64, &cnt);
  CHECK(k == 2 && due[0].ev.data[0] == 0x80 && due[1].ev.data[0] == 0x90 && notes_sounding(&n, 0, 40));
  timing_queue_free(&q);
}

/** Many events in reverse and random order come out sorted by beat, equal beats in arrival order. */
static void test_queue_order(void) {
  timing_queue q;
  timing_counters cnt = {0, 0, 0, 0};
  notes n;
  notes_reset(&n);
  static timing_due due[4096];
  CHECK(timing_queue_init(&q, 4096));
  uint64_t rng = 12345;
  bool pushed = true;
  for (int i = 0; i < 4096; i++) {
    rng = rng * 6364136223846793005ull + 1442695040888963407ull;
    /* beats on a coarse grid so many are equal; the CC value records the arrival order */
    const double beats = 4.0 - (double)((rng >> 33) % 64) / 64.0 * (i % 2 ? 1.0 : 0.5);
    timing_event e = {beats, 3, {0xb0, (uint8_t)(i >> 7), (uint8_t)(i & 0x7f)}};
    pushed = timing_queue_push(&q, &e, &cnt) && pushed;
  }
  CHECK(pushed);
  timing_block blk;
  memset(&blk, 0, sizeof blk);
  blk.pos_beats = 3.0;
  blk.tempo_bpm = 120;
  const uint32_t k = timing_queue_take_due(&q, &blk, SR, 48000, &n, due, 4096, &cnt); /* one long block: all due */
  CHECK(k == 4096 && q.count == 0);
  bool sorted = true;
  for (uint32_t i = 1; i < k; i++) {
    const int prev = due[i - 1].ev.data[1] * 128 + due[i - 1].ev.data[2], cur = due[i].ev.data[1] * 128 + due[i].ev.data[2];
    sorted = sorted && (due[i - 1].ev.beats < due[i].ev.beats || (due[i - 1].ev.beats == due[i].ev.beats && prev < cur));
    sorted = sorted && due[i - 1].sample <= due[i].sample;
  }
  CHECK(sorted);
  timing_queue_free(&q);
}

void test_timing(void) {
  test_mapping();
  test_clock();
  test_queue();
  test_queue_order();
}
