/** The output forwarder: planned events go ahead, live duplicates are dropped, late answers move a bar. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OutputForwarder, type ForwardedEvent, type ForwarderTiming, type Plan } from '../../../bridge/web/output-forwarder.ts';

/** 48 kHz page, 120 BPM: 24000 frames a beat, beat 0 at frame 0 (until `mapShiftBeats` moves the page's map); WAM beats are quarter notes. */
function setup(earliest = 0): { f: OutputForwarder; sent: ForwardedEvent[]; timing: ForwarderTiming & { earliest: number; mapShiftBeats: number } } {
  const sent: ForwardedEvent[] = [];
  const timing = {
    earliest,
    mapShiftBeats: 0,
    beatOfPageFrame(frame: number): number { return frame / 24000 + this.mapShiftBeats; },
    songPositionOfWamBeat: (wamBeat: number) => wamBeat,
    earliestSafeBeat(): number { return this.earliest; },
    barBeats: () => 4,
  };
  return { f: new OutputForwarder(timing, (e) => sent.push(e)), sent, timing };
}

/** A plan on the WAM's clock at 120 BPM with beat 0 at frame 0. */
const plan = (...events: number[][]): Plan => ({ events: new Float64Array(events.flat()), startBeat: 0, startFrame: 0, tempoBpm: 120, sampleRate: 48000 });

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

test('a plan keeps the positions the WAM planned when the page has re-anchored its clock since; live output follows the map now', () => {
  const { f, sent, timing } = setup(3);
  // The page's lag grew by 60 ms after the WAM planned on its old anchor: frames now map 0.12 beats earlier.
  timing.mapShiftBeats = -0.12;
  // The WAM planned beat 16 at frame 380000 on its clock then (beat 0 at frame -4000).
  const reported: Plan = { events: new Float64Array([380000, 0x90, 60, 100, 392000, 0x80, 60, 0]), startBeat: 16, startFrame: 380000, tempoBpm: 120, sampleRate: 48000 };
  const out = f.planned(reported, true);
  assert.equal(out.firstBeat, 16);
  assert.deepEqual(sent.map((e) => e.beat), [16, 16.5], 'on the bar line the WAM planned, not 0.12 beats early');
  assert.equal(f.live(380000, [0x90, 60, 100]), false, 'its live output is still recognised by frame');
  assert.equal(f.live(400000, [0x80, 61, 0]), true);
  assert.ok(Math.abs(sent[2].beat - (400000 / 24000 - 0.12)) < 1e-9, 'a live event is placed by the map now');
});
