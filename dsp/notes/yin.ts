/**
 * YIN fundamental-frequency estimator (A. de Cheveigné & H. Kawahara, "YIN,
 * a fundamental frequency estimator for speech and music", JASA 111(4),
 * 2002), steps 2–5, with the difference function computed through one FFT
 * cross-correlation (as librosa's `yin`):
 *
 * - difference: `d(τ) = Σ_{j=0}^{W−1} (x_j − x_{j+τ})² = E_0 + E_τ − 2·r(τ)`,
 *   with `r(τ) = Σ_j x_j·x_{j+τ}` and `E_τ = Σ_{j=τ}^{τ+W−1} x_j²`;
 * - cumulative mean normalised difference: `d'(0) = 1`,
 *   `d'(τ) = d(τ)·τ / Σ_{j=1}^{τ} d(j)`;
 * - absolute threshold: the first τ in [τ_min, τ_max] with `d'(τ) < threshold`,
 *   moved on to the bottom of its dip; if none, the global minimum (unvoiced);
 * - parabolic interpolation of d' around τ; `f0 = sr / τ`.
 *
 * The window W and the longest lag τ_max are both one period of the lowest
 * pitch, so the analysed span is about two periods of `minHz` (40 ms at 50 Hz).
 */
import FFT from 'fft.js';

/** Result slots written by {@link Yin.analyze}. */
export const YinOut = Object.freeze({
  /** Fundamental frequency in Hz; 0 when unvoiced. */
  f0Hz: 0,
  /** 1 when voiced, else 0. */
  voiced: 1,
  /** d' at the chosen lag (0 = perfectly periodic, ~1 = noise). */
  aperiodicity: 2,
  /** RMS of the analysis window. */
  rms: 3,
});

/** A YIN pitch estimator for a fixed rate and range. Allocates only in the constructor. */
export class Yin {
  /** Samples analysed per call: W + τ_max + 1. */
  readonly inputLength: number;
  private readonly sampleRate: number;
  private readonly window: number;
  private readonly tauMin: number;
  private readonly tauMax: number;
  private readonly threshold: number;
  private readonly silenceRms: number;
  private readonly fftSize: number;
  private readonly fft: FFT;
  private readonly a: Float64Array;
  private readonly b: Float64Array;
  private readonly specA: Float64Array;
  private readonly specB: Float64Array;
  private readonly product: Float64Array;
  private readonly corr: Float64Array;
  private readonly cumSq: Float64Array;
  private readonly cmndf: Float64Array;

  /**
   * @param sampleRate rate of the analysed signal, Hz.
   * @param minHz lowest fundamental, Hz.
   * @param maxHz highest fundamental, Hz.
   * @param threshold absolute threshold on d' (paper: 0.1–0.15).
   * @param silenceRms windows whose RMS is below this linear level are unvoiced.
   */
  constructor(sampleRate: number, minHz: number, maxHz: number, threshold: number, silenceRms: number) {
    this.sampleRate = sampleRate;
    this.window = Math.ceil(sampleRate / minHz);
    this.tauMax = this.window + 1;
    this.tauMin = Math.max(2, Math.floor(sampleRate / maxHz));
    this.threshold = threshold;
    this.silenceRms = silenceRms;
    this.inputLength = this.window + this.tauMax + 1;
    let n = 4;
    while (n < this.inputLength) n *= 2;
    this.fftSize = n;
    this.fft = new FFT(n);
    this.a = new Float64Array(n);
    this.b = new Float64Array(n);
    this.specA = new Float64Array(2 * n);
    this.specB = new Float64Array(2 * n);
    this.product = new Float64Array(2 * n);
    this.corr = new Float64Array(2 * n);
    this.cumSq = new Float64Array(this.inputLength + 1);
    this.cmndf = new Float64Array(this.tauMax + 2);
  }

  /**
   * Estimates the pitch of `x[0 … inputLength−1]` and writes the {@link YinOut}
   * slots to `out[at + slot]`.
   */
  analyze(x: Float64Array, out: Float64Array, at: number): void {
    const w = this.window;
    const len = this.inputLength;
    const n = this.fftSize;
    const a = this.a;
    const b = this.b;
    const cum = this.cumSq;
    cum[0] = 0;
    for (let i = 0; i < len; i++) cum[i + 1] = cum[i] + x[i] * x[i];
    const rms = Math.sqrt(cum[w] / w);
    out[at + YinOut.rms] = rms;
    if (!(rms >= this.silenceRms)) {
      out[at + YinOut.f0Hz] = 0;
      out[at + YinOut.voiced] = 0;
      out[at + YinOut.aperiodicity] = 1;
      return;
    }
    for (let i = 0; i < n; i++) {
      a[i] = i < w ? x[i] : 0;
      b[i] = i < len ? x[i] : 0;
    }
    this.fft.realTransform(this.specA, a);
    this.fft.realTransform(this.specB, b);
    // Cross-spectrum conj(A)·B on bins 0 … n/2, mirrored (Hermitian) above.
    const sa = this.specA;
    const sb = this.specB;
    const p = this.product;
    const half = n / 2;
    for (let k = 0; k <= half; k++) {
      const ar = sa[2 * k];
      const ai = sa[2 * k + 1];
      const br = sb[2 * k];
      const bi = sb[2 * k + 1];
      p[2 * k] = ar * br + ai * bi;
      p[2 * k + 1] = ar * bi - ai * br;
    }
    for (let k = half + 1; k < n; k++) {
      p[2 * k] = p[2 * (n - k)];
      p[2 * k + 1] = -p[2 * (n - k) + 1];
    }
    this.fft.inverseTransform(this.corr, p);
    const r = this.corr;
    const d = this.cmndf;
    const e0 = cum[w];
    d[0] = 1;
    let running = 0;
    for (let tau = 1; tau <= this.tauMax; tau++) {
      const diff = e0 + (cum[tau + w] - cum[tau]) - 2 * r[2 * tau];
      const dt = diff > 0 ? diff : 0;
      running += dt;
      d[tau] = running > 0 ? (dt * tau) / running : 1;
    }
    let tau = -1;
    for (let t = this.tauMin; t <= this.tauMax; t++) {
      if (d[t] < this.threshold) {
        while (t + 1 <= this.tauMax && d[t + 1] < d[t]) t++;
        tau = t;
        break;
      }
    }
    let voiced = 1;
    if (tau < 0) {
      voiced = 0;
      tau = this.tauMin;
      for (let t = this.tauMin + 1; t <= this.tauMax; t++) if (d[t] < d[tau]) tau = t;
    }
    out[at + YinOut.aperiodicity] = d[tau];
    if (voiced === 0) {
      out[at + YinOut.f0Hz] = 0;
      out[at + YinOut.voiced] = 0;
      return;
    }
    let shift = 0;
    if (tau > 1 && tau < this.tauMax) {
      const y0 = d[tau - 1];
      const y1 = d[tau];
      const y2 = d[tau + 1];
      const denom = y0 - 2 * y1 + y2;
      if (denom > 0) shift = Math.max(-1, Math.min(1, (0.5 * (y0 - y2)) / denom));
    }
    out[at + YinOut.f0Hz] = this.sampleRate / (tau + shift);
    out[at + YinOut.voiced] = 1;
  }
}
