/**
 * Evaluation metrics of the recurrent VAEs, on decoder outputs and windows:
 * reconstruction (drum hit F1, velocity and timing error; melody onset F1 and
 * token accuracy), interpolation smoothness, and simple statistics to compare
 * prior samples with data.
 */
import { DRUM_CLASSES, DRUM_FEATURES } from '../representation/drums.ts';
import { MELODY_FEATURES, melodyClassAt } from '../representation/features.ts';
import { STEPS_PER_BAR } from '../representation/grid.ts';
import { classPitch } from '../representation/melody.ts';

/** True/false positive and false negative counts. */
export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

/** F1 = 2·TP / (2·TP + FP + FN); 1 when there is nothing to find and nothing was found. */
export function f1(c: Counts): number {
  const d = 2 * c.tp + c.fp + c.fn;
  return d === 0 ? 1 : (2 * c.tp) / d;
}

/** Accumulates drum reconstruction errors over windows. */
export class DrumReconstruction {
  readonly perClass: Counts[] = Array.from({ length: DRUM_CLASSES }, () => ({ tp: 0, fp: 0, fn: 0 }));
  private velocityError = 0;
  private timingErrorMs = 0;
  private timingErrorSteps = 0;
  private matched = 0;

  /**
   * Adds one window: `target` a drum grid (32 × 27), `out` the decoder's
   * pre-activations for it (hit where logit ≥ 0, i.e. p ≥ 0.5).
   * @param tempoBpm tempo of the window, to express timing error in ms.
   */
  add(target: Float32Array, out: Float32Array, tempoBpm: number): void {
    const K = DRUM_CLASSES;
    const msPerStep = 60000 / tempoBpm / 4;
    for (let row = 0; row < target.length; row += DRUM_FEATURES) {
      for (let k = 0; k < K; k++) {
        const truth = target[row + k]! >= 0.5;
        const guess = out[row + k]! >= 0;
        const c = this.perClass[k]!;
        if (truth && guess) {
          c.tp++;
          this.velocityError += Math.abs(127 / (1 + Math.exp(-out[row + K + k]!)) - 127 * target[row + K + k]!);
          const dt = Math.abs(0.5 * Math.tanh(out[row + 2 * K + k]!) - target[row + 2 * K + k]!);
          this.timingErrorSteps += dt;
          this.timingErrorMs += dt * msPerStep;
          this.matched++;
        } else if (guess) c.fp++;
        else if (truth) c.fn++;
      }
    }
  }

  /** The summary: F1 overall (micro-averaged) and per class, velocity MAE (MIDI units) and timing MAE on matched hits. */
  summary(classNames: readonly string[]): Record<string, unknown> {
    const all = this.perClass.reduce((a, c) => ({ tp: a.tp + c.tp, fp: a.fp + c.fp, fn: a.fn + c.fn }), { tp: 0, fp: 0, fn: 0 });
    const precision = all.tp / Math.max(1, all.tp + all.fp);
    const recall = all.tp / Math.max(1, all.tp + all.fn);
    return {
      hit_f1: round(f1(all)),
      hit_precision: round(precision),
      hit_recall: round(recall),
      hit_f1_per_class: Object.fromEntries(this.perClass.map((c, k) => [classNames[k]!, round(f1(c))])),
      hits_in_data: all.tp + all.fn,
      velocity_mae_midi: round(this.velocityError / Math.max(1, this.matched)),
      timing_mae_ms: round(this.timingErrorMs / Math.max(1, this.matched)),
      timing_mae_steps: round(this.timingErrorSteps / Math.max(1, this.matched)),
    };
  }
}

/** Accumulates melody reconstruction errors over windows. */
export class MelodyReconstruction {
  private onsets: Counts = { tp: 0, fp: 0, fn: 0 };
  private tokensRight = 0;
  private tokens = 0;

  /**
   * Adds one window: `targetTokens` (32 classes) and the decoder's
   * pre-activations (32 × 91), decoded by `melodyClassAt` as the runtime does.
   */
  add(targetTokens: ArrayLike<number>, out: Float32Array): void {
    for (let t = 0; t < targetTokens.length; t++) {
      const guess = melodyClassAt(out, t * MELODY_FEATURES);
      const truth = targetTokens[t]!;
      this.tokens++;
      if (guess === truth) this.tokensRight++;
      // Onsets are (step, pitch) pairs: a note-on of the right pitch at the right step.
      if (truth >= 2 && guess === truth) this.onsets.tp++;
      else {
        if (truth >= 2) this.onsets.fn++;
        if (guess >= 2) this.onsets.fp++;
      }
    }
  }

