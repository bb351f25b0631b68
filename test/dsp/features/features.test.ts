/**
 * Known-answer tests for every per-frame feature: analytic values where the
 * definition gives one (silence, DC, bin-centred sines, clicks, white-noise
 * statistics) and, for every signal, agreement with the straight-from-the-
 * definition reference in reference.ts, at 44.1, 48 and 96 kHz.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FEATURE_NAMES, FeatureIndex } from '../../../dsp/features/feature-names.ts';
import { referenceChromaMatrix, referenceFlux, referenceFrame, referenceMelMatrix, referenceOnsetStrength } from './reference.ts';
import { clicks, clip, dc, runEngine, sines, whiteNoise } from '../../helpers/signals.ts';

const N = 2048;
const HOP = 512;
const RATES = [44100, 48000, 96000];
const LENGTH = N + 8 * HOP;

function close(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Number.isFinite(actual), `${what}: not finite (${actual})`);
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: got ${actual}, expected ${expected} ± ${tol}`);
}

function frameOf(signal: Float32Array, k: number): Float32Array {
  return signal.subarray(k * HOP, k * HOP + N);
}

/** Compares engine frame k of `signal` with the reference, feature by feature. */
function compareWithReference(signal: Float32Array, sr: number, label: string, k = 4): void {
  const run = runEngine(signal, { sampleRate: sr });
  const f = run.frames[k];
  const mel = referenceMelMatrix(sr, N);
  const chroma = referenceChromaMatrix(sr, N);
  const ref = referenceFrame(frameOf(signal, k), sr, mel, chroma);
  const prev = referenceFrame(frameOf(signal, k - 1), sr, mel, chroma);
  const rel = (x: number) => 1e-5 * Math.abs(x) + 1e-6;
  close(f[FeatureIndex.rms], ref.rms, rel(ref.rms), `${label} rms`);
  close(f[FeatureIndex.zcr], ref.zcr, 1e-7, `${label} zcr`);
  close(f[FeatureIndex.centroidHz], ref.centroid_hz, rel(ref.centroid_hz) + 1e-3, `${label} centroid_hz`);
  close(f[FeatureIndex.bandwidthHz], ref.bandwidth_hz, rel(ref.bandwidth_hz) + 1e-3, `${label} bandwidth_hz`);
  close(f[FeatureIndex.rolloffHz], ref.rolloff_hz, 1e-2, `${label} rolloff_hz`);
  close(f[FeatureIndex.flatness], ref.flatness, rel(ref.flatness), `${label} flatness`);
  const flux = referenceFlux(ref.magnitude, prev.magnitude);
  close(f[FeatureIndex.flux], flux, 1e-5 * flux + 1e-6 * Math.max(...ref.magnitude) + 1e-6, `${label} flux`);
  for (let i = 0; i < 13; i++) close(f[FeatureIndex.mfcc0 + i], ref.mfcc[i], 2e-3, `${label} mfcc_${i}`);
  for (let i = 0; i < 12; i++) close(f[FeatureIndex.chroma0 + i], ref.chroma[i], 2e-5, `${label} chroma_${i}`);
  close(f[FeatureIndex.onsetStrength], referenceOnsetStrength(ref.logMel, prev.logMel), 1e-3, `${label} onset_strength`);
}

test('FEATURE_NAMES lists the 35 analyze columns after time_s, in order', () => {
  assert.equal(FEATURE_NAMES.length, 35);
  assert.deepEqual(FEATURE_NAMES.slice(0, 7), ['rms', 'zcr', 'centroid_hz', 'bandwidth_hz', 'rolloff_hz', 'flux', 'flatness']);
  assert.equal(FEATURE_NAMES[FeatureIndex.mfcc0], 'mfcc_0');
  assert.equal(FEATURE_NAMES[FeatureIndex.mfcc0 + 12], 'mfcc_12');
  assert.equal(FEATURE_NAMES[FeatureIndex.chroma0], 'chroma_0');
  assert.equal(FEATURE_NAMES[FeatureIndex.chroma0 + 11], 'chroma_11');
  assert.deepEqual(FEATURE_NAMES.slice(-3), ['f0_hz', 'voiced', 'onset_strength']);
  assert.equal(FEATURE_NAMES[FeatureIndex.onsetStrength], 'onset_strength');
});

