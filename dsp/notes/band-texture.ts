/**
 * The texture of a band of a power spectrum: tonal, noisy or smooth. A drum's
 * noise (snare wires, a hi-hat) fills a band with a rough spectrum; a pitched
 * note puts its energy into a few partials; a lone click or the skirt of a
 * partial outside the band gives a smooth one. Two numbers tell them apart:
 *
 * - flatness `exp(mean ln P_k) / mean P_k` over the band's bins (Wiener
 *   entropy, as librosa's `spectral_flatness` but within the band, floor
 *   1e−30 of full scale): near 0 for partials; for noise the periodogram
 *   bins are exponentially distributed, so its expected value is
 *   `e^{−γ} ≈ 0.56` (γ Euler's constant), lower for a tilted spectrum;
 * - peak share: the fraction of the band's power in spectral peaks and their
 *   two neighbours, a peak being a bin at least as large as its neighbours and
 *   at least twice the sum of the bins two away (`P_k ≥ 2·(P_{k−2} + P_{k+2})`,
 *   the Hann window's main lobe being 4 bins wide). Partials: near 1; a
 *   smooth spectrum has no peaks: 0; noise has random ones: in between.
 *
 * The geometric mean's log-sum is taken over running products (as in
 * dsp/features/spectral-shape.ts), one log per run of bins. Reads and writes one array of slots (a double passed or returned would be
 * boxed on the audio thread); allocates nothing.
 */

/** Output slots of {@link bandTexture}. */
export const Texture = Object.freeze({
  /** Spectral flatness of the band, 0–1. */
  flatness: 0,
  /** Share of the band's power in peaks, 0–1 (0 for an empty band). */
  peakShare: 1,
  /** INPUT: power below which a bin counts as empty (read, not written). */
  floor: 2,
  /** Number of slots. */
  count: 3,
});

/**
 * Measures bins `first … last` of `power` (bins 0 … N/2; a bin below
 * `io[at + Texture.floor]` counts as empty) and writes the other
 * {@link Texture} slots to `io[at + slot]`. Neighbours outside the band are read (clamped to the
 * spectrum), so a partial just outside the band is not a peak inside it.
 */
export function bandTexture(power: Float64Array, first: number, last: number, io: Float64Array, at: number): void {
  const floor = io[at + Texture.floor];
  const top = power.length - 1;
  let sum = 0;
  let logSum = 0;
  let product = 1;
  let peaks = 0;
  for (let k = first; k <= last; k++) {
    const p = power[k] > floor ? power[k] : floor;
    sum += p;
    // One log per run of bins: the product is logged and restarted before it can leave float64's range.
    if (product > 1e200 || product < 1e-200) {
      logSum += Math.log(product);
      product = 1;
    }
    product *= p;
    const left = power[k > 0 ? k - 1 : 0];
    const right = power[k < top ? k + 1 : top];
    if (p >= left && p > right && p >= 2 * (power[k > 1 ? k - 2 : 0] + power[k < top - 1 ? k + 2 : top])) peaks += p + left + right;
  }
  logSum += Math.log(product);
  const n = last - first + 1;
  io[at + Texture.flatness] = n > 0 && sum > 0 ? Math.exp(logSum / n) / (sum / n) : 1;
  io[at + Texture.peakShare] = sum > n * floor ? Math.min(1, peaks / sum) : 0;
}
