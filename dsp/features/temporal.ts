/**
 * Time-domain frame features, on the unwindowed frame (librosa
 * `feature.rms(y=…)` and `feature.zero_crossing_rate`, with `center=False`).
 * They write into an output array instead of returning a number, so the hot
 * path never boxes a double.
 */

/** librosa `zero_crossings` default `threshold`: samples with |x| ≤ 1e-10 count as 0. */
export const ZCR_THRESHOLD = 1e-10;

/**
 * RMS of the frame: `sqrt(mean(x²))` (librosa `rms`, not windowed).
 * Writes it to `out[at]`.
 */
export function frameRms(frame: Float64Array, out: Float64Array, at: number): void {
  let sum = 0;
  for (let i = 0; i < frame.length; i++) sum += frame[i] * frame[i];
  out[at] = Math.sqrt(sum / frame.length);
}

/**
 * Zero-crossing rate as librosa defines it: samples with |x| ≤ 1e-10 become 0,
 * zero counts as positive (`zero_pos=True`), a crossing is a sign-bit change
 * between neighbours, the first sample of the frame is never a crossing
 * (`pad=False`), and the count is divided by the frame length N (not N−1):
 *
 *     zcr = (1/N)·Σ_{n=1}^{N−1} [signbit(x_n) ≠ signbit(x_{n−1})]
 *
 * Writes it to `out[at]`.
 */
export function frameZcr(frame: Float64Array, out: Float64Array, at: number): void {
  let crossings = 0;
  let prevNegative = frame[0] < -ZCR_THRESHOLD;
  for (let i = 1; i < frame.length; i++) {
    const negative = frame[i] < -ZCR_THRESHOLD;
    if (negative !== prevNegative) crossings++;
    prevNegative = negative;
  }
  out[at] = crossings / frame.length;
}
