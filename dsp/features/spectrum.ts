/**
 * One shared FFT per frame: Hann window, real FFT (the `fft.js` package,
 * radix-4), then the magnitude and power spectra of bins 0 … N/2. Every
 * spectral feature of a frame reads these two arrays; nothing else runs an
 * FFT of the frame.
 */
import FFT from 'fft.js';
import { periodicHann } from './window.ts';

/** Magnitude and power spectrum of a Hann-windowed frame. Allocates only in the constructor. */
export class SpectrumAnalyzer {
  /** Frame length N, in samples. */
  readonly frameSize: number;
  /** Number of bins, N/2 + 1 (DC … Nyquist). */
  readonly binCount: number;
  /** Bin spacing sr/N, in Hz: bin k is at k·binHz. */
  readonly binHz: number;
  /** |X[k]|, unnormalised (as `np.abs(librosa.stft(y))`), k = 0 … N/2. Overwritten by {@link compute}. */
  readonly magnitude: Float64Array;
  /** |X[k]|², k = 0 … N/2. Overwritten by {@link compute}. */
  readonly power: Float64Array;
  private readonly fft: FFT;
  private readonly window: Float64Array;
  private readonly windowed: Float64Array;
  private readonly complex: Float64Array;

  /** @param frameSize power of two ≥ 4. @param sampleRate Hz. */
  constructor(frameSize: number, sampleRate: number) {
    this.frameSize = frameSize;
    this.binCount = frameSize / 2 + 1;
    this.binHz = sampleRate / frameSize;
    this.fft = new FFT(frameSize);
    this.window = periodicHann(frameSize);
    this.windowed = new Float64Array(frameSize);
    this.complex = new Float64Array(2 * frameSize);
    this.magnitude = new Float64Array(this.binCount);
    this.power = new Float64Array(this.binCount);
  }

  /** Windows `frame` (length N) and fills {@link magnitude} and {@link power}. */
  compute(frame: Float64Array): void {
    const n = this.frameSize;
    const w = this.window;
    const x = this.windowed;
    for (let i = 0; i < n; i++) x[i] = frame[i] * w[i];
    this.fft.realTransform(this.complex, x);
    const c = this.complex;
    const mag = this.magnitude;
    const pow = this.power;
    for (let k = 0; k < this.binCount; k++) {
      const re = c[2 * k];
      const im = c[2 * k + 1];
      const p = re * re + im * im;
      pow[k] = p;
      mag[k] = Math.sqrt(p);
    }
  }
}
