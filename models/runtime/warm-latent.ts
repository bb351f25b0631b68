/**
 * Anytime encoding: the latent of a window is searched for while the window
 * is still being played, so that when it ends only a few gradient steps
 * remain. The updates are one run of Adam (models/fast/refine.ts, its moments
 * carried along) whose objective grows with what is played: at each update
 * point of the window, `updateSteps` steps on the steps played so far, the
 * unplayed tail left out of the loss (it is unknown, not silence). At the end
 * ("finish"), `finalSteps` steps of a fresh Adam at a smaller step size on the
 * whole window — the objective of the 40-step refinement, started from the
 * warm latent instead of the posterior mean. Each update and the finish first
 * compare the warm latent with the encoder's posterior mean of what is played
 * (one encoder pass, two objective values) and start from the one that
 * explains it better: a phrase can turn away from where its first beats
 * pointed. Without updates, `finish` falls back to a bounded refinement from
 * the posterior mean.
 *
 * The update points (protocol/update-points.ts) are the whole beats and the
 * steps of the last beat before each bar line: the request for a bar line
 * then finds a latent fitted to all but its last step.
 *
 * Deterministic: the update at point p (steps) reads only the window's first
 * p steps, so the latent depends on what was played and on the points sent,
 * not on when the updates arrived — a late update catches up the points it
 * missed, in order.
 *
 * Units: beats (quarter notes) of the window, 4 model steps each.
 */
import type { ModelKind } from '../core/config.ts';
import { freshAdamState, type AdamState, type RefineOptions } from '../fast/refine.ts';
import { DRUM_FEATURES } from '../representation/drums.ts';
import { MELODY_FEATURES } from '../representation/features.ts';
import { NO_EVENT } from '../representation/melody.ts';
import { isUpdatePoint } from '../../protocol/update-points.ts';

/** Model steps per beat (16th notes). */
export const STEPS_PER_BEAT = 4;

/** How the anytime search spends its gradient steps. */
export interface AnytimeSchedule {
  /** Gradient steps at each update point played (a whole beat, or a step of a bar's last beat), on the steps played so far (default 20; off the reply's path). */
  updateSteps: number;
  /** Gradient steps at the request, on the whole window, from the warm latent (default 8; on the reply's path). */
  finalSteps: number;
  /** Adam's step size of the final steps, latent units (default 0.2: the warm latent is near; the updates and the fallback take `REFINE_DEFAULTS.learningRate`, 0.3). */
  finalLearningRate: number;
  /** Gradient steps at a request that had no update, from the posterior mean (default 10; on the reply's path). */
  fallbackSteps: number;
}

/** Defaults of {@link AnytimeSchedule}, measured on the validation splits (docs/models.md). */
export const ANYTIME_DEFAULTS: Readonly<AnytimeSchedule> = { updateSteps: 20, finalSteps: 8, finalLearningRate: 0.2, fallbackSteps: 10 };

/** The inference calls the search needs: a model runtime's (models/runtime/runtime.ts) feature-level half. */
export interface LatentSearch {
  readonly kind: ModelKind;
  /** Steps per window (32). */
  readonly steps: number;
  readonly latentSize: number;
  posteriorMean(features: Float32Array): Float32Array;
  refine(features: Float32Array, z0: Float32Array, options?: RefineOptions): Float32Array;
  objective(features: Float32Array, z: Float32Array, options?: Pick<RefineOptions, 'playedSteps'>): number;
}

/** Checks a schedule. @throws RangeError naming the field out of range. */
export function checkSchedule(schedule: AnytimeSchedule): AnytimeSchedule {
  for (const key of ['updateSteps', 'finalSteps', 'fallbackSteps'] as const) {
    const v = schedule[key];
    if (!(Number.isInteger(v) && v >= 0)) throw new RangeError(`anytime schedule: ${key} must be a whole number ≥ 0, got ${v}`);
  }
  if (!(schedule.finalLearningRate > 0)) throw new RangeError(`anytime schedule: finalLearningRate must be > 0, got ${schedule.finalLearningRate}`);
  return schedule;
}

/**
 * A copy of `features` whose steps from `step` on are blank (no drum hit; the
 * melody's "no event"), so that the posterior mean of a partly played window
 * reads only what was played.
 */
