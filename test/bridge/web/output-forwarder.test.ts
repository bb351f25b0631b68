/** The output forwarder: planned events go ahead, live duplicates are dropped, late answers move a bar. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OutputForwarder, type ForwardedEvent, type ForwarderTiming } from '../../../bridge/web/output-forwarder.ts';

/** 48 kHz page, 120 BPM: 24000 frames a beat, beat 0 at frame 0. */
function setup(earliest = 0): { f: OutputForwarder; sent: ForwardedEvent[]; timing: ForwarderTiming & { earliest: number } } {
  const sent: ForwardedEvent[] = [];
  const timing = {
    earliest,
    beatOfPageFrame: (frame: number) => frame / 24000,
    earliestSafeBeat(): number { return this.earliest; },
    barBeats: () => 4,
  };
  return { f: new OutputForwarder(timing, (e) => sent.push(e)), sent, timing };
}

const plan = (...events: number[][]): Float64Array => new Float64Array(events.flat());

test('a plan is sent at once, and its live output is not sent again', () => {
  const { f, sent } = setup(3);
  const out = f.planned(plan([96000, 0x90, 60, 100], [108000, 0x80, 60, 0]), true);
  assert.deepEqual(out, { sent: 2, movedBars: 0, skipped: 0, firstBeat: 4, marginBeats: 1 });
  assert.deepEqual(sent, [{ beat: 4, data: [0x90, 60, 100] }, { beat: 4.5, data: [0x80, 60, 0] }]);
  assert.equal(f.live(96000, [0x90, 60, 100]), false);
  assert.equal(f.live(108000, [0x80, 60, 0]), false);
  assert.equal(sent.length, 2);
  assert.equal(f.counters.duplicatesSkipped, 2);
  assert.equal(f.pendingCount, 0);
});

test('live output that was not planned (cancel note-offs, panic) is forwarded', () => {
  const { f, sent } = setup(3);
  f.planned(plan([96000, 0x90, 60, 100], [108000, 0x80, 60, 0]), true);
  assert.equal(f.live(100000, [0x80, 60, 0]), true);
  assert.equal(f.live(100000, [0xb0, 123, 0]), true);
  assert.deepEqual(sent.slice(2), [{ beat: 100000 / 24000, data: [0x80, 60, 0] }, { beat: 100000 / 24000, data: [0xb0, 123, 0] }]);
});

test('an answer that cannot reach its bar line in time moves whole to the next one it can reach', () => {
  const { f, sent } = setup(4.01);
  const out = f.planned(plan([96000, 0x90, 60, 100], [108000, 0x80, 60, 0]), true);
  assert.equal(out.movedBars, 1);
  assert.deepEqual(sent.map((e) => e.beat), [8, 8.5]);
  // Its live output (at the original frames) is still recognised.
  assert.equal(f.live(96000, [0x90, 60, 100]), false);
  const { f: g, sent: s2 } = setup(8.5);
  assert.equal(g.planned(plan([96000, 0x90, 60, 100]), true).movedBars, 2);
  assert.equal(s2[0].beat, 12);
});

test('a window keeps its place and skips the notes that cannot arrive, with their note-offs', () => {
  const { f, sent } = setup(4.2);
  const out = f.planned(plan([96000, 0x90, 60, 100], [102000, 0x80, 60, 0], [108000, 0x90, 62, 90], [114000, 0x80, 62, 0]), false);
  assert.equal(out.skipped, 2);
  assert.deepEqual(sent.map((e) => e.beat), [4.5, 4.75]);
  // The skipped ones are not sent late from the live output either.
  assert.equal(f.live(96000, [0x90, 60, 100]), false);
});

test('a late note-off of a note that was sent still goes', () => {
  const { f, sent, timing } = setup(0);
  f.planned(plan([96000, 0x90, 60, 100]), false);
  timing.earliest = 10;
  f.planned(plan([120000, 0x80, 60, 0]), false);
  assert.deepEqual(sent.map((e) => e.data[0]), [0x90, 0x80]);
});

test('program changes keep two bytes', () => {
  const { f, sent } = setup(0);
  f.planned(plan([48000, 0xc0, 5, 0]), true);
  assert.deepEqual(sent[0].data, [0xc0, 5]);
});
