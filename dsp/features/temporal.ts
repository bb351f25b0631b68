/**
 * Time-domain frame features, on the unwindowed frame (librosa
 * `feature.rms(y=…)` and `feature.zero_crossing_rate`, with `center=False`),
 * computed while the frame is copied out of the engine's input ring (one pass
 * over the samples). Results go into an output array, so the hot path never
 * boxes a double.
 */

/** librosa `zero_crossings` default `threshold`: samples with |x| ≤ 1e-10 count as 0. */
export const ZCR_THRESHOLD = 1e-10;

/**
 * Copies frame samples `ring[(first + j) & ringMask]`, j = 0 … N−1, into
 * `frame`, and writes the frame's RMS and zero-crossing rate to `out[rmsAt]`
 * and `out[zcrAt]`.
 *
 * RMS as librosa `rms` on samples: `sqrt(mean(x²))`, not windowed.
 *
 * Zero-crossing rate as librosa defines it: samples with |x| ≤ 1e-10 become 0,
 * zero counts as positive (`zero_pos=True`), a crossing is a sign-bit change
 * between neighbours, the first sample of the frame is never a crossing
 * (`pad=False`), and the count is divided by the frame length N (not N−1):
 *
 *     zcr = (1/N)·Σ_{n=1}^{N−1} [signbit(x_n) ≠ signbit(x_{n−1})]
 */
export function frameRmsZcr(
  ring: Float32Array,
  ringMask: number,
  first: number,
  frame: Float64Array,
  out: Float64Array,
  rmsAt: number,
  zcrAt: number,
): void {
  const n = frame.length;
  let sum = 0;
  let crossings = 0;
  const x0 = ring[first & ringMask];
  let previous = x0 < -ZCR_THRESHOLD ? 1 : 0;
  // The frame is one or two contiguous runs of the ring: no masking inside the loops.
  const start = first & ringMask;
  const run = Math.min(n, ringMask + 1 - start);
  for (let j = 0; j < run; j++) {
    const x = ring[start + j];
    frame[j] = x;
    sum += x * x;
    const negative = x < -ZCR_THRESHOLD ? 1 : 0;
    crossings += negative ^ previous;
    previous = negative;
  }
  for (let j = run; j < n; j++) {
    const x = ring[j - run];
    frame[j] = x;
    sum += x * x;
    const negative = x < -ZCR_THRESHOLD ? 1 : 0;
    crossings += negative ^ previous;
    previous = negative;
  }
  out[rmsAt] = Math.sqrt(sum / n);
  out[zcrAt] = crossings / n;
}