export function blankFrom(kind: ModelKind, features: Float32Array, step: number): Float32Array {
  const F = kind === 'drums' ? DRUM_FEATURES : MELODY_FEATURES;
  const out = Float32Array.from(features);
  out.fill(0, step * F);
  if (kind === 'melody') for (let i = step * F + NO_EVENT; i < out.length; i += F) out[i] = 1;
  return out;
}

/** The warm latent of one window in progress, for one model. Not re-entrant. */
export class WarmLatent {
  private readonly search: LatentSearch;
  private readonly schedule: AnytimeSchedule;
  private z: Float32Array | null = null;
  private adam: AdamState;
  /** Steps of the window refined on so far (the last update point run). */
  private points = 0;

  /** @param schedule defaults {@link ANYTIME_DEFAULTS}. */
  constructor(search: LatentSearch, schedule: Partial<AnytimeSchedule> = {}) {
    this.search = search;
    this.schedule = checkSchedule({ ...ANYTIME_DEFAULTS, ...schedule });
    this.adam = freshAdamState(search.latentSize);
  }

  /** Beats of the window refined on so far (0: no update yet; a quarter beat per step update). */
  get refinedBeats(): number {
    return this.points / STEPS_PER_BEAT;
  }

  /** The warm latent (a copy), or null before the first update. */
  get latent(): Float32Array | null {
    return this.z ? Float32Array.from(this.z) : null;
  }

  /** Forgets the window: the next update starts a new search. */
  reset(): void {
    this.z = null;
    this.points = 0;
    this.adam = freshAdamState(this.search.latentSize);
  }

  /**
   * The window has been played up to `playedBeats`: one update per update
   * point not yet refined on (protocol/update-points.ts; the first starts
   * from the posterior mean of what is played), each reading only the steps
   * up to it. Beats past the window's end count as its end.
   * @param features the window so far (`steps × inputSize`); its steps after `playedBeats` are not read.
   * @returns the updates run (0 when no new point was played).
   */
  update(features: Float32Array, playedBeats: number): number {
    const upTo = Math.min(this.search.steps, Math.floor(playedBeats * STEPS_PER_BEAT + 1e-6));
    let runs = 0;
    for (let played = this.points + 1; played <= upTo; played++) {
      if (!isUpdatePoint(played)) continue;
      const start = this.betterStart(features, this.search.posteriorMean(blankFrom(this.search.kind, features, played)), played);
      this.z = this.schedule.updateSteps > 0 ? this.search.refine(features, start, { steps: this.schedule.updateSteps, playedSteps: played, state: this.adam }) : start;
      this.points = played;
      runs++;
    }
    return runs;
  }

  /**
   * The warm latent, or `mean` (the posterior mean of what is played) when
   * it explains the first `played` steps better — then Adam starts afresh
   * from it. Null warm latent: `mean`.
   */
  private betterStart(features: Float32Array, mean: Float32Array, played: number): Float32Array {
    if (this.z && this.search.objective(features, this.z, { playedSteps: played }) <= this.search.objective(features, mean, { playedSteps: played })) return this.z;
    if (this.z) this.adam = freshAdamState(this.search.latentSize);
    return mean;
  }

  /**
   * The window is complete: the latent to answer from. With updates, it
   * first catches up the update points up to the last whole beat before
   * `lengthBeats` that no update covered (as a live window would have had
   * them; the step updates after it come only as sent), then runs the final steps
   * on the whole window; without, the bounded refinement from the posterior
   * mean. The search is then reset.
   * @param features the whole window (`steps × inputSize`).
   * @param lengthBeats the window's played length, beats.
   */
  finish(features: Float32Array, lengthBeats: number): Float32Array {
    let z: Float32Array;
    if (this.z) {
      this.update(features, Math.ceil(lengthBeats - 1e-6) - 1);
      // A fresh Adam at a smaller step: the moments of the partial windows overshoot near the optimum.
      const start = this.betterStart(features, this.search.posteriorMean(features), this.search.steps);
      z = this.search.refine(features, start, { steps: this.schedule.finalSteps, learningRate: this.schedule.finalLearningRate });
    } else z = this.search.refine(features, this.search.posteriorMean(features), { steps: this.schedule.fallbackSteps });
    this.reset();
    return z;
  }
}