for (const sr of RATES) {
  const binHz = sr / N;

  test(`silence at ${sr} Hz: librosa's values for an all-zero frame`, () => {
    const run = runEngine(new Float32Array(LENGTH), { sampleRate: sr });
    const f = run.frames[3];
    for (const i of [FeatureIndex.rms, FeatureIndex.zcr, FeatureIndex.centroidHz, FeatureIndex.bandwidthHz, FeatureIndex.rolloffHz, FeatureIndex.flux]) {
      assert.equal(f[i], 0, FEATURE_NAMES[i]);
    }
    // Every power bin sits at amin, so geometric mean = arithmetic mean.
    close(f[FeatureIndex.flatness], 1, 1e-6, 'flatness');
    // All 128 log-mel bands at 10·log10(1e-10) = −100 dB: the DC term of the ortho DCT is −100·√128.
    close(f[FeatureIndex.mfcc0], -100 * Math.sqrt(128), 1e-3, 'mfcc_0');
    for (let i = 1; i < 13; i++) close(f[FeatureIndex.mfcc0 + i], 0, 1e-3, `mfcc_${i}`);
    for (let i = 0; i < 12; i++) assert.equal(f[FeatureIndex.chroma0 + i], 0, `chroma_${i}`);
    assert.equal(f[FeatureIndex.f0Hz], 0);
    assert.equal(f[FeatureIndex.voiced], 0);
    assert.equal(f[FeatureIndex.onsetStrength], 0);
  });

  test(`DC at ${sr} Hz: energy only in bins 0 and 1 of the Hann spectrum`, () => {
    const c = 0.25;
    const signal = dc(LENGTH, c);
    const f = runEngine(signal, { sampleRate: sr }).frames[4];
    close(f[FeatureIndex.rms], c, 1e-7, 'rms');
    assert.equal(f[FeatureIndex.zcr], 0);
    // |X0| = N·c/2, |X1| = N·c/4: centroid = binHz/3, bandwidth = binHz·√(6/27), rolloff = bin 1.
    close(f[FeatureIndex.centroidHz], binHz / 3, 1e-4 * binHz, 'centroid_hz');
    close(f[FeatureIndex.bandwidthHz], binHz * Math.sqrt(6 / 27), 1e-4 * binHz, 'bandwidth_hz');
    close(f[FeatureIndex.rolloffHz], binHz, 1e-3, 'rolloff_hz');
    const bins = N / 2 + 1;
    const p0 = ((N * c) / 2) ** 2;
    const p1 = ((N * c) / 4) ** 2;
    const gmean = Math.exp((Math.log(p0) + Math.log(p1) + (bins - 2) * Math.log(1e-10)) / bins);
    const amean = (p0 + p1 + (bins - 2) * 1e-10) / bins;
    close(f[FeatureIndex.flatness], gmean / amean, 1e-6 * (gmean / amean), 'flatness');
    close(f[FeatureIndex.flux], 0, 1e-6, 'flux (steady)');
    assert.equal(f[FeatureIndex.voiced], 0, 'DC has no pitch');
    compareWithReference(signal, sr, `DC@${sr}`);
  });

  test(`bin-centred sine at ${sr} Hz: analytic rms, zcr, centroid, bandwidth, rolloff, flux`, () => {
    // A sine at sr/4 (bin m = N/4) built from exact float32 values 0, A, 0, −A, so no rounding leaks energy.
    const m = N / 4;
    const amp = 0.5;
    const pattern = [0, amp, 0, -amp];
    const signal = Float32Array.from({ length: LENGTH }, (_, i) => pattern[i % 4]);
    const f = runEngine(signal, { sampleRate: sr }).frames[4];
    close(f[FeatureIndex.rms], amp / Math.SQRT2, 1e-7, 'rms');
    // m periods per frame starting at phase 0 (0 counts as positive): 2m − 1 sign changes, divided by N.
    close(f[FeatureIndex.zcr], (2 * m - 1) / N, 1e-9, 'zcr');
    // Hann main lobe: N·A/4 at bin m, N·A/8 at m ± 1.
    close(f[FeatureIndex.centroidHz], m * binHz, 1e-6 * m * binHz, 'centroid_hz');
    close(f[FeatureIndex.bandwidthHz], binHz / Math.SQRT2, 1e-5 * binHz, 'bandwidth_hz');
    close(f[FeatureIndex.rolloffHz], (m + 1) * binHz, 1e-3, 'rolloff_hz');
    close(f[FeatureIndex.flux], 0, 1e-6, 'flux of an unchanged spectrum');
    assert.ok(f[FeatureIndex.flatness] < 1e-3, `a pure tone is not flat: ${f[FeatureIndex.flatness]}`);
    compareWithReference(signal, sr, `sr/4 sine@${sr}`);
    // A float32-rounded sine at bin 40 against the reference (rounding included on both sides).
    compareWithReference(sines(sr, LENGTH, [[40 * binHz, amp]]), sr, `bin-40 sine@${sr}`);
  });

  test(`A440 with harmonics at ${sr} Hz: chroma peaks at A, f0 = 440 Hz, matches reference`, () => {
    const signal = sines(sr, LENGTH, [
      [440, 0.4],
      [880, 0.2],
      [1320, 0.1],
    ]);
    const f = runEngine(signal, { sampleRate: sr }).frames[4];
    close(f[FeatureIndex.chroma0 + 9], 1, 0, 'chroma_9 (A) is the maximum');
    assert.equal(f[FeatureIndex.voiced], 1);
    const cents = 1200 * Math.log2(f[FeatureIndex.f0Hz] / 440);
    assert.ok(Math.abs(cents) < 10, `f0 ${f[FeatureIndex.f0Hz]} Hz is ${cents} cents off`);
    compareWithReference(signal, sr, `A440@${sr}`);
  });

  test(`C major chord at ${sr} Hz: chroma C, E, G on top; matches reference`, () => {
    // C5 E5 G5: an octave up from middle C, so a semitone spans ≥ 1 FFT bin even at 96 kHz.
    const signal = sines(sr, LENGTH, [
      [523.251, 0.3],
      [659.255, 0.3],
      [783.991, 0.3],
    ]);
    const f = runEngine(signal, { sampleRate: sr }).frames[4];
    const chroma = Array.from(f.subarray(FeatureIndex.chroma0, FeatureIndex.chroma0 + 12));
    const top3 = chroma
      .map((v, i) => [v, i] as const)
      .sort((a, b) => b[0] - a[0])
      .slice(0, 3)
      .map(([, i]) => i)
      .sort((a, b) => a - b);
    assert.deepEqual(top3, [0, 4, 7]);
    compareWithReference(signal, sr, `chord@${sr}`);
  });

  test(`white noise at ${sr} Hz: flatness ≈ e^−γ, zcr ≈ ½, centroid ≈ sr/4; matches reference`, () => {
    const signal = whiteNoise(LENGTH, 0.1, sr);
    const f = runEngine(signal, { sampleRate: sr }).frames[4];
    // The power of a complex Gaussian bin is exponential: E[ln P] − ln E[P] = −γ.
    close(f[FeatureIndex.flatness], Math.exp(-0.5772156649), 0.06, 'flatness');
    close(f[FeatureIndex.zcr], 0.5, 0.04, 'zcr');
    close(f[FeatureIndex.centroidHz], sr / 4, 0.05 * sr / 4, 'centroid_hz');
    close(f[FeatureIndex.rolloffHz], 0.85 * (sr / 2), 0.05 * sr / 2, 'rolloff_hz');
    assert.equal(f[FeatureIndex.voiced], 0, 'noise is unvoiced');
    compareWithReference(signal, sr, `noise@${sr}`);
  });

  test(`a single click at ${sr} Hz: flat spectrum, centroid sr/4; matches reference`, () => {
    // One click every 4096 samples: frame 5 ([2560, 4608)) holds exactly the click at 4096.
    const signal = clicks(LENGTH, 4096, 0.9);
    const f = runEngine(signal, { sampleRate: sr }).frames[5];
    const bins = N / 2 + 1;
    close(f[FeatureIndex.rms], 0.9 / Math.sqrt(N), 1e-6, 'rms');
    close(f[FeatureIndex.flatness], 1, 1e-6, 'flatness of an impulse');
    close(f[FeatureIndex.centroidHz], sr / 4, 1e-3 * sr, 'centroid_hz');
    close(f[FeatureIndex.rolloffHz], (Math.ceil(0.85 * bins) - 1) * binHz, 1e-2, 'rolloff_hz');
    compareWithReference(signal, sr, `click@${sr}`, 5);
  });

  test(`hard-clipped sine at ${sr} Hz: finite, pitch kept, matches reference`, () => {
    const signal = clip(sines(sr, LENGTH, [[220, 1]]), 0.3);
    const f = runEngine(signal, { sampleRate: sr }).frames[4];
    for (let i = 0; i < f.length; i++) assert.ok(Number.isFinite(f[i]), FEATURE_NAMES[i]);
    assert.equal(f[FeatureIndex.voiced], 1);
    close(1200 * Math.log2(f[FeatureIndex.f0Hz] / 220), 0, 10, 'f0 cents');
    compareWithReference(signal, sr, `clipped@${sr}`);
  });
}

test('onset strength: 0 on the first frame, positive when a tone starts after silence', () => {
  const sr = 48000;
  const signal = new Float32Array(LENGTH);
  signal.set(sines(sr, LENGTH - N, [[440, 0.5]]), N);
  const run = runEngine(signal, { sampleRate: sr });
  assert.equal(run.frames[0][FeatureIndex.onsetStrength], 0);
  // Frame 0 ([0, 2048)) is silent; frame 1 ([512, 2560)) holds the tone's first 512 samples.
  assert.equal(run.frames[0][FeatureIndex.rms], 0);
  assert.ok(run.frames[1][FeatureIndex.onsetStrength] > 10, `onset ${run.frames[1][FeatureIndex.onsetStrength]} dB`);
  compareWithReference(signal, sr, 'tone-start', 1);
});
