/**
 * Audio → notes on synthesized monophonic melodies (harmonic tones with
 * attacks, decays, rests, legato re-attacks, vibrato): onset F1 ≥ 0.9 within
 * 50 ms and every matched note's pitch within 50 cents, at 44.1, 48 and
 * 96 kHz; plus the event contract (ordering, ranges, velocity follows level).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchTimes, synthMelody, type MelodyOptions } from '../melody.ts';
import { runEngine, sines, whiteNoise } from '../../helpers/signals.ts';

const MELODIES: [string, MelodyOptions][] = [
  ['detached notes, C3–C5', { notes: 30, seed: 1, lowMidi: 48, highMidi: 72, vibratoCents: 0, legato: 0.3 }],
  ['legato with vibrato, G3–G5', { notes: 30, seed: 4, lowMidi: 55, highMidi: 79, vibratoCents: 15, legato: 0.6 }],
  ['low register, D2–C4', { notes: 30, seed: 11, lowMidi: 38, highMidi: 60, vibratoCents: 0, legato: 0.5 }],
  ['high register with vibrato, A#4–B6', { notes: 30, seed: 12, lowMidi: 70, highMidi: 95, vibratoCents: 20, legato: 0.5 }],
];

for (const sr of [44100, 48000, 96000]) {
  for (const [name, options] of MELODIES) {
    test(`notes at ${sr} Hz, ${name}: onset F1 ≥ 0.9 within 50 ms, pitch within 50 cents`, () => {
      const { signal, notes } = synthMelody(sr, options);
      const run = runEngine(signal, { sampleRate: sr });
      const starts = run.notes.map((n) => n.startSample / sr);
      const m = matchTimes(
        starts,
        notes.map((n) => n.start),
        0.05,
      );
      assert.ok(m.f1 >= 0.9, `F1 ${m.f1.toFixed(3)} (precision ${m.precision.toFixed(2)}, recall ${m.recall.toFixed(2)}; ${run.notes.length} detected, ${notes.length} played)`);
      for (const [i, j] of m.pairs) {
        const cents = 100 * (run.notes[i].pitch - notes[j].midi);
        assert.ok(Math.abs(cents) <= 50, `note at ${notes[j].start.toFixed(3)} s: MIDI ${run.notes[i].pitch}, played ${notes[j].midi}`);
      }
    });
  }
}

test('note events are well formed: ordered, in range, end after start; velocity follows level', () => {
  const sr = 48000;
  const { signal, notes } = synthMelody(sr, { notes: 40, seed: 21, lowMidi: 50, highMidi: 80, vibratoCents: 0, legato: 0.2 });
  const run = runEngine(signal, { sampleRate: sr });
  assert.ok(run.notes.length > 30);
  let previousStart = -1;
  for (const n of run.notes) {
    assert.ok(Number.isInteger(n.pitch) && n.pitch >= 0 && n.pitch <= 127);
    assert.ok(Number.isInteger(n.velocity) && n.velocity >= 1 && n.velocity <= 127);
    assert.ok(Number.isInteger(n.startSample) && Number.isInteger(n.endSample));
    assert.ok(n.endSample > n.startSample);
    assert.ok(n.startSample >= previousStart, 'delivered in order');
    previousStart = n.startSample;
  }
  // Among matched notes, a note at least 6 dB louder than another gets a higher velocity.
  const m = matchTimes(
    run.notes.map((n) => n.startSample / sr),
    notes.map((n) => n.start),
    0.05,
  );
  let pairs = 0;
  let agree = 0;
  for (const [i1, j1] of m.pairs) {
    for (const [i2, j2] of m.pairs) {
      if (notes[j1].amp >= 2 * notes[j2].amp) {
        pairs++;
        if (run.notes[i1].velocity > run.notes[i2].velocity) agree++;
      }
    }
  }
  assert.ok(pairs > 20 && agree / pairs >= 0.95, `${agree}/${pairs} louder-softer pairs ordered`);
});

test('silence, white noise and a noise burst give no notes; a steady tone gives one note', () => {
  const sr = 44100;
  assert.equal(runEngine(new Float32Array(sr * 2), { sampleRate: sr }).notes.length, 0);
  assert.equal(runEngine(whiteNoise(sr * 2, 0.2, 9), { sampleRate: sr }).notes.length, 0);
  const tone = new Float32Array(sr * 2);
  tone.set(sines(sr, sr, [[330, 0.4], [660, 0.2]]), sr / 2);
  const run = runEngine(tone, { sampleRate: sr });
  assert.equal(run.notes.length, 1);
  assert.equal(run.notes[0].pitch, 64);
  assert.ok(Math.abs(run.notes[0].startSample - sr / 2) < 0.02 * sr, `start ${run.notes[0].startSample}`);
  assert.ok(Math.abs(run.notes[0].endSample - 1.5 * sr) < 0.05 * sr, `end ${run.notes[0].endSample}`);
});

test('a note still sounding at the end of the stream is delivered by flush()', () => {
  const sr = 48000;
  const run = runEngine(sines(sr, sr, [[440, 0.4]]), { sampleRate: sr });
  assert.equal(run.notes.length, 1);
  assert.equal(run.notes[0].pitch, 69);
  assert.equal(run.notes[0].endSample, sr);
});

test('detectNotes: false emits no notes (frames unchanged)', () => {
  const sr = 44100;
  const { signal } = synthMelody(sr, { notes: 8, seed: 2, lowMidi: 50, highMidi: 70, vibratoCents: 0, legato: 0 });
  const on = runEngine(signal, { sampleRate: sr });
  const off = runEngine(signal, { sampleRate: sr, detectNotes: false });
  assert.ok(on.notes.length > 0);
  assert.equal(off.notes.length, 0);
  assert.deepEqual(off.frames, on.frames);
});
