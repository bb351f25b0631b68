/**
 * Slaney-style mel filterbank, as `librosa.filters.mel(sr, n_fft, n_mels=128,
 * fmin=0, fmax=sr/2, htk=False, norm='slaney')`:
 *
 * - Mel scale (Slaney, Auditory Toolbox): linear below 1 kHz,
 *   `m = f / (200/3)`; logarithmic above, `m = 15 + ln(f/1000) / (ln 6.4 / 27)`.
 * - `n_mels + 2` edge frequencies equally spaced in mel from fmin to fmax;
 *   filter i is the triangle rising from edge i to edge i+1 and falling to
 *   edge i+2, evaluated at the FFT bin frequencies `k·sr/N`:
 *   `w[i,k] = max(0, min((f_k − e_i)/(e_{i+1} − e_i), (e_{i+2} − f_k)/(e_{i+2} − e_{i+1})))`.
 * - Slaney area normalisation: row i is scaled by `2 / (e_{i+2} − e_i)`.
 *
 * Stored sparsely (each row is one run of non-zero bins), so applying it costs
 * about two multiply-adds per FFT bin.
 */

const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOG_STEP = Math.log(6.4) / 27;

/** Hz → mel on the Slaney scale (librosa `hz_to_mel(f, htk=False)`). */
export function hzToMel(hz: number): number {
  return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP : hz / F_SP;
}

/** Mel → Hz on the Slaney scale (librosa `mel_to_hz(m, htk=False)`). */
export function melToHz(mel: number): number {
  return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
}

/** A sparse Slaney mel filterbank over the bins 0 … N/2 of an N-point FFT. */
export class MelFilterbank {
  /** Number of mel bands. */
  readonly bandCount: number;
  /** First non-zero bin of each band. */
  private readonly starts: Int32Array;
  /** Number of non-zero bins of each band. */
  private readonly lengths: Int32Array;
  /** Offset of each band's weights in {@link weights}. */
  private readonly offsets: Int32Array;
  private readonly weights: Float64Array;

  /**
   * @param sampleRate Hz.
   * @param frameSize FFT length N.
   * @param bandCount number of mel bands (librosa default 128).
   * @param fminHz lowest edge, Hz (default 0).
   * @param fmaxHz highest edge, Hz (default sampleRate / 2).
   */
  constructor(sampleRate: number, frameSize: number, bandCount = 128, fminHz = 0, fmaxHz = sampleRate / 2) {
    this.bandCount = bandCount;
    const binCount = frameSize / 2 + 1;
    const melMin = hzToMel(fminHz);
    const melMax = hzToMel(fmaxHz);
    const edges = new Float64Array(bandCount + 2);
    for (let i = 0; i < edges.length; i++) edges[i] = melToHz(melMin + ((melMax - melMin) * i) / (bandCount + 1));
    const dense: number[][] = [];
    this.starts = new Int32Array(bandCount);
    this.lengths = new Int32Array(bandCount);
    this.offsets = new Int32Array(bandCount);
    let total = 0;
    for (let i = 0; i < bandCount; i++) {
      const lo = edges[i];
      const mid = edges[i + 1];
      const hi = edges[i + 2];
      const enorm = 2 / (hi - lo);
      const row: number[] = [];
      let first = -1;
      for (let k = 0; k < binCount; k++) {
        // librosa's fft_frequencies: linspace(0, sr/2, 1 + N/2).
        const f = (k * sampleRate) / frameSize;
        const w = Math.max(0, Math.min((f - lo) / (mid - lo), (hi - f) / (hi - mid)));
        if (w > 0) {
          if (first < 0) first = k;
          // Bins between two non-zero bins are non-zero too (a triangle is convex).
          row.push(w * enorm);
        }
      }
      this.starts[i] = Math.max(first, 0);
      this.lengths[i] = row.length;
      this.offsets[i] = total;
      total += row.length;
      dense.push(row);
    }
    this.weights = new Float64Array(total);
    for (let i = 0; i < bandCount; i++) this.weights.set(dense[i], this.offsets[i]);
  }

  /** `out[i] = Σ_k w[i,k]·power[k]` (librosa `melspectrogram` with `power=2`). */
  apply(power: Float64Array, out: Float64Array): void {
    const w = this.weights;
    for (let i = 0; i < this.bandCount; i++) {
      const start = this.starts[i];
      const len = this.lengths[i];
      const off = this.offsets[i];
      let acc = 0;
      for (let j = 0; j < len; j++) acc += w[off + j] * power[start + j];
      out[i] = acc;
    }
  }

  /** The dense weight of band `band` at bin `bin` (for tests and plots). */
  weight(band: number, bin: number): number {
    const j = bin - this.starts[band];
    return j >= 0 && j < this.lengths[band] ? this.weights[this.offsets[band] + j] : 0;
  }
}
