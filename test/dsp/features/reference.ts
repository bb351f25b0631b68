/**
 * Straight-from-the-definition reference features for the known-answer
 * tests: a naive O(N²) DFT, dense librosa filterbanks built from librosa's
 * formulas, plain loops. Deliberately independent of dsp/features (no fft.js,
 * no shared code), slow, and only for tests.
 */

/** Output of {@link referenceFrame}: named like FEATURE_NAMES (flux needs the previous frame). */
export interface ReferenceFeatures {
  rms: number;
  zcr: number;
  centroid_hz: number;
  bandwidth_hz: number;
  rolloff_hz: number;
  flatness: number;
  mfcc: number[];
  chroma: number[];
  magnitude: number[];
  logMel: number[];
}

const TINY32 = 1.1754943508222875e-38;

/** Magnitude spectrum |DFT(w·x)| of bins 0 … N/2 with the periodic Hann window, by the DFT sum. */
export function referenceMagnitude(frame: ArrayLike<number>): number[] {
  const n = frame.length;
  const w = Array.from({ length: n }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
  // Twiddles by exact integer reduction keep the O(N²) sum accurate.
  const cos = Array.from({ length: n }, (_, i) => Math.cos((2 * Math.PI * i) / n));
  const sin = Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * i) / n));
  const out: number[] = [];
  for (let k = 0; k <= n / 2; k++) {
    let re = 0;
    let im = 0;
    for (let t = 0; t < n; t++) {
      const idx = (k * t) % n;
      const xw = frame[t] * w[t];
      re += xw * cos[idx];
      im -= xw * sin[idx];
    }
    out.push(Math.hypot(re, im));
  }
  return out;
}

function hzToMelSlaney(f: number): number {
  const fSp = 200 / 3;
  const minLogHz = 1000;
  const minLogMel = minLogHz / fSp;
  const logstep = Math.log(6.4) / 27;
  return f >= minLogHz ? minLogMel + Math.log(f / minLogHz) / logstep : f / fSp;
}

function melToHzSlaney(m: number): number {
  const fSp = 200 / 3;
  const minLogMel = 1000 / fSp;
  const logstep = Math.log(6.4) / 27;
  return m >= minLogMel ? 1000 * Math.exp(logstep * (m - minLogMel)) : fSp * m;
}

/** Dense librosa.filters.mel(sr, n_fft, n_mels, norm='slaney'): rows = mel bands. */
export function referenceMelMatrix(sr: number, nFft: number, nMels = 128): number[][] {
  const fftFreqs = Array.from({ length: nFft / 2 + 1 }, (_, k) => (k * sr) / 2 / (nFft / 2));
  const mMin = hzToMelSlaney(0);
  const mMax = hzToMelSlaney(sr / 2);
  const melF = Array.from({ length: nMels + 2 }, (_, i) => melToHzSlaney(mMin + ((mMax - mMin) * i) / (nMels + 1)));
  const fdiff = melF.slice(1).map((f, i) => f - melF[i]);
  const weights: number[][] = [];
  for (let i = 0; i < nMels; i++) {
    const row = fftFreqs.map((f) => {
      const lower = -(melF[i] - f) / fdiff[i];
      const upper = (melF[i + 2] - f) / fdiff[i + 1];
      return Math.max(0, Math.min(lower, upper));
    });
    const enorm = 2 / (melF[i + 2] - melF[i]);
    weights.push(row.map((v) => v * enorm));
  }
  return weights;
}

