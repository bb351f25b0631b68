/**
 * Sharpens an onset's time below the hop: a frame-level detector only knows
 * that an attack happened somewhere in the last frame. Within a span of the
 * input, the attack is taken as the start of the short block (about 1 ms)
 * with the largest rise in energy, in dB, over the block before it:
 *
 *     b* = argmax_b 10·log10((E_b + ε) / (E_{b−1} + ε)),  ε = 10⁻⁶·max_b E_b
 *
 * (a 60 dB floor, so rises out of near-silence do not all tie).
 */
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
   * reading input sample p at `ring[p & ringMask]`. Returns `from` when the span
   * is shorter than two blocks.
   */
  locate(ring: Float32Array, ringMask: number, from: number, to: number): number {
    const bs = this.blockSize;
    const count = Math.min(this.energies.length, Math.floor((to - from) / bs));
    if (count < 2) return from;
    const e = this.energies;
    let max = 0;
    for (let b = 0; b < count; b++) {
      let acc = 0;
      const start = from + b * bs;
      for (let i = 0; i < bs; i++) {
        const x = ring[(start + i) & ringMask];
        acc += x * x;
      }
      e[b] = acc;
      if (acc > max) max = acc;
    }
    const eps = max * 1e-6 + 1e-30;
    let best = 1;
    let bestRatio = -1;
    for (let b = 1; b < count; b++) {
      const ratio = (e[b] + eps) / (e[b - 1] + eps);
      if (ratio > bestRatio) {
        bestRatio = ratio;
        best = b;
      }
    }
    return from + best * bs;
  }
}
