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

/** Weights below this fraction of their bin's largest are dropped (< float32 resolution of the result). */
const PRUNE = 1e-9;
/** Fixed run width of a "narrow" bin (most bins need 6 or 7 classes). */
const RUN = 7;

/**
 * The chroma filterbank over bins 0 … N/2, stored sparsely: for each bin, the
 * run of chroma classes (cyclic, starting at `first`) whose weight is at least
 * 1e-9 of the bin's largest. The Gaussian bumps make almost every run 6–7
 * classes long instead of 12 (what is dropped is below float32 resolution), so
 * those bins are stored as fixed runs of 7 (zero-padded) and accumulated,
 * unrolled, into a doubled 24-class buffer that is folded at the end; the few
 * wide low-frequency bins keep their own lengths.
 */
export class ChromaFilterbank {
  private readonly binCount: number;
  /** First chroma class (0 = C) of each bin's run. */
  private readonly first: Int32Array;
  /** Narrow bins: RUN weights each, weights7[k·RUN + j] for class first[k] + j. */
  private readonly weights7: Float64Array;
  /** Wide bins (run longer than RUN): bin, length and offset into wideWeights. */
  private readonly wideBins: Int32Array;
  private readonly wideLength: Int32Array;
  private readonly wideOffset: Int32Array;
  private readonly wideWeights: Float64Array;
  /** Accumulator over two octaves of classes, folded into 12. */
  private readonly acc = new Float64Array(2 * N_CHROMA);
  /** Dense copy for {@link weight}: dense[k·12 + c]. */
  private readonly dense: Float64Array;

  /** @param sampleRate Hz. @param frameSize FFT length N. */
  constructor(sampleRate: number, frameSize: number) {
    const binCount = frameSize / 2 + 1;
    this.binCount = binCount;
    // b_k for k = 0 … N−1 (librosa computes all n_fft columns, then keeps N/2+1).
    const frq = new Float64Array(frameSize);
    for (let k = 1; k < frameSize; k++) frq[k] = N_CHROMA * Math.log2((k * sampleRate) / frameSize / 27.5);
    frq[0] = frq[1] - 1.5 * N_CHROMA;
    this.dense = new Float64Array(binCount * N_CHROMA);
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
      for (let c = 0; c < N_CHROMA; c++) this.dense[k * N_CHROMA + c] = col[(c + 3) % N_CHROMA] * scale;
    }
    // Sparse runs: the weights of a bin rise and fall cyclically around its pitch class.
    this.first = new Int32Array(binCount);
    this.weights7 = new Float64Array(binCount * RUN);
    const wide: number[] = [];
    const wideLength: number[] = [];
    const wideOffset: number[] = [];
    const wideWeights: number[] = [];
    for (let k = 0; k < binCount; k++) {
      const base = k * N_CHROMA;
      let peak = 0;
      for (let c = 1; c < N_CHROMA; c++) if (this.dense[base + c] > this.dense[base + peak]) peak = c;
      const floor = this.dense[base + peak] * PRUNE;
      let lo = 0;
      while (lo < 5 && this.dense[base + ((peak - lo - 1 + N_CHROMA) % N_CHROMA)] >= floor) lo++;
      let hi = 0;
      while (lo + hi < 11 && this.dense[base + ((peak + hi + 1) % N_CHROMA)] >= floor) hi++;
      const first = (peak - lo + N_CHROMA) % N_CHROMA;
      const length = lo + hi + 1;
      this.first[k] = first;
      if (length <= RUN) {
        // Zero-padded to RUN (the padding's classes get 0 · power).
        for (let j = 0; j < length; j++) this.weights7[k * RUN + j] = this.dense[base + ((first + j) % N_CHROMA)];
      } else {
        wide.push(k);
        wideLength.push(length);
        wideOffset.push(wideWeights.length);
        for (let j = 0; j < length; j++) wideWeights.push(this.dense[base + ((first + j) % N_CHROMA)]);
      }
    }
    this.wideBins = Int32Array.from(wide);
    this.wideLength = Int32Array.from(wideLength);
    this.wideOffset = Int32Array.from(wideOffset);
    this.wideWeights = Float64Array.from(wideWeights);
  }

  /**
   * Writes the max-normalised chroma of `power` (bins 0 … N/2) into
   * `out[0 … 11]` (C … B); all zeros when the frame is silent.
   */
  apply(power: Float64Array, out: Float64Array): void {
    const acc = this.acc;
    acc.fill(0);
    // The few wide bins first (they are the lowest ones), then the fixed runs of the others.
    const wideBins = this.wideBins;
    const first = this.first;
    for (let i = 0; i < wideBins.length; i++) {
      const k = wideBins[i];
      const p = power[k];
      const b = first[k];
      const len = this.wideLength[i];
      const off = this.wideOffset[i];
      for (let j = 0; j < len; j++) acc[b + j] += this.wideWeights[off + j] * p;
    }
    const w = this.weights7;
    for (let k = 0; k < this.binCount; k++) {
      const p = power[k];
      const b = first[k];
      const o = k * RUN;
      // A wide bin's run of weights7 is all zeros: adding it changes nothing.
      acc[b] += w[o] * p;
      acc[b + 1] += w[o + 1] * p;
      acc[b + 2] += w[o + 2] * p;
      acc[b + 3] += w[o + 3] * p;
      acc[b + 4] += w[o + 4] * p;
      acc[b + 5] += w[o + 5] * p;
      acc[b + 6] += w[o + 6] * p;
    }
    let max = 0;
    for (let c = 0; c < N_CHROMA; c++) {
      const v = acc[c] + acc[c + N_CHROMA];
      out[c] = v;
      if (v > max) max = v;
    }
    if (max < TINY) {
      for (let c = 0; c < N_CHROMA; c++) out[c] = 0;
      return;
    }
    const inv = 1 / max;
    for (let c = 0; c < N_CHROMA; c++) out[c] *= inv;
  }

  /** The (unpruned) weight of chroma `c` (0 = C) at bin `bin` (for tests). */
  weight(c: number, bin: number): number {
    return this.dense[bin * N_CHROMA + c];
  }
}
