/**
 * Anti-aliased integer decimation for the pitch tracker: a linear-phase FIR
 * low-pass (windowed sinc, Blackman window, `12·D + 1` taps, cut-off at 0.37
 * of the output rate, unity DC gain), evaluated only at every D-th input
 * sample. The pass band rolls off gently towards the cut-off: YIN needs
 * periodicity, not flat gain; shorter filters (8·D + 1) let enough aliasing
 * through to mislead it on high notes. Cost: about 6 multiplies and 12 adds
 * per input sample (the symmetric taps are folded), whatever the rate.
 *
 * Output j is `y_j = Σ_{i=0}^{T−1} h_i · x[j·D − i]`; it describes the input
 * around sample `j·D − (T−1)/2` (the group delay).
 */
export class Decimator {
  /** Decimation factor D ≥ 1. */
  readonly factor: number;
  /** Number of taps T. */
  readonly tapCount: number;
  /** Group delay, in input samples: (T − 1) / 2. */
  readonly delaySamples: number;
  private readonly taps: Float64Array;
  private readonly out: Float64Array;
  /** The input span of one process() call, unwrapped from the ring. */
  private readonly linear: Float64Array;
  private readonly outMask: number;
  /** Input position of the next output sample. */
  private nextPos = 0;
  /** Number of outputs written since the last reset. */
  private written = 0;

  /**
   * @param factor decimation factor D ≥ 1.
   * @param historyLength decimated samples kept for {@link copyLatest}.
   * @param maxSpan most input samples one {@link process} call covers (longer spans are
   *   finished by the next call).
   */
  constructor(factor: number, historyLength: number, maxSpan = 1 << 16) {
    this.factor = factor;
    this.tapCount = factor > 1 ? 12 * factor + 1 : 1;
    this.delaySamples = (this.tapCount - 1) / 2;
    this.taps = new Float64Array(this.tapCount);
    if (factor === 1) {
      this.taps[0] = 1;
    } else {
      const fc = 0.37 / factor; // cycles per input sample
      const m = this.tapCount - 1;
      let sum = 0;
      for (let i = 0; i <= m; i++) {
        const t = i - m / 2;
        const sinc = t === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * t) / (Math.PI * t);
        const blackman = 0.42 - 0.5 * Math.cos((2 * Math.PI * i) / m) + 0.08 * Math.cos((4 * Math.PI * i) / m);
        this.taps[i] = sinc * blackman;
        sum += this.taps[i];
      }
      for (let i = 0; i <= m; i++) this.taps[i] /= sum;
    }
    this.linear = new Float64Array(maxSpan + this.tapCount + factor);
    let size = 1;
    while (size < historyLength) size *= 2;
    this.out = new Float64Array(size);
    this.outMask = size - 1;
  }

  /**
   * Produces every output whose input position is below `endPos`, reading the
   * input from `ring` (absolute sample p at `ring[p & ringMask]`). The ring
   * must still hold the last `T + D` samples before the oldest pending output
   * (positions before 0 must read as 0).
   */
  process(ring: Float32Array, ringMask: number, endPos: number): void {
    if (this.nextPos >= endPos) return;
    const h = this.taps;
    const t = this.tapCount;
    const half = (t - 1) / 2;
    // Unwrap the span the pending outputs read into a linear buffer once (no ring masks in the FIR).
    const from = this.nextPos - (t - 1);
    const count = Math.min(this.linear.length, endPos - from);
    const x = this.linear;
    for (let j = 0; j < count; j++) x[j] = ring[(from + j) & ringMask];
    while (this.nextPos < endPos && this.nextPos - from < count) {
      // Output at p reads x[p − from − (T−1) … p − from]; linear phase h[i] = h[T−1−i] folds the pairs.
      const top = this.nextPos - from;
      const bottom = top - (t - 1);
      let acc = h[half] * x[top - half];
      for (let i = 0; i < half; i++) acc += h[i] * (x[top - i] + x[bottom + i]);
      this.out[this.written & this.outMask] = acc;
      this.written++;
      this.nextPos += this.factor;
    }
  }

  /** Copies the newest `count` outputs, oldest first, into `dest[0 … count−1]` (zeros before the first output). */
  copyLatest(dest: Float64Array, count: number): void {
    const first = this.written - count;
    for (let i = 0; i < count; i++) {
      const j = first + i;
      dest[i] = j >= 0 ? this.out[j & this.outMask] : 0;
    }
  }

  /** Clears all state. */
  reset(): void {
    this.out.fill(0);
    this.nextPos = 0;
    this.written = 0;
  }
}
