/**
 * Online tempo (BPM) and beat phase from the onset-strength envelope.
 *
 * Tempo, after `librosa.feature.tempo` (Ellis, "Beat tracking by dynamic
 * programming", JNMR 2007), made online: the envelope, resampled to ~100 Hz
 * "ticks" and with its slow mean (2 s) removed, feeds a leaky
 * autocorrelation (time constant 8 s):
 *
 *     R[ℓ] ← β·R[ℓ] + x[n]·x[n−ℓ]
 *
 * weighted by librosa's log-normal tempo prior (centre 120 BPM, σ = 1 octave),
 * `w(bpm) = exp(−½·(log2(bpm/120))²)`; the tempo is the best lag in 40–240 BPM,
 * refined by parabolic interpolation. It is 0 until 3 s of audio were seen
 * and the autocorrelation has a positive peak.
 *
 * Beat phase (0 at a beat, rising to 1): a first-order phase-locked loop. The
 * phase advances by `hop / period` each frame; each onset whose phase is
 * within ¼ beat of a beat pulls it by 30 % of the error, weighted by the
 * onset's strength relative to the recent maximum (off-beat onsets, such as
 * hats on eighth notes, are ignored). The first strong onset after the tempo
 * appears sets phase 0.
 */

import { Slot } from './frame-state.ts';

const MIN_BPM = 40;
const MAX_BPM = 240;
const TICK_RATE_HZ = 100;

/** Online tempo and beat-phase tracker. Allocates only in the constructor. */
export class TempoTracker {
  private readonly state: Float64Array;
  private readonly sampleRate: number;
  private readonly hopSize: number;
  private readonly framesPerTick: number;
  private readonly tickRate: number;
  private readonly lagMin: number;
  private readonly lagMax: number;
  private readonly prior: Float64Array;
  private readonly acf: Float64Array;
  private readonly history: Float64Array;
  private readonly acfDecay: number;
  private readonly meanDecay: number;
  private readonly strengthDecay: number;
  private readonly warmupTicks: number;
  private tickSum = 0;
  private tickFrames = 0;
  private ticks = 0;
  private mean = 0;
  private maxStrength = 0;
  private bpm = 0;
  private phase = 0;
  private locked = false;

  /** @param state the engine's frame state. @param sampleRate Hz. @param hopSize samples per frame. */
  constructor(state: Float64Array, sampleRate: number, hopSize: number) {
    this.state = state;
    this.sampleRate = sampleRate;
    this.hopSize = hopSize;
    const fps = sampleRate / hopSize;
    this.framesPerTick = Math.max(1, Math.round(fps / TICK_RATE_HZ));
    this.tickRate = fps / this.framesPerTick;
    this.lagMin = Math.max(1, Math.floor((60 * this.tickRate) / MAX_BPM));
    this.lagMax = Math.ceil((60 * this.tickRate) / MIN_BPM);
    this.prior = new Float64Array(this.lagMax + 2);
    for (let lag = 1; lag < this.prior.length; lag++) {
      const bpm = (60 * this.tickRate) / lag;
      this.prior[lag] = Math.exp(-0.5 * Math.log2(bpm / 120) ** 2);
    }
    this.acf = new Float64Array(this.lagMax + 2);
    this.history = new Float64Array(this.lagMax + 2);
    this.acfDecay = Math.exp(-1 / (8 * this.tickRate));
    this.meanDecay = Math.exp(-1 / (2 * this.tickRate));
    this.strengthDecay = Math.exp(-1 / (4 * fps));
    this.warmupTicks = Math.round(3 * this.tickRate);
  }

  /** Tempo in BPM; 0 while unknown. */
  get tempoBpm(): number {
    return this.bpm;
  }

  /** Beat phase in [0, 1) at the end of the latest frame; 0 while the tempo is unknown. */
  get beatPhase(): number {
    return this.phase;
  }

  /** Feeds one frame (reads `onsetStrength`, `frameEnd`, `onsetSample`, `onsetPeakStrength`). */
  update(): void {
    const s = this.state;
    this.tickSum += s[Slot.onsetStrength];
    if (++this.tickFrames >= this.framesPerTick) {
      this.tick();
      this.tickSum = 0;
      this.tickFrames = 0;
    }
    this.maxStrength *= this.strengthDecay;
    if (this.bpm <= 0) return;
    const periodSamples = (60 * this.sampleRate) / this.bpm;
    this.phase += this.hopSize / periodSamples;
    this.phase -= Math.floor(this.phase);
    const onsetSample = s[Slot.onsetSample];
    if (onsetSample < 0) return;
    const onsetStrength = s[Slot.onsetPeakStrength];
    if (onsetStrength > this.maxStrength) this.maxStrength = onsetStrength;
    const weight = this.maxStrength > 0 ? onsetStrength / this.maxStrength : 0;
    const phaseAtOnset = this.phase - (s[Slot.frameEnd] - onsetSample) / periodSamples;
    let error = phaseAtOnset - Math.round(phaseAtOnset);
    if (!this.locked) {
      if (weight < 0.5) return;
      this.locked = true;
      this.phase -= error;
    } else if (error > -0.25 && error < 0.25) {
      error *= 0.3 * weight;
      this.phase -= error;
    }
    this.phase -= Math.floor(this.phase);
  }

  /** Forgets everything. */
  reset(): void {
    this.acf.fill(0);
    this.history.fill(0);
    this.tickSum = 0;
    this.tickFrames = 0;
    this.ticks = 0;
    this.mean = 0;
    this.maxStrength = 0;
    this.bpm = 0;
    this.phase = 0;
    this.locked = false;
  }

  /** Adds one tick: the mean onset strength of the frames accumulated in tickSum. */
  private tick(): void {
    const value = this.tickSum / this.tickFrames;
    this.mean = this.meanDecay * this.mean + (1 - this.meanDecay) * value;
    const x = value - this.mean;
    const h = this.history;
    const size = h.length;
    const n = this.ticks;
    h[n % size] = x;
    this.ticks = n + 1;
    const acf = this.acf;
    const limit = Math.min(this.lagMax + 1, n);
    for (let lag = this.lagMin - 1; lag <= limit; lag++) acf[lag] = this.acfDecay * acf[lag] + x * h[(n - lag) % size];
    if (this.ticks < this.warmupTicks) return;
    let best = -1;
    let bestScore = 0;
    for (let lag = this.lagMin; lag <= this.lagMax; lag++) {
      const score = acf[lag] * this.prior[lag];
      if (score > bestScore) {
        bestScore = score;
        best = lag;
      }
    }
    if (best < 0) return;
    const y0 = acf[best - 1] * this.prior[best - 1];
    const y2 = acf[best + 1] * this.prior[best + 1];
    const denom = y0 - 2 * bestScore + y2;
    const shift = denom < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (y0 - y2)) / denom)) : 0;
    this.bpm = (60 * this.tickRate) / (best + shift);
  }
}
