/**
 * Evaluates a model on held-out windows with the fast inference path:
 * reconstruction from the posterior mean, interpolation smoothness between
 * random pairs, and prior samples against data statistics.
 */
import { inputSize } from '../core/config.ts';
import type { ModelWeights } from '../core/weights.ts';
import { FastVae } from '../fast/vae.ts';
import { LatentRefiner, REFINE_DEFAULTS } from '../fast/refine.ts';
import { sigmoid } from '../fast/kernels.ts';
import { DRUM_CLASS_NAMES, DRUM_CLASSES, DRUM_FEATURES } from '../representation/drums.ts';
import { MELODY_FEATURES, melodyClassAt, writeMelodyFeatures } from '../representation/features.ts';
import { MELODY_CLASSES } from '../representation/melody.ts';
import { normal, seededUniform } from '../runtime/random.ts';
import type { Window } from '../training/data.ts';
import { argmax, DrumReconstruction, drumStatistics, hamming, l2, MelodyReconstruction, melodyStatistics, pathEvenness, round } from './metrics.ts';

/** Options of {@link evaluateModel}. */
export interface EvalOptions {
  /** Interpolation pairs (default 100). */
  pairs: number;
  /** Points per interpolation, ends included (default 11). */
  points: number;
  /** Prior samples (default 500). */
  samples: number;
  /** Seed of pair and sample choices (default 1). */
  seed: number;
  /** Refinement steps of the refined latents (default `REFINE_DEFAULTS.steps`, as the plugin's encode; 0 leaves them out). */
  refineSteps: number;
}

