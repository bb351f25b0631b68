/**
 * Online key estimate from chroma (Krumhansl–Schmuckler key finding with the
 * Krumhansl & Kessler 1982 probe-tone profiles; C. Krumhansl, "Cognitive
 * Foundations of Musical Pitch", 1990): a leaky sum of the frames' chroma
 * vectors (time constant 10 s; frames below the silence gate are skipped) is
 * correlated (Pearson) with the 24 rotated major and minor profiles; the key
 * is the best match.
 *
 * Each voiced frame with a fundamental above 120 Hz also adds half a unit at
 * its pitch class (see {@link FUNDAMENTAL_WEIGHT}). Confidence, 0–1: the best correlation r₁ (clamped at 0) times its margin
 * over the runner-up, `r₁ · min(1, (r₁ − r₂) / 0.1)`. Only frames the engine
 * calls pitched (YIN found a period: see feature-engine.ts) add to the sum,
 * so noise and drums add nothing; the key is "no key" (−1) while the pitched
 * frames of the last 10 s are fewer than {@link KEY_MIN_PITCHED_S} seconds'
 * worth, or the confidence is below {@link KEY_MIN_CONFIDENCE}.
 *
 * Key index: 0–11 = C … B major, 12–23 = C … B minor (tonic = index mod 12);
 * −1 for no key.
 */

/** Least pitched material behind a key: seconds of pitched frames in the leaky sum. */
export const KEY_MIN_PITCHED_S = 1;
/** Least confidence (0–1) for a key to be named. */
export const KEY_MIN_CONFIDENCE = 0.3;
/**
 * Weight of a voiced frame's fundamental pitch class (the chroma is
 * max-normalised: 1 would be as much as the frame's strongest class). Why:
 * below about C4 a 2048-point frame's bins are wider than a semitone, so a low
 * note's fundamental smears over its neighbours while its third harmonic (a
 * fifth up) is resolved, and the chroma of a low C-major tune leans to G major.
 */
const FUNDAMENTAL_WEIGHT = 0.5;
/**
 * Lowest fundamental that counts, as a MIDI pitch (46.5 ≈ 120 Hz, the top of
 * the drum detector's kick band: a kick's falling sweep is voiced too).
 */
const FUNDAMENTAL_MIN_MIDI = 46.5;
/** Correlation margin over the runner-up that gives full confidence. */
const FULL_MARGIN = 0.1;

import { Slot } from './frame-state.ts';

const MAJOR = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
const MINOR = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];

/** The key names live with the feature stream's payload, which carries the key index. */
export { KEY_NAMES, keyName } from '../../protocol/features.ts';

/** Online Krumhansl–Schmuckler key tracker. Allocates only in the constructor. */
export class KeyTracker {
  /** Zero-mean, unit-norm profiles, rotated: profiles[key·12 + pitchClass]. */
  private readonly profiles = new Float64Array(24 * 12);
  private readonly sum = new Float64Array(12);
  private readonly decay: number;
  /** Leaky count of pitched frames (same time constant as the sum). */
  private pitchedFrames = 0;
  private readonly minPitchedFrames: number;
  /** Best candidate (named or not), its confidence. */
  private best = -1;
  private confidenceValue = 0;
  private key = -1;

  /** @param framesPerSecond sr / hop. */
  constructor(framesPerSecond: number) {
    this.decay = Math.exp(-1 / (10 * framesPerSecond));
    this.minPitchedFrames = KEY_MIN_PITCHED_S * framesPerSecond;
    for (let mode = 0; mode < 2; mode++) {
      const base = mode === 0 ? MAJOR : MINOR;
      const mean = base.reduce((s, v) => s + v, 0) / 12;
      const norm = Math.sqrt(base.reduce((s, v) => s + (v - mean) ** 2, 0));
      for (let tonic = 0; tonic < 12; tonic++) {
        for (let pc = 0; pc < 12; pc++) this.profiles[(mode * 12 + tonic) * 12 + pc] = (base[(pc - tonic + 12) % 12] - mean) / norm;
      }
    }
  }

  /** Current key index (see module doc); −1 for no key. */
  get keyIndex(): number {
    return this.key;
  }

  /** Confidence of the best-matching key, 0–1 (also while it is below the threshold; 0 before any pitched frame). */
  get confidence(): number {
    return this.confidenceValue;
  }

  /** The best-matching key even when it is not confident enough to be named (−1 before any pitched frame). */
  get candidateIndex(): number {
    return this.best;
  }

  /**
   * Adds one frame's chroma (12 values, C … B) when `gate` (above the silence
   * gate) and `pitched` (at least half its power periodic) are true, plus the
   * pitch class of YIN's fundamental when the frame is voiced
   * (`state[Slot.voiced]`, `state[Slot.midi]`: see frame-state.ts; passed as
   * the array so no double is boxed), and updates the key.
   */
  update(chroma: Float64Array, gate: boolean, pitched: boolean, state: Float64Array): void {
    if (!gate || !pitched) return;
    const s = this.sum;
    this.pitchedFrames = this.decay * this.pitchedFrames + 1;
    let mean = 0;
    const midi = state[Slot.voiced] > 0 ? state[Slot.midi] : 0;
    const pc = midi >= FUNDAMENTAL_MIN_MIDI ? Math.round(midi) % 12 : -1;
    for (let c = 0; c < 12; c++) {
      s[c] = this.decay * s[c] + chroma[c] + (c === pc ? FUNDAMENTAL_WEIGHT : 0);
      mean += s[c];
    }
    mean /= 12;
    let norm = 0;
    for (let c = 0; c < 12; c++) norm += (s[c] - mean) * (s[c] - mean);
    if (!(norm > 0)) return;
    let best = -1;
    let bestScore = -Infinity;
    let second = -Infinity;
    for (let key = 0; key < 24; key++) {
      let dot = 0;
      const base = key * 12;
      for (let c = 0; c < 12; c++) dot += (s[c] - mean) * this.profiles[base + c];
      if (dot > bestScore) {
        second = bestScore;
        bestScore = dot;
        best = key;
      } else if (dot > second) second = dot;
    }
    // Pearson r: the profiles are zero-mean and unit-norm.
    const inv = 1 / Math.sqrt(norm);
    const r1 = bestScore * inv;
    const r2 = second * inv;
    this.best = best;
    this.confidenceValue = Math.max(0, r1) * Math.min(1, (r1 - r2) / FULL_MARGIN);
    this.key = this.pitchedFrames >= this.minPitchedFrames && this.confidenceValue >= KEY_MIN_CONFIDENCE ? best : -1;
  }

  /** Forgets everything. */
  reset(): void {
    this.sum.fill(0);
    this.pitchedFrames = 0;
    this.best = -1;
    this.confidenceValue = 0;
    this.key = -1;
  }
}