/** Dense librosa.filters.chroma(sr, n_fft, tuning=0, ctroct=5, octwidth=2, norm=2, base_c=True). */
export function referenceChromaMatrix(sr: number, nFft: number): number[][] {
  const nChroma = 12;
  const freqs = Array.from({ length: nFft - 1 }, (_, i) => ((i + 1) * sr) / nFft);
  const frqbins0 = freqs.map((f) => nChroma * Math.log2(f / (440 / 16)));
  const frqbins = [frqbins0[0] - 1.5 * nChroma, ...frqbins0];
  const binwidth = [...frqbins.slice(1).map((f, i) => Math.max(f - frqbins[i], 1)), 1];
  const rows: number[][] = [];
  for (let c = 0; c < nChroma; c++) {
    rows.push(
      frqbins.map((fb, k) => {
        const x = fb - c + 6 + 10 * nChroma;
        const d = x - nChroma * Math.floor(x / nChroma) - 6;
        return Math.exp(-0.5 * ((2 * d) / binwidth[k]) ** 2);
      }),
    );
  }
  for (let k = 0; k < nFft; k++) {
    const norm = Math.sqrt(rows.reduce((s, r) => s + r[k] ** 2, 0));
    const oct = Math.exp(-0.5 * ((frqbins[k] / nChroma - 5) / 2) ** 2);
    for (const r of rows) r[k] = (r[k] / norm) * oct;
  }
  // np.roll(wts, -3, axis=0): new row i = old row (i + 3) mod 12.
  const rolled = rows.map((_, i) => rows[(i + 3) % nChroma]);
  return rolled.map((r) => r.slice(0, nFft / 2 + 1));
}

/** Features of one frame (unwindowed samples) from the definitions. */
export function referenceFrame(frame: ArrayLike<number>, sr: number, mel?: number[][], chroma?: number[][]): ReferenceFeatures {
  const n = frame.length;
  const x = Array.from(frame);
  const rms = Math.sqrt(x.reduce((s, v) => s + v * v, 0) / n);
  const signbit = x.map((v) => (Math.abs(v) <= 1e-10 ? false : v < 0));
  let crossings = 0;
  for (let i = 1; i < n; i++) if (signbit[i] !== signbit[i - 1]) crossings++;
  const zcr = crossings / n;

  const S = referenceMagnitude(x);
  const freq = S.map((_, k) => (k * sr) / n);
  const total = S.reduce((s, v) => s + v, 0);
  let centroid = 0;
  let bandwidth = 0;
  let rolloff = 0;
  if (total >= TINY32) {
    centroid = S.reduce((s, v, k) => s + (v / total) * freq[k], 0);
    bandwidth = Math.sqrt(S.reduce((s, v, k) => s + (v / total) * (freq[k] - centroid) ** 2, 0));
    let cum = 0;
    rolloff = freq[freq.length - 1];
    for (let k = 0; k < S.length; k++) {
      cum += S[k];
      if (cum >= 0.85 * total) {
        rolloff = freq[k];
        break;
      }
    }
  }
  const P = S.map((v) => Math.max(1e-10, v * v));
  const flatness = Math.exp(P.reduce((s, v) => s + Math.log(v), 0) / P.length) / (P.reduce((s, v) => s + v, 0) / P.length);

  const melW = mel ?? referenceMelMatrix(sr, n);
  const power = S.map((v) => v * v);
  const melPow = melW.map((row) => row.reduce((s, w, k) => s + w * power[k], 0));
  const db = melPow.map((p) => 10 * Math.log10(Math.max(1e-10, p)));
  const top = Math.max(...db);
  const logMel = db.map((d) => Math.max(d, top - 80));
  const M = logMel.length;
  const mfcc = Array.from({ length: 13 }, (_, k) => {
    const s = Math.sqrt((k === 0 ? 1 : 2) / M);
    return s * logMel.reduce((acc, v, m) => acc + v * Math.cos((Math.PI * k * (2 * m + 1)) / (2 * M)), 0);
  });
  const chromaW = chroma ?? referenceChromaMatrix(sr, n);
  const raw = chromaW.map((row) => row.reduce((s, w, k) => s + w * power[k], 0));
  const maxC = Math.max(...raw);
  const chromaOut = maxC < TINY32 ? raw.map(() => 0) : raw.map((v) => v / maxC);
  return { rms, zcr, centroid_hz: centroid, bandwidth_hz: bandwidth, rolloff_hz: rolloff, flatness, mfcc, chroma: chromaOut, magnitude: S, logMel };
}

/** L2 flux between two magnitude spectra. */
export function referenceFlux(current: number[], previous: number[]): number {
  return Math.sqrt(current.reduce((s, v, k) => s + (v - previous[k]) ** 2, 0));
}

/** librosa onset strength between two log-mel frames: mean of the positive rises. */
export function referenceOnsetStrength(current: number[], previous: number[]): number {
  return current.reduce((s, v, m) => s + Math.max(0, v - previous[m]), 0) / current.length;
}
