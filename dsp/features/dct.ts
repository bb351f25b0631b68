/**
 * Orthonormal DCT-II, as `scipy.fftpack.dct(x, type=2, norm='ortho')` (what
 * `librosa.feature.mfcc` applies to the log-mel spectrum), truncated to the
 * first `outCount` coefficients:
 *
 *     c_k = s_k · Σ_{n=0}^{N−1} x_n · cos(π·k·(2n+1) / (2N)),
 *     s_0 = √(1/N), s_k = √(2/N) for k > 0.
 *
 * A precomputed outCount × N matrix: 13 × 128 multiply-adds per frame.
 */
export class OrthoDct2 {
  private readonly inCount: number;
  private readonly outCount: number;
  private readonly basis: Float64Array;

  /** @param inCount input length N. @param outCount coefficients kept (≤ N). */
  constructor(inCount: number, outCount: number) {
    this.inCount = inCount;
    this.outCount = outCount;
    this.basis = new Float64Array(inCount * outCount);
    for (let k = 0; k < outCount; k++) {
      const s = Math.sqrt((k === 0 ? 1 : 2) / inCount);
      for (let n = 0; n < inCount; n++) this.basis[k * inCount + n] = s * Math.cos((Math.PI * k * (2 * n + 1)) / (2 * inCount));
    }
  }

  /** Writes the first `outCount` coefficients of `input` into `out[0 … outCount−1]`. */
  apply(input: Float64Array, out: Float64Array): void {
    const n = this.inCount;
    const b = this.basis;
    for (let k = 0; k < this.outCount; k++) {
      let acc = 0;
      const base = k * n;
      for (let i = 0; i < n; i++) acc += b[base + i] * input[i];
      out[k] = acc;
    }
  }
}
