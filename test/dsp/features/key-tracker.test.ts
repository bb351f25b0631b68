/**
 * The key with a confidence, and "no key" without enough pitched material:
 * a C-major phrase (a scale up and down, then a I–IV–V–I cadence, harmonic
 * tones) reads C major with a high confidence; noise drums and white noise
 * give no key (they used to read as a minor key); half a second of a scale is
 * too little; a low-register C-major tune, whose third harmonics lean to G
 * major (it read G major), reads C major.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEY_MIN_CONFIDENCE, KeyTracker, keyName } from '../../../dsp/features/key-tracker.ts';
import { SLOT_COUNT, Slot } from '../../../dsp/features/frame-state.ts';
import { synthDrums } from '../melody.ts';
import { midiToHz, runEngine, whiteNoise } from '../../helpers/signals.ts';

/** Notes or chords of `harmonics` harmonics (1/h), each `[midi pitches, seconds]`, 5 ms attack, 0.6 s decay, from 0.2 s. */
function phrase(sr: number, events: [number[], number][], harmonics = 6): Float32Array {
  const total = events.reduce((s, e) => s + e[1], 0) + 0.5;
  const x = new Float32Array(Math.ceil(total * sr));
  let t0 = 0.2;
  for (const [notes, dur] of events) {
    const i0 = Math.round(t0 * sr);
    const n = Math.round(dur * sr);
    for (const m of notes) {
      const f = midiToHz(m);
      for (let i = 0; i < n; i++) {
        const t = i / sr;
        let s = 0;
        for (let h = 1; h <= harmonics; h++) if (f * h < sr / 2.2) s += Math.sin(2 * Math.PI * f * h * t) / h;
        x[i0 + i] += 0.15 * s * Math.min(1, t / 0.005) * Math.min(1, (n - i) / (0.02 * sr)) * Math.exp(-t / 0.6);
      }
    }
    t0 += dur;
  }
  return x;
}

const SCALE: [number[], number][] = [60, 62, 64, 65, 67, 69, 71, 72, 71, 69, 67, 65, 64, 62, 60].map((m) => [[m], 0.3]);
const CADENCE: [number[], number][] = [[[48, 60, 64, 67], 0.8], [[53, 57, 60, 65], 0.8], [[55, 59, 62, 67], 0.8], [[48, 52, 55, 60], 1.2]];
const TWINKLE: [number[], number][] = [60, 60, 67, 67, 69, 69, 67, 65, 65, 64, 64, 62, 62, 60].map((m, i) => [[m - 12], i === 6 || i === 13 ? 0.6 : 0.3]);

// At 96 kHz the engine runs with a 4096-sample frame (as in tempo-key.test.ts).
for (const [sr, frameSize, hopSize] of [
  [44100, 2048, 512],
  [48000, 2048, 512],
  [96000, 4096, 1024],
]) {
  const options = { sampleRate: sr, frameSize, hopSize };
  test(`${sr} Hz: a C-major scale and cadence reads C major with confidence ≥ 0.5`, () => {
    for (const events of [[...SCALE, ...CADENCE], SCALE, CADENCE]) {
      const run = runEngine(phrase(sr, events), options);
      assert.equal(run.engine.keyName(), 'C major');
      assert.ok(run.engine.keyConfidence >= 0.5 && run.engine.keyConfidence <= 1, `confidence ${run.engine.keyConfidence}`);
    }
  });

  test(`${sr} Hz: noise drums and white noise give no key`, () => {
    const drums = synthDrums(sr, 110, 4, { kick: 'x.......x.x.....', snare: '....x.......x...', hat: 'x.x.x.x.x.x.x.x.' }).signal;
    for (const [name, signal] of [['drums', drums], ['white noise', whiteNoise(6 * sr, 0.1, 3)]] as const) {
      const run = runEngine(signal, options);
      assert.equal(run.engine.keyIndex, -1, `${name}: ${run.engine.keyName()} (confidence ${run.engine.keyConfidence})`);
      assert.ok(run.key.every((k) => k === -1), `${name}: a key was named on the way`);
      assert.ok(run.engine.keyConfidence < KEY_MIN_CONFIDENCE);
    }
  });

  test(`${sr} Hz: half a second of a C-major scale is too little pitched material`, () => {
    const run = runEngine(phrase(sr, SCALE.slice(0, 2)), options);
    assert.equal(run.engine.keyIndex, -1);
    assert.equal(run.engine.keyName(), 'unknown');
  });

  test(`${sr} Hz: a low-register C-major tune (C3–A3, whose third harmonics lean to G major) reads C major`, () => {
    const run = runEngine(phrase(sr, TWINKLE), options);
    assert.equal(run.engine.keyName(), 'C major');
    assert.ok(run.engine.keyConfidence >= 0.5, `confidence ${run.engine.keyConfidence}`);
  });
}

test('KeyTracker: frames that are not pitched add nothing; confidence is the correlation times its margin', () => {
  const tracker = new KeyTracker(100);
  const unvoiced = new Float64Array(SLOT_COUNT);
  const cMajorTriad = Float64Array.from([1, 0, 0, 0, 0.8, 0, 0, 0.9, 0, 0, 0, 0]);
  for (let i = 0; i < 300; i++) tracker.update(cMajorTriad, true, false, unvoiced);
  assert.equal(tracker.keyIndex, -1);
  assert.equal(tracker.confidence, 0);
  for (let i = 0; i < 50; i++) tracker.update(cMajorTriad, true, true, unvoiced);
  assert.equal(tracker.keyIndex, -1, 'half a second of pitched frames is too little');
  assert.equal(keyName(tracker.candidateIndex), 'C major');
  for (let i = 0; i < 100; i++) tracker.update(cMajorTriad, true, true, unvoiced);
  assert.equal(keyName(tracker.keyIndex), 'C major');
  assert.ok(tracker.confidence > 0.5 && tracker.confidence <= 1, `confidence ${tracker.confidence}`);
  tracker.reset();
  assert.equal(tracker.keyIndex, -1);
  assert.equal(tracker.confidence, 0);
  // A voiced frame's fundamental counts too: C–E chroma over an A fundamental leans to A minor …
  const ce = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
  const voiced = new Float64Array(SLOT_COUNT);
  voiced[Slot.voiced] = 1;
  voiced[Slot.midi] = 57.2;
  for (let i = 0; i < 150; i++) tracker.update(ce, true, true, voiced);
  assert.equal(keyName(tracker.candidateIndex), 'A minor');
  // … but not a fundamental below 120 Hz (a kick's sweep is voiced too): over G1 it stays what C–E alone says.
  tracker.reset();
  for (let i = 0; i < 150; i++) tracker.update(ce, true, true, unvoiced);
  const alone = tracker.candidateIndex;
  tracker.reset();
  voiced[Slot.midi] = 31;
  for (let i = 0; i < 150; i++) tracker.update(ce, true, true, voiced);
  assert.equal(tracker.candidateIndex, alone);
});