  /** The summary: onset F1 on (step, pitch) and token accuracy. */
  summary(): Record<string, unknown> {
    return {
      onset_f1: round(f1(this.onsets)),
      onset_precision: round(this.onsets.tp / Math.max(1, this.onsets.tp + this.onsets.fp)),
      onset_recall: round(this.onsets.tp / Math.max(1, this.onsets.tp + this.onsets.fn)),
      token_accuracy: round(this.tokensRight / Math.max(1, this.tokens)),
      notes_in_data: this.onsets.tp + this.onsets.fn,
    };
  }
}

/** Index of the largest of `n` values starting at `offset`. */
export function argmax(values: ArrayLike<number>, offset: number, n: number): number {
  let best = 0;
  for (let c = 1; c < n; c++) if (values[offset + c]! > values[offset + best]!) best = c;
  return best;
}

/**
 * Change between neighbouring points of one interpolation path:
 * `changes[i]` = distance between decoded points i and i+1. Returns the mean,
 * max and max/mean (1 = perfectly even steps; large = one jump does most of
 * the change), and each change over the mean (`relative`, all 1 when even).
 * A path with no change at all has ratio 1 and relative changes 1.
 */
export function pathEvenness(changes: readonly number[]): { mean: number; max: number; maxOverMean: number; relative: number[] } {
  const mean = changes.reduce((a, b) => a + b, 0) / Math.max(1, changes.length);
  const max = changes.reduce((a, b) => Math.max(a, b), 0);
  return { mean, max, maxOverMean: mean > 0 ? max / mean : 1, relative: changes.map((c) => (mean > 0 ? c / mean : 1)) };
}

/** Euclidean distance. */
export function l2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
}

/** Number of positions where two discrete sequences differ. */
export function hamming(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

/** Statistics of a set of drum grids: hits per bar, and the share of hits in each class. */
export function drumStatistics(grids: readonly Float32Array[], classNames: readonly string[]): Record<string, unknown> {
  const perClass = new Array<number>(DRUM_CLASSES).fill(0);
  let hits = 0;
  let bars = 0;
  for (const g of grids) {
    bars += g.length / DRUM_FEATURES / STEPS_PER_BAR;
    for (let row = 0; row < g.length; row += DRUM_FEATURES) {
      for (let k = 0; k < DRUM_CLASSES; k++) {
        if (g[row + k]! >= 0.5) {
          hits++;
          perClass[k]!++;
        }
      }
    }
  }
  return {
    hits_per_bar: round(hits / Math.max(1, bars)),
    class_share: Object.fromEntries(perClass.map((n, k) => [classNames[k]!, round(n / Math.max(1, hits))])),
  };
}

/** Statistics of a set of melody token windows: notes per bar, mean pitch range per window (semitones), mean pitch, share of silent steps. */
export function melodyStatistics(windows: readonly ArrayLike<number>[]): Record<string, unknown> {
  let notes = 0;
  let bars = 0;
  let rangeSum = 0;
  let pitchSum = 0;
  let rest = 0;
  let steps = 0;
  for (const w of windows) {
    bars += w.length / STEPS_PER_BAR;
    let lo = Infinity;
    let hi = -Infinity;
    let sounding = false;
    for (let t = 0; t < w.length; t++) {
      const c = w[t]!;
      if (c >= 2) {
        notes++;
        const p = classPitch(c);
        pitchSum += p;
        lo = Math.min(lo, p);
        hi = Math.max(hi, p);
        sounding = true;
      } else if (c === 1) sounding = false;
      if (!sounding) rest++;
      steps++;
    }
    if (hi >= lo) rangeSum += hi - lo;
  }
  return {
    notes_per_bar: round(notes / Math.max(1, bars)),
    pitch_range_semitones: round(rangeSum / Math.max(1, windows.length)),
    mean_pitch: round(pitchSum / Math.max(1, notes)),
    rest_share: round(rest / Math.max(1, steps)),
  };
}

/** Rounds to 4 decimals for reports. */
export function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
