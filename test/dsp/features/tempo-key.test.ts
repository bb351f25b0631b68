/**
 * Online tempo, beat phase and key: click tracks and a drum pattern for
 * tempo and phase, chord progressions (harmonic tones) for the key, at 44.1,
 * 48 and 96 kHz.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEY_NAMES, keyName } from '../../../dsp/features/key-tracker.ts';
import { synthDrums } from '../melody.ts';
import { clicks, midiToHz, runEngine } from '../../helpers/signals.ts';

const RATES = [44100, 48000, 96000];

/** Relative tempo error, allowing the octave (×2, ×½) that tempo estimators may pick. */
function octaveError(bpm: number, truth: number): number {
  return Math.min(...[truth, truth * 2, truth / 2].map((t) => Math.abs(bpm - t) / t));
}

for (const sr of RATES) {
  test(`tempo of click tracks at ${sr} Hz: within 1 % after 12 s (75–140 BPM exactly, 170 BPM up to an octave)`, () => {
    for (const bpm of [75, 100, 120, 140, 170]) {
      const period = Math.round((60 / bpm) * sr);
      const run = runEngine(clicks(12 * sr, period, 0.8, sr / 4), { sampleRate: sr });
      const tempo = run.tempo[run.tempo.length - 1];
      const trueBpm = (60 * sr) / period;
      const err = bpm <= 140 ? Math.abs(tempo - trueBpm) / trueBpm : octaveError(tempo, trueBpm);
      assert.ok(err <= 0.01, `${bpm} BPM: estimated ${tempo}`);
    }
  });

  test(`beat phase at ${sr} Hz locks to a 120 BPM click track (mean error < 0.05 beat)`, () => {
    const period = Math.round(0.5 * sr);
    const first = sr / 4;
    const run = runEngine(clicks(12 * sr, period, 0.8, first), { sampleRate: sr });
    const n = run.phase.length;
    let total = 0;
    let count = 0;
    for (let k = Math.floor(n / 2); k < n; k++) {
      // Phase at the end of frame k (k·hop + frameSize), measured from the last click.
      const end = k * 512 + 2048;
      const expected = ((((end - first) / period) % 1) + 1) % 1;
      let d = run.phase[k] - expected;
      d -= Math.round(d);
      total += Math.abs(d);
      count++;
      assert.ok(run.phase[k] >= 0 && run.phase[k] < 1);
    }
    assert.ok(total / count < 0.05, `mean phase error ${(total / count).toFixed(3)} beat`);
  });

  test(`tempo of a drum pattern at ${sr} Hz: 100 BPM within 1 %`, () => {
    const { signal } = synthDrums(sr, 100, 6, { kick: 'x.......x.x.....', snare: '....x.......x...', hat: 'x.x.x.x.x.x.x.x.' });
    const run = runEngine(signal, { sampleRate: sr });
    const tempo = run.tempo[run.tempo.length - 1];
    assert.ok(Math.abs(tempo - 100) <= 1, `estimated ${tempo}`);
  });
}

test('tempo is 0 (unknown) for the first 3 s and for silence; beat phase stays 0 then', () => {
  const sr = 48000;
  const run = runEngine(clicks(6 * sr, sr / 2, 0.8), { sampleRate: sr });
  const before3s = run.tempo.filter((_, k) => (k * 512 + 2048) / sr < 2.9);
  assert.ok(before3s.length > 0 && before3s.every((t) => t === 0));
  const silent = runEngine(new Float32Array(6 * sr), { sampleRate: sr });
  assert.ok(silent.tempo.every((t) => t === 0));
  assert.ok(silent.phase.every((p) => p === 0));
});

/** Triads of 4-harmonic tones, one per second. */
function progression(sr: number, chords: number[][]): Float32Array {
  const n = sr;
  const x = new Float32Array(n * chords.length);
  chords.forEach((chord, c) => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (const m of chord) for (let h = 1; h <= 4; h++) s += Math.sin((2 * Math.PI * midiToHz(m) * h * i) / sr) / h;
      x[c * n + i] = 0.1 * s * Math.min(1, i / 400) * Math.min(1, (n - i) / 400);
    }
  });
  return x;
}

const PROGRESSIONS: [string, number[][]][] = [
  ['C major', [[60, 64, 67], [65, 69, 72], [67, 71, 74], [60, 64, 67], [57, 60, 64], [65, 69, 72], [67, 71, 74], [60, 64, 67]]],
  ['A minor', [[57, 60, 64], [62, 65, 69], [64, 68, 71], [57, 60, 64], [65, 69, 72], [62, 65, 69], [64, 68, 71], [57, 60, 64]]],
  ['Eb major', [[63, 67, 70], [68, 72, 75], [70, 74, 77], [63, 67, 70], [60, 63, 67], [68, 72, 75], [70, 74, 77], [63, 67, 70]]],
  ['F# minor', [[66, 69, 73], [71, 74, 78], [61, 65, 68], [66, 69, 73], [62, 66, 69], [71, 74, 78], [61, 65, 68], [66, 69, 73]]],
];

// At 96 kHz a 2048-sample frame is 21 ms with 47 Hz bins, too coarse for chroma below C5; use 4096.
for (const [sr, frameSize, hopSize] of [
  [44100, 2048, 512],
  [48000, 2048, 512],
  [96000, 4096, 1024],
]) {
  test(`key from chord progressions at ${sr} Hz (frame ${frameSize})`, () => {
    for (const [name, chords] of PROGRESSIONS) {
      const run = runEngine(progression(sr, chords), { sampleRate: sr, frameSize, hopSize });
      const key = run.key[run.key.length - 1];
      assert.equal(keyName(key), name);
      assert.equal(run.engine.keyName(), name);
      assert.equal(run.engine.keyIndex, KEY_NAMES.indexOf(name));
    }
  });
}

test('key is −1 / unknown before any sound; key names cover 24 keys', () => {
  const run = runEngine(new Float32Array(48000), { sampleRate: 48000 });
  assert.equal(run.engine.keyIndex, -1);
  assert.equal(run.engine.keyName(), 'unknown');
  assert.equal(KEY_NAMES.length, 24);
  assert.equal(keyName(0), 'C major');
  assert.equal(keyName(21), 'A minor');
  assert.equal(keyName(24), 'unknown');
});
