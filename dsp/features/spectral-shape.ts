/**
 * Spectral shape features of one frame, from the magnitude spectrum S = |X|
 * and the power spectrum |X|² of the Hann-windowed frame (bins k = 0 … N/2 at
 * f_k = k·sr/N), following librosa's definitions (librosa.feature.*):
 *
 * - centroid (Hz):  `c = Σ f_k·S_k / Σ S_k`                         (`spectral_centroid`)
 * - bandwidth (Hz): `(Σ (S_k/Σ S)·|f_k − c|²)^(1/2)`                 (`spectral_bandwidth`, p=2, norm=True)
 * - rolloff (Hz):   smallest f_k with `Σ_{j≤k} S_j ≥ 0.85·Σ S`       (`spectral_rolloff`, roll_percent=0.85)
 * - flatness:       `exp(mean ln P) / mean P`, `P = max(1e-10, S²)`  (`spectral_flatness`, power=2, amin=1e-10)
 * - flux:           `(Σ (S_k − S'_k)²)^(1/2)` against the previous frame's S' (L2, not rectified; librosa has
 *                   no flux, this is Essentia's `Flux` default). 0 for the first frame.
 *
 * A silent frame (Σ S below the smallest normal float) has centroid,
 * bandwidth and rolloff 0 and flatness 1 (every bin at the floor), as librosa.
 * Results go to `out[at…]`, so the hot path never boxes a double.
 */

import type { SpectrumAnalyzer } from './spectrum.ts';

/** librosa's default roll-off fraction. */
export const ROLL_PERCENT = 0.85;
/** librosa `spectral_flatness` amin (on power). */
export const FLATNESS_AMIN = 1e-10;
const TINY = 1.1754943508222875e-38;

/**
 * Writes centroid, bandwidth and rolloff (Hz) of the spectrum's magnitude to
 * `out[at]`, `out[at+1]`, `out[at+2]`. (Takes the analyzer rather than its bin
 * spacing: a bare non-integer argument would be boxed on every call.)
 */
export function centroidBandwidthRolloff(spectrum: SpectrumAnalyzer, out: Float64Array, at: number): void {
  const mag = spectrum.magnitude;
  const binHz = spectrum.binHz;
  const n = mag.length;
  let sum = 0;
  let weighted = 0;
  for (let k = 0; k < n; k++) {
    sum += mag[k];
    weighted += k * mag[k];
  }
  if (sum < TINY) {
    out[at] = 0;
    out[at + 1] = 0;
    out[at + 2] = 0;
    return;
  }
  const centroidHz = (weighted / sum) * binHz;
  let spread = 0;
  const threshold = ROLL_PERCENT * sum;
  let cumulative = 0;
  let rolloffBin = -1;
  for (let k = 0; k < n; k++) {
    const d = k * binHz - centroidHz;
    spread += mag[k] * d * d;
    cumulative += mag[k];
    if (rolloffBin < 0 && cumulative >= threshold) rolloffBin = k;
  }
  out[at] = centroidHz;
  out[at + 1] = Math.sqrt(spread / sum);
  // Rounding can leave the last partial sum a hair under the threshold.
  out[at + 2] = (rolloffBin < 0 ? n - 1 : rolloffBin) * binHz;
}

/** Writes the spectral flatness of `power` (amin-floored) to `out[at]`. */
export function flatness(power: Float64Array, out: Float64Array, at: number): void {
  const n = power.length;
  let logSum = 0;
  let sum = 0;
  for (let k = 0; k < n; k++) {
    // Math.max, not a ternary with a constant: the latter made V8 box every element.
    const p = Math.max(power[k], FLATNESS_AMIN);
    logSum += Math.log(p);
    sum += p;
  }
  out[at] = Math.exp(logSum / n) / (sum / n);
}

/**
 * Writes the L2 spectral flux between `mag` and `previous` to `out[at]`, then
 * copies `mag` into `previous` for the next frame.
 */
export function fluxAndRemember(mag: Float64Array, previous: Float64Array, out: Float64Array, at: number): void {
  let acc = 0;
  for (let k = 0; k < mag.length; k++) {
    const d = mag[k] - previous[k];
    acc += d * d;
    previous[k] = mag[k];
  }
  out[at] = Math.sqrt(acc);
}
