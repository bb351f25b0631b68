/**
 * The periodic Hann window used by every spectral feature: librosa's default
 * `window='hann'`, i.e. `scipy.signal.get_window('hann', N, fftbins=True)`:
 *
 *     w[n] = 0.5 − 0.5·cos(2πn / N),  n = 0 … N−1
 *
 * (periodic, not the symmetric `N−1` form that Meyda's `hanning` uses).
 */

/** Returns a new periodic Hann window of `length` samples. */
export function periodicHann(length: number): Float64Array {
  const w = new Float64Array(length);
  for (let n = 0; n < length; n++) w[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / length);
  return w;
}