/** Evaluates weights on windows; returns a JSON-ready report. */
export function evaluateModel(weights: ModelWeights, windows: readonly Window[], options: Partial<EvalOptions> = {}): Record<string, unknown> {
  const o: EvalOptions = { pairs: 100, points: 11, samples: 500, seed: 1, refineSteps: REFINE_DEFAULTS.steps, ...options };
  if (windows.length < 2) throw new Error(`evaluation needs at least 2 windows of 2 bars, the data gave ${windows.length}`);
  const vae = new FastVae(weights);
  const kind = weights.config.kind;
  const F = inputSize(kind);
  const features = (w: Window): Float32Array => {
    if (w.grid) return w.grid;
    const x = new Float32Array(w.tokens!.length * F);
    writeMelodyFeatures(w.tokens!, w.velocity!, x);
    return x;
  };

  // Reconstruction, deterministic: posterior mean, then threshold / structured argmax at each step (an autoregressive decoder reads its own choices back).
  const means: Float32Array[] = [];
  const drums = new DrumReconstruction();
  const melody = new MelodyReconstruction();
  for (const w of windows) {
    const { mu } = vae.encode(features(w));
    means.push(mu);
    const out = vae.decode(mu);
    if (kind === 'drums') drums.add(w.grid!, out, w.tempoBpm);
    else melody.add(w.tokens!, out);
  }
  const reconstruction = kind === 'drums' ? drums.summary(DRUM_CLASS_NAMES) : melody.summary();

  // The same from refined latents — the posterior mean moved by gradient steps, as the plugin encodes (models/fast/refine.ts).
  let refined: Float32Array[] | null = null;
  let reconstructionRefined: Record<string, unknown> | null = null;
  if (o.refineSteps > 0) {
    const refiner = new LatentRefiner(weights);
    const refinedDrums = new DrumReconstruction();
    const refinedMelody = new MelodyReconstruction();
    refined = windows.map((w, i) => {
      const z = refiner.refine(features(w), means[i]!, { steps: o.refineSteps });
      const out = vae.decode(z);
      if (kind === 'drums') refinedDrums.add(w.grid!, out, w.tempoBpm);
      else refinedMelody.add(w.tokens!, out);
      return z;
    });
    reconstructionRefined = kind === 'drums' ? refinedDrums.summary(DRUM_CLASS_NAMES) : refinedMelody.summary();
  }

  // Continuation: the learned transition's guess of the next 2 bars against the real next 2 bars,
  // beside the trivial guess "the same 2 bars again".
  const index = new Map(windows.map((w, i) => [`${w.sequence}:${w.startStep}`, i]));
  const nextDrums = new DrumReconstruction();
  const nextMelody = new MelodyReconstruction();
  const repeatDrums = new DrumReconstruction();
  const repeatMelody = new MelodyReconstruction();
  let continuationPairs = 0;
  windows.forEach((w, i) => {
    const j = index.get(`${w.sequence}:${w.startStep + weights.config.steps}`);
    if (j === undefined) return;
    continuationPairs++;
    const next = windows[j]!;
    const guess = vae.decode(vae.next(means[i]!));
    const repeat = vae.decode(means[i]!);
    if (kind === 'drums') {
      nextDrums.add(next.grid!, guess, next.tempoBpm);
      repeatDrums.add(next.grid!, repeat, next.tempoBpm);
    } else {
      nextMelody.add(next.tokens!, guess);
      repeatMelody.add(next.tokens!, repeat);
    }
  });
  const pick = (r: Record<string, unknown>): unknown => (kind === 'drums' ? r.hit_f1 : r.onset_f1);
  const continuation = {
    pairs: continuationPairs,
    metric: kind === 'drums' ? 'hit F1 against the real next 2 bars' : 'onset F1 against the real next 2 bars',
    learned_transition: pick(kind === 'drums' ? nextDrums.summary(DRUM_CLASS_NAMES) : nextMelody.summary()),
    repeat_baseline: pick(kind === 'drums' ? repeatDrums.summary(DRUM_CLASS_NAMES) : repeatMelody.summary()),
  };

  // Interpolation smoothness: decode evenly spaced points between random held-out pairs
  // (the same pairs for the posterior means and for the refined latents).
  const random = seededUniform(o.seed);
  const Z = weights.config.latentSize;
  const pairs: Array<[number, number]> = [];
  for (let p = 0; p < o.pairs; p++) {
    const i = Math.floor(random() * windows.length);
    let j = Math.floor(random() * (windows.length - 1));
    if (j >= i) j++;
    pairs.push([i, j]);
  }
  const interpolationOf = (latents: readonly Float32Array[]): Record<string, unknown> => {
    const soft: Array<ReturnType<typeof pathEvenness>> = [];
    const hard: Array<ReturnType<typeof pathEvenness>> = [];
    for (const [i, j] of pairs) {
      const probs: Float32Array[] = [];
      const events: Int16Array[] = [];
      // An autoregressive decoder's distributions are compared given one fixed sequence (the pair's first window), as the flat regulariser sees them.
      const teacher = vae.autoregressive ? features(windows[i]!) : undefined;
      for (let k = 0; k < o.points; k++) {
        const t = k / (o.points - 1);
        const z = new Float32Array(Z).map((_, d) => latents[i]![d]! + t * (latents[j]![d]! - latents[i]![d]!));
        const decoded = eventsOf(kind, vae.decode(z));
        events.push(decoded.discrete);
        probs.push(teacher ? eventsOf(kind, vae.decode(z, undefined, { teacher })).probabilities : decoded.probabilities);
      }
      const softChanges: number[] = [];
      const hardChanges: number[] = [];
      for (let k = 1; k < o.points; k++) {
        softChanges.push(l2(probs[k]!, probs[k - 1]!));
        hardChanges.push(hamming(events[k]!, events[k - 1]!));
      }
      soft.push(pathEvenness(softChanges));
      hard.push(pathEvenness(hardChanges));
    }
    return {
      pairs: o.pairs,
      points: o.points,
      soft: summarise(soft, (kind === 'drums' ? 'L2 change of the 32×9 hit probabilities' : 'L2 change of the 32×90 class probabilities') + (vae.autoregressive ? ", teacher-forced on the pair's first window" : '')),
      hard: summarise(hard, kind === 'drums' ? 'hit cells (of 32×9) that change' : 'steps (of 32) whose class changes'),
    };
  };
  const summarise = (paths: Array<ReturnType<typeof pathEvenness>>, unit: string): Record<string, unknown> => {
    // Paths along which nothing changes have no evenness to speak of; they are left out of the ratio and the profile.
    const moving = paths.filter((x) => x.mean > 0);
    return {
      unit,
      neighbour_change_mean: round(mean(paths.map((x) => x.mean))),
      neighbour_change_max: round(mean(paths.map((x) => x.max))),
      max_over_mean: moving.length > 0 ? round(mean(moving.map((x) => x.maxOverMean))) : null,
      // Where along the path the change happens: each neighbour change over its path's mean, averaged over the paths (all 1: even).
      profile: moving.length > 0 ? moving[0]!.relative.map((_, k) => round(mean(moving.map((x) => x.relative[k]!)))) : null,
      paths_with_change: moving.length,
    };
  };

  // Prior samples (z ~ N(0, I), deterministic decoding) against the data.
  const sampled: Array<Float32Array | Int16Array> = [];
  for (let s = 0; s < o.samples; s++) {
    const z = new Float32Array(Z).map(() => normal(random));
    sampled.push(eventsOf(kind, vae.decode(z)).grid);
  }
  const statistics =
    kind === 'drums'
      ? { data: drumStatistics(windows.map((w) => w.grid!), DRUM_CLASS_NAMES), prior_samples: drumStatistics(sampled as Float32Array[], DRUM_CLASS_NAMES) }
      : { data: melodyStatistics(windows.map((w) => w.tokens!)), prior_samples: melodyStatistics(sampled as Int16Array[]) };

  return {
    kind,
    flat: weights.config.flat,
    decoder: weights.config.decoder,
    windows: windows.length,
    reconstruction,
    interpolation: interpolationOf(means),
    ...(refined
      ? {
          refine: { steps: o.refineSteps, learning_rate: REFINE_DEFAULTS.learningRate, prior_weight: REFINE_DEFAULTS.priorWeight },
          reconstruction_refined: reconstructionRefined,
          interpolation_refined: interpolationOf(refined),
        }
      : {}),
    statistics,
    continuation,
  };
}

