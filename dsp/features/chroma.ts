/**
 * STFT chroma, as `librosa.feature.chroma_stft(S=|X|², tuning=0, n_chroma=12,
 * norm=inf)` with the filterbank of `librosa.filters.chroma(sr, n_fft,
 * tuning=0, ctroct=5, octwidth=2, norm=2, base_c=True)` (after D. Ellis,
 * "Chroma feature analysis and synthesis", 2007):
 *
 * - FFT bin k > 0 sits at `b_k = 12·log2(f_k / 27.5)` chroma bins (A0 = 27.5
 *   Hz; tuning 0); bin 0 is placed 1.5 octaves below bin 1. Its width is
 *   `wd_k = max(b_{k+1} − b_k, 1)`.
 * - `D[c,k] = ((b_k − c + 6 + 120) mod 12) − 6`, weight
 *   `exp(−½·(2·D[c,k] / wd_k)²)`; each column is L2-normalised, then scaled by
 *   the octave window `exp(−½·((b_k/12 − 5)/2)²)` (centred on 880 Hz, 2
 *   octaves wide), and the rows are rotated so row 0 is C.
 * - `chroma = W · power`, then divided by its maximum (L∞ norm) per frame; a
 *   frame whose maximum is below the smallest normal float (silence) stays 0.
 */

/** Number of chroma bins. */
const N_CHROMA = 12;
/** Smallest positive normal float32 (numpy `tiny(float32)`), librosa's normalisation threshold. */
const TINY = 1.1754943508222875e-38;

/** A dense 12 × (N/2+1) chroma filterbank, stored bin-major for a cache-friendly product. */
export class ChromaFilterbank {
  private readonly binCount: number;
  /** weights[k·12 + c]. */
  private readonly weights: Float64Array;

  /** @param sampleRate Hz. @param frameSize FFT length N. */
  constructor(sampleRate: number, frameSize: number) {
    const binCount = frameSize / 2 + 1;
    this.binCount = binCount;
    // b_k for k = 0 … N−1 (librosa computes all n_fft columns, then keeps N/2+1).
    const frq = new Float64Array(frameSize);
    for (let k = 1; k < frameSize; k++) frq[k] = N_CHROMA * Math.log2((k * sampleRate) / frameSize / 27.5);
    frq[0] = frq[1] - 1.5 * N_CHROMA;
    this.weights = new Float64Array(binCount * N_CHROMA);
    const col = new Float64Array(N_CHROMA);
    for (let k = 0; k < binCount; k++) {
      const width = k + 1 < frameSize ? Math.max(frq[k + 1] - frq[k], 1) : 1;
      let norm2 = 0;
      for (let c = 0; c < N_CHROMA; c++) {
        // numpy's remainder takes the divisor's sign: keep the result in [0, 12).
        const r = (frq[k] - c + 6 + 10 * N_CHROMA) % N_CHROMA;
        const d = (r < 0 ? r + N_CHROMA : r) - 6;
        const w = Math.exp(-0.5 * ((2 * d) / width) ** 2);
        col[c] = w;
        norm2 += w * w;
      }
      const scale = Math.exp(-0.5 * ((frq[k] / N_CHROMA - 5) / 2) ** 2) / Math.sqrt(norm2);
      // Row c of the output (0 = C) is row c+3 of the A-based matrix (np.roll by −3).
      for (let c = 0; c < N_CHROMA; c++) this.weights[k * N_CHROMA + c] = col[(c + 3) % N_CHROMA] * scale;
    }
  }

  /**
   * Writes the max-normalised chroma of `power` (bins 0 … N/2) into
   * `out[0 … 11]` (C … B); all zeros when the frame is silent.
   */
  apply(power: Float64Array, out: Float64Array): void {
    for (let c = 0; c < N_CHROMA; c++) out[c] = 0;
    const w = this.weights;
    for (let k = 0; k < this.binCount; k++) {
      const p = power[k];
      if (p === 0) continue;
      const base = k * N_CHROMA;
      for (let c = 0; c < N_CHROMA; c++) out[c] += w[base + c] * p;
    }
    let max = 0;
    for (let c = 0; c < N_CHROMA; c++) if (out[c] > max) max = out[c];
    if (max < TINY) {
      for (let c = 0; c < N_CHROMA; c++) out[c] = 0;
      return;
    }
    const inv = 1 / max;
    for (let c = 0; c < N_CHROMA; c++) out[c] *= inv;
  }

  /** The weight of chroma `c` (0 = C) at bin `bin` (for tests). */
  weight(c: number, bin: number): number {
    return this.weights[bin * N_CHROMA + c];
  }
}
