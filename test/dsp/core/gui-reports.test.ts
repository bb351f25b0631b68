/**
 * What the audio core tells the node for the loop GUI, block by block: the
 * performer's notes as they are played (before the phrase ends), and each
 * music request with how it settles (planned, failed, stale).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AudioCore } from '../../../dsp/core/audio-core.ts';
import { QUANTUM } from '../../../dsp/core/response-planner.ts';
import { PERFORMER_EVENT_STRIDE } from '../../../protocol/node-processor.ts';
import { PARAMETER_INDEX as P } from '../../../protocol/parameters.ts';
import { FakeHost } from './fake-host.ts';

const SR = 48000;
const BEAT = SR / 2;

function setUp(mode: number) {
  const host = new FakeHost();
  const core = new AudioCore(SR, host);
  host.core = core;
  core.parameters.set(P.mode, mode);
  core.parameters.set(P.responseBars, 0);
  core.parameters.set(P.silenceGap, 0.5);
  core.beginBlock(0);
  core.transport({ currentBar: 0, currentBarStarted: 0, tempo: 120, timeSigNumerator: 4, timeSigDenominator: 4, playing: true });
  core.endBlock(undefined);
  return { host, core };
}

function run(core: AudioCore, from: number, to: number, events?: (frame: number) => void): number {
  let frame = from;
  const silence = [new Float32Array(QUANTUM)];
  for (; frame < to; frame += QUANTUM) {
    core.beginBlock(frame);
    events?.(frame);
    core.endBlock(silence);
  }
  return frame;
}

/** MIDI note events at beats, handed to the blocks they fall in. */
function notes(core: AudioCore, list: [number, number, number][]) {
  return (frame: number) => {
    for (const [beat, status, pitch] of list) {
      const f = beat * BEAT;
      if (f >= frame && f < frame + QUANTUM) core.midiIn([status, pitch, (status & 0xf0) === 0x90 ? 100 : 0], f / SR);
    }
  };
}

test('the performer\'s notes reach the node as they are played, long before the phrase ends', () => {
  const { host, core } = setUp(1);
  const played = notes(core, [[4, 0x90, 60], [4.5, 0x80, 60], [5, 0x90, 62], [5.5, 0x80, 62], [5, 0x91, 70]]);
  run(core, QUANTUM, 5.2 * BEAT, played);
  assert.equal(host.node('phrase').length, 0, 'the phrase has not ended yet');
  const events = host.node('performer-notes').flatMap((m) => {
    const out: number[][] = [];
    for (let i = 0; i < m.count; i++) out.push(Array.from(m.events.subarray(i * PERFORMER_EVENT_STRIDE, (i + 1) * PERFORMER_EVENT_STRIDE)));
    return out;
  });
  // The note on channel 2 counts too: the input channel is "all" by default.
  assert.deepEqual(events, [[4 * BEAT, 60, 100], [4.5 * BEAT, 60, 0], [5 * BEAT, 62, 100], [5 * BEAT, 70, 100]]);
  assert.ok(host.node('performer-notes').every((m) => m.sampleRate === SR));
  const reports = host.node('performer-notes');
  assert.ok(reports.every((m) => m.count > 0), 'a report leaves only when it has notes');
  assert.ok(reports.length <= 3, `batched at about 30 Hz, got ${reports.length} reports`);
});

test('with no worker connected there is no log, and no performer stream either (the roll then waits for the phrase)', () => {
  const { host, core } = setUp(1);
  host.workerConnected = false;
  run(core, QUANTUM, 5.2 * BEAT, notes(core, [[4, 0x90, 60], [4.5, 0x80, 60]]));
  assert.equal(host.node('performer-notes').length, 0);
});

test('notes on other channels than the input channel are not the performer\'s', () => {
  const { host, core } = setUp(1);
  core.parameters.set(P.inputChannel, 1);
  run(core, QUANTUM, 6 * BEAT, notes(core, [[4, 0x91, 60], [4.5, 0x81, 60], [5, 0x90, 64]]));
  const pitches = host.node('performer-notes').flatMap((m) => Array.from({ length: m.count }, (_, i) => m.events[i * PERFORMER_EVENT_STRIDE + 1]));
  assert.deepEqual(pitches, [64]);
});

test('a music request is reported, and settles with its plan, a failure or as stale', () => {
  const { host, core } = setUp(1);
  core.parameters.set(P.armed, 1);
  const phrase = notes(core, [[4, 0x90, 60], [4.25, 0x80, 60], [5, 0x90, 64], [5.25, 0x80, 64]]);
  let now = run(core, QUANTUM, 7.9 * BEAT, phrase);
  const [requested] = host.node('music-requested');
  assert.ok(requested, 'the request is reported');
  assert.equal(requested.kind, 'answer');
  assert.equal(requested.id, host.worker('music-request')[0].id);
  assert.equal(requested.targetStartTimeS, (8 * BEAT) / SR);
  core.onWorkerMessage({ type: 'music-failed', id: requested.id, error: 'no model' }, now, 'test');
  assert.deepEqual(host.node('music-unanswered').map((m) => [m.id, m.reason]), [[requested.id, 'failed']]);

  // The next phrase's reply arrives after a mode change: stale.
  now = run(core, now, 15.9 * BEAT, notes(core, [[12, 0x90, 60], [12.25, 0x80, 60]]));
  const second = host.node('music-requested')[1];
  assert.ok(second, 'the second phrase is asked for');
  core.parameters.set(P.mode, 2);
  now = run(core, now, now + QUANTUM);
  core.onWorkerMessage({ type: 'music', id: second.id, targetStartBeat: 16, targetLengthBeats: 4, events: Float64Array.of(0, 0x90, 67, 90, 1, 0x80, 67, 0) }, now, 'test');
  assert.deepEqual(host.node('music-unanswered').map((m) => [m.id, m.reason]), [[requested.id, 'failed'], [second.id, 'stale']]);
});

test('a phrase played while disarmed asks for no music, so nothing is reported as requested', () => {
  const { host, core } = setUp(1);
  core.parameters.set(P.armed, 0);
  run(core, QUANTUM, 7.9 * BEAT, notes(core, [[4, 0x90, 60], [4.25, 0x80, 60]]));
  assert.equal(host.node('phrase').length, 1);
  assert.equal(host.node('music-requested').length, 0);
});

test('a note found in the audio reaches the roll as a note-on and its note-off', () => {
  const { host, core } = setUp(1);
  core.streams.engineStartFrame = 0;
  let frame = run(core, QUANTUM, 2 * BEAT);
  core.beginBlock(frame);
  core.onNote(57, 90, 2 * BEAT - 4800, 2 * BEAT - 960);
  core.endBlock([new Float32Array(QUANTUM)]);
  frame = run(core, frame + QUANTUM, 3 * BEAT);
  const events = host.node('performer-notes').flatMap((m) => Array.from(m.events.subarray(0, m.count * PERFORMER_EVENT_STRIDE)));
  assert.deepEqual(events, [2 * BEAT - 4800, 57, 90, 2 * BEAT - 960, 57, 0]);
});
