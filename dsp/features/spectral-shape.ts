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
 *                   no flux, this is Essentia's `Flux` default). The engine reports 0 for the first frame.
 *
 * A silent frame (Σ S below the smallest normal float) has centroid,
 * bandwidth and rolloff 0 and flatness 1 (every bin at the floor), as librosa.
 *
 * All five come from one pass over the bins plus a short rolloff pass that
 * stops at the threshold. The bandwidth uses `Σ S·(f − c)² = Σ S·f² − c²·Σ S`
 * (exact in float64 at audio magnitudes: the bandwidth² is never below 1e−10
 * of the centroid²). The geometric mean's log-sum is taken over running
 * products, one log per ~20 bins instead of one per bin: a product is logged
 * and restarted before it leaves 1e±200, so it can neither overflow nor
 * underflow (every factor lies in [1e−10, ~1e84]). Results go to `out[…]`,
 * so the hot path never boxes a double.
 */
import type { SpectrumAnalyzer } from './spectrum.ts';

/** librosa's default roll-off fraction. */
export const ROLL_PERCENT = 0.85;
/** librosa `spectral_flatness` amin (on power). */
export const FLATNESS_AMIN = 1e-10;
const TINY = 1.1754943508222875e-38;

/** Output slots of {@link spectralShape}, as indices into `out`. */
export interface ShapeSlots {
  centroidHz: number;
  bandwidthHz: number;
  rolloffHz: number;
  flux: number;
  flatness: number;
}

/**
 * Writes centroid, bandwidth, rolloff (Hz), flux and flatness of the
 * spectrum to `out[slots.…]`, then copies the magnitude into `previous` (for
 * the next frame's flux). (Takes the analyzer rather than its bin spacing: a
 * bare non-integer argument would be boxed on every call.)
 */
export function spectralShape(spectrum: SpectrumAnalyzer, previous: Float64Array, out: Float64Array, slots: ShapeSlots): void {
  const mag = spectrum.magnitude;
  const power = spectrum.power;
  const binHz = spectrum.binHz;
  const n = mag.length;
  let sum = 0;
  let first = 0;
  let second = 0;
  let flux = 0;
  let logSum = 0;
  let product = 1;
  let powerSum = 0;
  for (let k = 0; k < n; k++) {
    const s = mag[k];
    sum += s;
    first += k * s;
    second += k * k * s;
    const d = s - previous[k];
    flux += d * d;
    previous[k] = s;
    // Math.max, not a ternary with a constant: the latter made V8 box every element.
    const p = Math.max(power[k], FLATNESS_AMIN);
    product *= p;
    if (product > 1e200 || product < 1e-200) {
      logSum += Math.log(product);
      product = 1;
    }
    powerSum += p;
  }
  logSum += Math.log(product);
  out[slots.flux] = Math.sqrt(flux);
  out[slots.flatness] = Math.exp(logSum / n) / (powerSum / n);
  if (sum < TINY) {
    out[slots.centroidHz] = 0;
    out[slots.bandwidthHz] = 0;
    out[slots.rolloffHz] = 0;
    return;
  }
  const centroidBins = first / sum;
  const spreadBins2 = second / sum - centroidBins * centroidBins;
  out[slots.centroidHz] = centroidBins * binHz;
  out[slots.bandwidthHz] = Math.sqrt(Math.max(0, spreadBins2)) * binHz;
  const threshold = ROLL_PERCENT * sum;
  let cumulative = 0;
  let k = 0;
  for (; k < n; k++) {
    cumulative += mag[k];
    if (cumulative >= threshold) break;
  }
  // Rounding can leave the last partial sum a hair under the threshold.
  out[slots.rolloffHz] = (k < n ? k : n - 1) * binHz;
}
