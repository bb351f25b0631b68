/**
 * Pitched sounds are not drums: seeded Karplus–Strong plucks, decaying
 * harmonic tones (C3–C6) and sine beeps (200–2000 Hz, 50–200 ms, hard and
 * click-free edges) give at most 1–2 drum hits per 24 sounds (16–48 before), while they still give notes;
 * the band texture tells partials, noise and smooth spectra apart. Drum recall
 * itself is covered by test/dsp/drums.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Texture, bandTexture } from '../../../dsp/notes/band-texture.ts';
import { runEngine, sines, whiteNoise } from '../../helpers/signals.ts';
import { synthDrums } from '../melody.ts';
import { beeps, harmonicTones, plucks } from './pitched-signals.ts';

const RATES = [44100, 48000, 96000];
const COUNT = 24;

for (const sr of RATES) {
  for (const seed of [11, 12]) {
    test(`${sr} Hz, seed ${seed}: ${COUNT} sine beeps with hard edges give at most 1 drum hit, ${COUNT} with click-free edges none`, () => {
      for (const hard of [true, false]) {
        const run = runEngine(beeps(sr, COUNT, seed, hard).signal, { sampleRate: sr });
        // Before the texture check, 16–48 hits per 24 beeps. (At 96 kHz a hard edge's click can still read as a kick.)
        assert.ok(run.drums.length <= (hard ? 1 : 0), `${hard ? 'hard' : 'click-free'} beeps: ${JSON.stringify(run.drums)}`);
        assert.ok(run.notes.length >= COUNT / 2, `the beeps are still notes: ${run.notes.length}`);
      }
    });

    test(`${sr} Hz, seed ${seed}: ${COUNT} plucks and ${COUNT} struck harmonic tones (C3–C6) give at most 2 drum hits each`, () => {
      for (const [name, sequence] of [
        ['plucks', plucks(sr, COUNT, seed)],
        ['harmonic tones', harmonicTones(sr, COUNT, seed)],
      ] as const) {
        const run = runEngine(sequence.signal, { sampleRate: sr });
        // Before the texture check, 16–26 of every 24 such sounds read as snares or kicks.
        assert.ok(run.drums.length <= 2, `${name}: ${run.drums.length} drum hits ${JSON.stringify(run.drums)}`);
        assert.ok(run.notes.length >= COUNT / 2, `${name} are still notes: ${run.notes.length}`);
      }
    });
  }
}

test('plucks and beeps laid over a drum pattern leave the drums heard', () => {
  const sr = 48000;
  const lanes = { kick: 'x.......x.......', snare: '....x.......x...', hat: '................' };
  const { signal, hits } = synthDrums(sr, 100, 2, lanes, 3);
  const pitched = plucks(sr, 10, 4, 0.5).signal;
  const mix = signal.map((v, i) => v + 0.5 * (pitched[i] ?? 0));
  const run = runEngine(mix, { sampleRate: sr });
  for (const [kind, gm] of [['kick', 36], ['snare', 38]] as const) {
    const reference = hits.filter((h) => h.kind === kind).map((h) => h.time);
    const found = reference.filter((t) => run.drums.some((d) => d.gmPitch === gm && Math.abs(d.sample / sr - t) < 0.05));
    assert.ok(found.length >= reference.length - 1, `${kind}: ${found.length} of ${reference.length}`);
  }
});

test('band texture: partials are peaky and not flat, noise is rough, a click is smooth', () => {
  const n = 2048;
  const measure = (x: Float32Array): Float64Array => {
    // Hann-windowed periodogram of the first n samples, bins 0 … n/2.
    const power = new Float64Array(n / 2 + 1);
    for (let k = 0; k <= n / 2; k++) {
      let re = 0;
      let im = 0;
      for (let i = 0; i < n; i++) {
        const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
        re += x[i] * w * Math.cos((2 * Math.PI * k * i) / n);
        im -= x[i] * w * Math.sin((2 * Math.PI * k * i) / n);
      }
      power[k] = re * re + im * im;
    }
    const out = new Float64Array(Texture.count);
    out[Texture.floor] = 1e-12;
    // 1–5 kHz at 48 kHz: bins 43 … 213.
    bandTexture(power, 43, 213, out, 0);
    return out;
  };
  const tone = measure(sines(48000, n, [[1100, 0.3], [2200, 0.15], [3300, 0.1]]));
  assert.ok(tone[Texture.flatness] < 0.1 && tone[Texture.peakShare] > 0.9, `tone ${tone}`);
  const noise = measure(whiteNoise(n, 0.1, 7));
  assert.ok(noise[Texture.flatness] > 0.4 && noise[Texture.peakShare] > 0.1 && noise[Texture.peakShare] < 0.7, `noise ${noise}`);
  const click = new Float32Array(n);
  click[900] = 0.5;
  const smooth = measure(click);
  assert.ok(smooth[Texture.flatness] > 0.9 && smooth[Texture.peakShare] === 0, `click ${smooth}`);
  const empty = new Float64Array(Texture.count);
  empty[Texture.floor] = 1e-12;
  bandTexture(new Float64Array(n / 2 + 1), 43, 213, empty, 0);
  assert.ok(Math.abs(empty[Texture.flatness] - 1) < 1e-9 && empty[Texture.peakShare] === 0, `empty ${empty}`);
});
