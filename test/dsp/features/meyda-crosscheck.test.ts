/**
 * Cross-check against Meyda 5.6.3 for the features whose definitions agree
 * after unit conversion (docs/features.md lists what differs and why):
 * - rms: Meyda with its 'rect' window (Meyda's default windows first);
 * - zcr: Meyda counts sign changes in the frame; ours is that count / N;
 * - centroid and bandwidth: Meyda's spectralCentroid / spectralSpread are in
 *   bins (× sr/N = Hz) over bins 0 … N/2−1; we hand Meyda the frame already
 *   multiplied by our periodic Hann window (and window 'rect'), and use a
 *   band-limited signal so the Nyquist bin Meyda drops holds nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Meyda from 'meyda';
import { FeatureIndex } from '../../../dsp/features/feature-names.ts';
import { periodicHann } from '../../../dsp/features/window.ts';
import { runEngine, sines } from '../../helpers/signals.ts';

const N = 2048;
const HOP = 512;

interface MeydaLike {
  bufferSize: number;
  sampleRate: number;
  windowingFunction: string;
  extract(features: string[], signal: Float32Array): Record<string, number>;
}

for (const sr of [44100, 48000, 96000]) {
  test(`rms, zcr, centroid and bandwidth agree with Meyda at ${sr} Hz`, () => {
    const signal = sines(sr, N + 6 * HOP, [
      [311.1, 0.3],
      [622.3, 0.15],
      [1480, 0.1],
    ]);
    const ours = runEngine(signal, { sampleRate: sr }).frames[4];
    const frame = signal.slice(4 * HOP, 4 * HOP + N);
    const meyda = Meyda as unknown as MeydaLike;
    meyda.bufferSize = N;
    meyda.sampleRate = sr;
    meyda.windowingFunction = 'rect';
    const raw = meyda.extract(['rms', 'zcr'], frame);
    const w = periodicHann(N);
    const windowed = frame.map((x, i) => x * w[i]);
    const spectral = meyda.extract(['spectralCentroid', 'spectralSpread'], windowed);
    const binHz = sr / N;
    assert.ok(Math.abs(ours[FeatureIndex.rms] - raw.rms) <= 1e-6 * raw.rms, `rms ${ours[FeatureIndex.rms]} vs Meyda ${raw.rms}`);
    assert.equal(Math.round(ours[FeatureIndex.zcr] * N), raw.zcr, 'zcr × N = Meyda crossing count');
    const centroid = spectral.spectralCentroid * binHz;
    const bandwidth = spectral.spectralSpread * binHz;
    // Ours runs fft.js on float64, Meyda another FFT on float32: agree to 1e-4 relative
    // (with broadband content the Nyquist bin Meyda drops would differ by ~0.1 %).
    assert.ok(Math.abs(ours[FeatureIndex.centroidHz] - centroid) <= 1e-4 * centroid, `centroid ${ours[FeatureIndex.centroidHz]} vs Meyda ${centroid}`);
    assert.ok(Math.abs(ours[FeatureIndex.bandwidthHz] - bandwidth) <= 1e-3 * bandwidth, `bandwidth ${ours[FeatureIndex.bandwidthHz]} vs Meyda ${bandwidth}`);
  });
}