/** Decoded events of one output: probabilities (flattened), discrete events (hits or classes), and a grid/token form for statistics. */
export function eventsOf(kind: 'drums' | 'melody', out: Float32Array): { probabilities: Float32Array; discrete: Int16Array; grid: Float32Array | Int16Array } {
  if (kind === 'drums') {
    const steps = out.length / DRUM_FEATURES;
    const probabilities = new Float32Array(steps * DRUM_CLASSES);
    const discrete = new Int16Array(steps * DRUM_CLASSES);
    const grid = new Float32Array(out.length);
    for (let t = 0; t < steps; t++) {
      for (let k = 0; k < DRUM_CLASSES; k++) {
        const p = sigmoid(out[t * DRUM_FEATURES + k]!);
        probabilities[t * DRUM_CLASSES + k] = p;
        discrete[t * DRUM_CLASSES + k] = p >= 0.5 ? 1 : 0;
        grid[t * DRUM_FEATURES + k] = p >= 0.5 ? 1 : 0;
      }
    }
    return { probabilities, discrete, grid };
  }
  const steps = out.length / MELODY_FEATURES;
  const probabilities = new Float32Array(steps * MELODY_CLASSES);
  const discrete = new Int16Array(steps);
  for (let t = 0; t < steps; t++) {
    const row = t * MELODY_FEATURES;
    discrete[t] = melodyClassAt(out, row);
    const best = argmax(out, row, MELODY_CLASSES);
    let sum = 0;
    for (let c = 0; c < MELODY_CLASSES; c++) sum += probabilities[t * MELODY_CLASSES + c] = Math.exp(out[row + c]! - out[row + best]!);
    for (let c = 0; c < MELODY_CLASSES; c++) probabilities[t * MELODY_CLASSES + c]! /= sum;
  }
  return { probabilities, discrete, grid: discrete };
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
}
