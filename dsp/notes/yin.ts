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
 * - absolute threshold: the first τ in [τ_min, τ_max] with `d'(τ) < threshold`
 *   (a local minimum counts with its parabolic vertex, so a dip that falls
 *   between two lags is not missed), moved on to the bottom of its dip; if
 *   none, unvoiced;
 * - parabolic interpolation of d around τ; `f0 = sr / τ`.
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
  /** Half-size FFT for the real-output inverse. */
  private readonly halfFft: FFT;
  /** e^{+2πik/n}, k = 0 … n/2−1: cos at [2k], sin at [2k+1]. */
  private readonly twiddle: Float64Array;
  private readonly halfSpectrum: Float64Array;
  /** Both inputs packed as one complex signal: a (window) + i·b (window and lags). */
  private readonly packed: Float64Array;
  private readonly spectrum: Float64Array;
  private readonly product: Float64Array;
  private readonly corr: Float64Array;
  private readonly cumSq: Float64Array;
  private readonly cmndf: Float64Array;
  /** The raw difference function d(τ). */
  private readonly diff: Float64Array;

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
    this.halfFft = new FFT(n / 2);
    this.twiddle = new Float64Array(n);
    for (let k = 0; k < n / 2; k++) {
      this.twiddle[2 * k] = Math.cos((2 * Math.PI * k) / n);
      this.twiddle[2 * k + 1] = Math.sin((2 * Math.PI * k) / n);
    }
    this.packed = new Float64Array(2 * n);
    this.spectrum = new Float64Array(2 * n);
    this.product = new Float64Array(n + 2);
    this.halfSpectrum = new Float64Array(n);
    this.corr = new Float64Array(n);
    this.cumSq = new Float64Array(this.inputLength + 1);
    this.cmndf = new Float64Array(this.tauMax + 2);
    this.diff = new Float64Array(this.tauMax + 2);
  }

  /**
   * Estimates the pitch of `x[0 … inputLength−1]` and writes the {@link YinOut}
   * slots to `out[at + slot]`.
   */
  analyze(x: Float64Array, out: Float64Array, at: number): void {
    const w = this.window;
    const len = this.inputLength;
    const n = this.fftSize;
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
    // Two real FFTs for the price of one complex one: z = a + i·b, where a is
    // the window x[0 … W) and b the whole x[0 … W+τmax], both zero-padded.
    const z = this.packed;
    for (let i = 0; i < n; i++) {
      z[2 * i] = i < w ? x[i] : 0;
      z[2 * i + 1] = i < len ? x[i] : 0;
    }
    this.fft.transform(this.spectrum, z);
    // A_k = (Z_k + conj Z_{n−k}) / 2, B_k = (Z_k − conj Z_{n−k}) / 2i; cross-spectrum P_k = conj(A_k)·B_k
    // on k = 0 … n/2 (it is Hermitian: its inverse is real).
    const zs = this.spectrum;
    const p = this.product;
    const half = n / 2;
    for (let k = 0; k <= half; k++) {
      const m = k === 0 ? 0 : n - k;
      const zr = zs[2 * k];
      const zi = zs[2 * k + 1];
      const mr = zs[2 * m];
      const mi = zs[2 * m + 1];
      const ar = 0.5 * (zr + mr);
      const ai = 0.5 * (zi - mi);
      const br = 0.5 * (zi + mi);
      const bi = 0.5 * (mr - zr);
      p[2 * k] = ar * br + ai * bi;
      p[2 * k + 1] = ar * bi - ai * br;
    }
    // Real inverse through a half-size complex one: with E_k = (P_k + conj P_{n/2−k}) / 2 and
    // O_k = (P_k − conj P_{n/2−k})·e^{2πik/n} / 2 (the spectra of the even and odd samples),
    // IFFT_{n/2}(E + i·O) holds r[2m] in its real and r[2m+1] in its imaginary parts.
    const hs = this.halfSpectrum;
    const tw = this.twiddle;
    for (let k = 0; k < half; k++) {
      const xr = p[2 * k];
      const xi = p[2 * k + 1];
      const yr = p[2 * (half - k)];
      const yi = p[2 * (half - k) + 1];
      const er = 0.5 * (xr + yr);
      const ei = 0.5 * (xi - yi);
      const dr = 0.5 * (xr - yr);
      const di = 0.5 * (xi + yi);
      const c = tw[2 * k];
      const sn = tw[2 * k + 1];
      const or = dr * c - di * sn;
      const oi = dr * sn + di * c;
      hs[2 * k] = er - oi;
      hs[2 * k + 1] = ei + or;
    }
    this.halfFft.inverseTransform(this.corr, hs);
    const r = this.corr;
    const d = this.cmndf;
    const e0 = cum[w];
    d[0] = 1;
    let running = 0;
    for (let tau = 1; tau <= this.tauMax; tau++) {
      const et = cum[tau + w] - cum[tau];
      const diff = e0 + et - 2 * r[tau];
      // Below 1e-9 of the energies it is FFT round-off (a constant signal must give d = 0, not noise).
      const dt = diff > 1e-9 * (e0 + et) ? diff : 0;
      this.diff[tau] = dt;
      running += dt;
      d[tau] = running > 0 ? (dt * tau) / running : 1;
    }
    // Absolute threshold on the dips of d′. A dip between two lags (a period of 5.5 samples) can
    // leave both neighbours above the threshold, so a local minimum is tested at its parabolic
    // vertex, y1 − (y0 − y2)² / (8·(y0 − 2·y1 + y2)), not at its sampled value.
    let tau = -1;
    let best = this.tauMin;
    for (let t = this.tauMin; t <= this.tauMax; t++) {
      if (d[t] < d[best]) best = t;
      let value = d[t];
      if (t > 1 && t < this.tauMax && d[t] <= d[t - 1] && d[t] <= d[t + 1]) {
        const denom = d[t - 1] - 2 * d[t] + d[t + 1];
        if (denom > 0) value = d[t] - (d[t - 1] - d[t + 1]) ** 2 / (8 * denom);
      }
      if (value < this.threshold) {
        while (t + 1 <= this.tauMax && d[t + 1] < d[t]) t++;
        tau = t;
        break;
      }
    }
    out[at + YinOut.aperiodicity] = tau < 0 ? d[best] : d[tau];
    if (tau < 0) {
      out[at + YinOut.f0Hz] = 0;
      out[at + YinOut.voiced] = 0;
      return;
    }
    // Parabolic interpolation of the raw difference d (its minimum is not shifted by d′'s 1/mean weighting).
    const raw = this.diff;
    let shift = 0;
    if (tau > 1 && tau < this.tauMax) {
      const y0 = raw[tau - 1];
      const y1 = raw[tau];
      const y2 = raw[tau + 1];
      const denom = y0 - 2 * y1 + y2;
      if (denom > 0) shift = Math.max(-1, Math.min(1, (0.5 * (y0 - y2)) / denom));
    }
    out[at + YinOut.f0Hz] = this.sampleRate / (tau + shift);
    out[at + YinOut.voiced] = 1;
  }
}
