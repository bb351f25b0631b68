/**
 * Sharpens an onset's time below the hop: a frame-level detector only knows
 * that an attack happened somewhere in the last frame. Within a span of the
 * input, the attack is taken as the start of the short block (about 2 ms)
 * with the largest rise in energy over the LOUDEST of the 4 blocks before it:
 *
 *     b* = argmax_b (E_b + ε) / (max(E_{b−1} … E_{b−4}) + ε),  ε = 10⁻⁶·max_b E_b
 *
 * (ε is a 60 dB floor, so rises out of near-silence do not all tie; the max
 * over 8 ms keeps the nulls of two beating tones from looking like attacks).
 * Optionally on the first difference `x[n] − x[n−1]` (a 6 dB/octave
 * high-pass), so a hi-hat's attack is found under a kick's loud, slow body.
 */

/** Blocks compared against (the loudest of them). */
const LOOK_BACK = 4;

/** Locates attacks inside a span of the input ring. Allocates only in the constructor. */
export class AttackLocator {
  private readonly blockSize: number;
  private readonly energies: Float64Array;

  /**
   * @param blockSize block length in samples (about 1 ms).
   * @param maxSpan longest span searched, in samples.
   */
  constructor(blockSize: number, maxSpan: number) {
    this.blockSize = Math.max(1, blockSize);
    this.energies = new Float64Array(Math.ceil(maxSpan / this.blockSize) + 1);
  }

  /**
   * Returns the absolute sample position of the attack within `[from, to)`,
   * reading input sample p at `ring[p & ringMask]`, on the signal itself or
   * (`differenced`) on its first difference. Returns `from` when the span is
   * shorter than two blocks.
   */
  locate(ring: Float32Array, ringMask: number, from: number, to: number, differenced: boolean): number {
    const bs = this.blockSize;
    const count = Math.min(this.energies.length, Math.floor((to - from) / bs));
    if (count < 2) return from;
    const e = this.energies;
    let max = 0;
    for (let b = 0; b < count; b++) {
      let acc = 0;
      const start = from + b * bs;
      for (let i = 0; i < bs; i++) {
        const x = differenced ? ring[(start + i) & ringMask] - ring[(start + i - 1) & ringMask] : ring[(start + i) & ringMask];
        acc += x * x;
      }
      e[b] = acc;
      if (acc > max) max = acc;
    }
    const eps = max * 1e-6 + 1e-30;
    let best = 1;
    let bestRatio = -1;
    for (let b = 1; b < count; b++) {
      let before = e[b - 1];
      for (let j = 2; j <= LOOK_BACK && j <= b; j++) if (e[b - j] > before) before = e[b - j];
      const ratio = (e[b] + eps) / (before + eps);
      if (ratio > bestRatio) {
        bestRatio = ratio;
        best = b;
      }
    }
    return from + best * bs;
  }
}
