/**
 * Phrase updates from the audio core, block by block: the phrase so far
 * goes to the worker at each update point played (each whole beat, and each
 * step of a bar's last beat while it leaves the margin before the decision
 * for the bar line), never more than one update
 * in flight, nothing while idle, and each update names the phrase start the
 * request then carries.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AudioCore } from '../../../dsp/core/audio-core.ts';
import { QUANTUM } from '../../../dsp/core/response-planner.ts';
import { PARAMETER_INDEX as P } from '../../../protocol/parameters.ts';
import type { PhraseUpdate } from '../../../protocol/processor-worker.ts';
import { FakeHost } from './fake-host.ts';

const SR = 48000;
/** Frames per beat at 120 BPM. */
const BEAT = SR / 2;

function setUp(mode: number, ready = true) {
  const host = new FakeHost();
  const core = new AudioCore(SR, host);
  host.core = core;
  core.parameters.set(P.mode, mode);
  core.parameters.set(P.responseBars, 0);
  core.parameters.set(P.silenceGap, 0.5);
  core.beginBlock(0);
  core.transport({ currentBar: 0, currentBarStarted: 0, tempo: 120, timeSigNumerator: 4, timeSigDenominator: 4, playing: true });
  if (ready) core.onWorkerMessage({ type: 'ready' }, 0, 'test');
  core.endBlock(undefined);
  return { host, core };
}

/** Note-ons at `beats` (a 16th long each), pitch 60 + i, into the blocks they fall in. */
function notesAt(core: AudioCore, beats: readonly number[]) {
  return (frame: number) => {
    beats.forEach((beat, i) => {
      for (const [at, bytes] of [[beat, [0x90, 60 + i, 100]], [beat + 0.25, [0x80, 60 + i, 0]]] as const) {
        const f = at * BEAT;
        if (f >= frame && f < frame + QUANTUM) core.midiIn(bytes, f / SR);
      }
    });
  };
}

/**
 * Runs blocks from `from` to `to` (frames). `answer(update)` decides, per
 * block, whether the worker hands the update's buffer back now.
 */
function run(core: AudioCore, host: FakeHost, from: number, to: number, events: (frame: number) => void, answer: (u: PhraseUpdate, frame: number) => boolean) {
  const pending: PhraseUpdate[] = [];
  let seen = 0;
  let maxInFlight = 0;
  for (let frame = from; frame < to; frame += QUANTUM) {
    core.beginBlock(frame);
    events(frame);
    core.endBlock([new Float32Array(QUANTUM)]);
    const updates = host.worker('phrase-update');
    pending.push(...updates.slice(seen));
    seen = updates.length;
    maxInFlight = Math.max(maxInFlight, pending.length);
    if (pending.length > 0 && answer(pending[0]!, frame)) {
      const u = pending.shift()!;
      // A copy: the one kept in the host's record must stay as it was sent (a real worker gets it by transfer).
      core.onWorkerMessage({ type: 'phrase-updated', id: u.id, notes: Float64Array.from(u.notes) }, frame + QUANTUM, 'test');
    }
  }
  return { maxInFlight };
}

/** The update point (16th-note steps) each update was sent at. */
const pointsOf = (updates: readonly PhraseUpdate[]) => updates.map((u) => Math.floor(u.playedBeats * 4 + 1e-6));

test('phrase updates: one per whole beat and per step of the last beat before the bar line, with the notes so far, and the start beat the request carries', () => {
  const { host, core } = setUp(1);
  const { maxInFlight } = run(core, host, QUANTUM, 7.95 * BEAT, notesAt(core, [4, 4.5, 5, 5.5, 6, 6.5]), () => true);
  assert.equal(maxInFlight, 1);
  const updates = host.worker('phrase-update');
  const request = host.worker('music-request')[0]!;
  assert.ok(request, 'the phrase was asked for');
  assert.equal(request.phraseStartBeat, 4);
  // Beats 5, 6 and 7 of the phrase (1, 2 and 3 played), then each 16th of its last beat; the request comes before beat 8.
  assert.deepEqual(pointsOf(updates), [4, 8, 12, 13, 14, 15]);
  assert.deepEqual(updates.map((u) => u.first), [true, false, false, false, false, false], 'the first update starts a new search');
  for (const u of updates) {
    assert.equal(u.phraseStartBeat, request.phraseStartBeat);
    assert.equal(u.model, core.parameters.values[P.model]);
    const starts = Array.from({ length: u.noteCount }, (_, i) => u.notes[i * 4 + 2]!);
    assert.deepEqual(starts, [0, 0.5, 1, 1.5, 2, 2.5].filter((s) => s < u.playedBeats), `update at ${u.playedBeats} beats: the notes played so far`);
    for (let i = 0; i < u.noteCount; i++) assert.ok(u.notes[i * 4 + 2]! + u.notes[i * 4 + 3]! <= u.playedBeats + 1e-3, `a held note is cut where the playing is: ${Array.from(u.notes.subarray(0, u.noteCount * 4)).join(' ')} at ${u.playedBeats}`);
  }
});

test('phrase updates: a step update that would leave the worker less than the margin before the decision is not sent', () => {
  const { host, core } = setUp(1);
  // 100 ms of output latency: the decision for beat 8 comes 0.4 beats before it, at 7.6; step 15 of the phrase (7.75) is too late.
  core.loop.outputLatencyFrames = 0.1 * SR;
  run(core, host, QUANTUM, 7.95 * BEAT, notesAt(core, [4, 4.5, 5, 5.5, 6, 6.5]), () => true);
  assert.ok(host.worker('music-request')[0], 'the phrase was asked for');
  assert.deepEqual(pointsOf(host.worker('phrase-update')), [4, 8, 12, 13, 14]);
});

test('phrase updates: never more than one in flight; a late answer lets the next update go at once', () => {
  const { host, core } = setUp(1);
  // The worker answers each update only one and a half beats after it left.
  const { maxInFlight } = run(core, host, QUANTUM, 7.95 * BEAT, notesAt(core, [4, 4.5, 5, 5.5, 6, 6.5]), (u, frame) => frame >= (4 + u.playedBeats + 1.5) * BEAT);
  assert.equal(maxInFlight, 1);
  const updates = host.worker('phrase-update');
  assert.equal(updates.length, 2, 'beat 1 was sent; beat 2 waited for its answer; beat 3 was due while the second was out');
  assert.ok(updates[1]!.playedBeats > 2.5 && updates[1]!.playedBeats < 3, `the second update left as the first was answered, at ${updates[1]!.playedBeats} beats`);
});

test('phrase updates: nothing is sent while idle, before the worker is ready, or while no worker is connected', () => {
  const idle = setUp(1);
  run(idle.core, idle.host, QUANTUM, 16 * BEAT, () => {}, () => true);
  assert.equal(idle.host.worker('phrase-update').length, 0, 'no notes: no update');
  const window = setUp(2);
  run(window.core, window.host, QUANTUM, 16 * BEAT, () => {}, () => true);
  assert.equal(window.host.worker('phrase-update').length, 0, 'accompaniment with nothing played: no update');
  const early = setUp(1, false);
  run(early.core, early.host, QUANTUM, 7.95 * BEAT, notesAt(early.core, [4, 5, 6]), () => true);
  assert.equal(early.host.worker('phrase-update').length, 0, 'no update before the worker is ready');
  const gone = setUp(1);
  gone.host.workerConnected = false;
  run(gone.core, gone.host, QUANTUM, 7.95 * BEAT, notesAt(gone.core, [4, 5, 6]), () => true);
  assert.equal(gone.host.worker('phrase-update').length, 0, 'no worker: no update');
});

test('phrase updates in accompaniment: each window is updated from its own start, which its request carries', () => {
  const { host, core } = setUp(2);
  // One-bar windows; a note on every beat.
  const beats = Array.from({ length: 12 }, (_, i) => i + 0.1);
  run(core, host, QUANTUM, 11.5 * BEAT, notesAt(core, beats), () => true);
  const requests = host.worker('music-request');
  const updates = host.worker('phrase-update');
  assert.ok(requests.length >= 2);
  for (const r of requests.slice(1)) {
    const mine = updates.filter((u) => u.phraseStartBeat === r.phraseStartBeat);
    assert.deepEqual(pointsOf(mine), [4, 8, 12, 13, 14, 15], `window at beat ${r.phraseStartBeat}: updates at its beats 1–3 and the steps of its last beat`);
    assert.deepEqual(mine.map((u) => u.first), [true, false, false, false, false, false]);
  }
});
