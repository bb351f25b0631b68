/**
 * Scores the anytime schedule (models/runtime/warm-latent.ts) against the
 * encoder's posterior mean and the 40-step refinement on held-out 2-bar
 * windows: each window is played as a live phrase would be — an update at
 * each point the processor sends at the window's tempo
 * (protocol/update-points.ts) — and then finished; the latent is
 * decoded and compared with the window (drums: hit F1; melody: onset F1 and
 * token accuracy).
 */
import { inputSize } from '../core/config.ts';
import type { ModelWeights } from '../core/weights.ts';
import { FastVae } from '../fast/vae.ts';
import { LatentRefiner, REFINE_DEFAULTS } from '../fast/refine.ts';
import { DRUM_CLASS_NAMES } from '../representation/drums.ts';
import { writeMelodyFeatures } from '../representation/features.ts';
import type { Window } from '../training/data.ts';
import { ANYTIME_DEFAULTS, STEPS_PER_BEAT, WarmLatent, type AnytimeSchedule, type LatentSearch } from '../runtime/warm-latent.ts';
import { DrumReconstruction, MelodyReconstruction } from './metrics.ts';
import { windowUpdatePoints } from '../../protocol/update-points.ts';

/** Options of {@link evaluateAnytime}. */
export interface AnytimeEvalOptions {
  /** The schedule to score (default `ANYTIME_DEFAULTS`). */
  schedule: Partial<AnytimeSchedule>;
  /** Steps of the refinement it is compared with (default `REFINE_DEFAULTS.steps`, 40). */
  refineSteps: number;
}

/** The search calls over a model's fast path, as the runtime makes them. */
export function fastSearch(weights: ModelWeights): LatentSearch {
  const vae = new FastVae(weights);
  const refiner = new LatentRefiner(weights);
  const { kind, steps, latentSize } = weights.config;
  return {
    kind, steps, latentSize, posteriorMean: (f) => vae.encode(f).mu, refine: (f, z0, o) => refiner.refine(f, z0, o), objective: (f, z, o) => refiner.objectiveAt(f, z, o),
  };
}

/**
 * Reconstruction of `windows` from three latents each: the posterior mean,
 * the `refineSteps` refinement and the anytime schedule.
 * @returns per latent the reconstruction summary (models/eval/metrics.ts), and the schedule and gradient steps spent per window.
 */
export function evaluateAnytime(weights: ModelWeights, windows: readonly Window[], options: Partial<AnytimeEvalOptions> = {}): Record<string, unknown> {
  const schedule = { ...ANYTIME_DEFAULTS, ...options.schedule };
  const refineSteps = options.refineSteps ?? REFINE_DEFAULTS.steps;
  const kind = weights.config.kind;
  const vae = new FastVae(weights);
  const search = fastSearch(weights);
  const warm = new WarmLatent(search, schedule);
  const F = inputSize(kind);
  const lengthBeats = weights.config.steps / STEPS_PER_BEAT;
  const scorers = ['posterior_mean', `refine_${refineSteps}`, 'anytime'].map((name) => ({ name, drums: new DrumReconstruction(), melody: new MelodyReconstruction() }));
  for (const w of windows) {
    let x = w.grid;
    if (!x) {
      x = new Float32Array(w.tokens!.length * F);
      writeMelodyFeatures(w.tokens!, w.velocity!, x);
    }
    const mu = search.posteriorMean(x);
    const refined = search.refine(x, mu, { steps: refineSteps });
    for (const point of windowUpdatePoints(weights.config.steps, w.tempoBpm)) warm.update(x, point / STEPS_PER_BEAT);
    const anytime = warm.finish(x, lengthBeats);
    [mu, refined, anytime].forEach((z, i) => {
      const out = vae.decode(z);
      if (kind === 'drums') scorers[i]!.drums.add(w.grid!, out, w.tempoBpm);
      else scorers[i]!.melody.add(w.tokens!, out);
    });
  }
  const summary = (s: (typeof scorers)[number]): Record<string, unknown> => {
    const r = kind === 'drums' ? s.drums.summary(DRUM_CLASS_NAMES) : s.melody.summary();
    return kind === 'drums' ? { hit_f1: r.hit_f1, hit_precision: r.hit_precision, hit_recall: r.hit_recall } : { onset_f1: r.onset_f1, token_accuracy: r.token_accuracy };
  };
  return {
    windows: windows.length,
    schedule,
    gradient_steps: { live_updates_at_120_bpm: windowUpdatePoints(weights.config.steps, 120).length * schedule.updateSteps, at_request: schedule.finalSteps, refine: refineSteps },
    ...Object.fromEntries(scorers.map((s) => [s.name, summary(s)])),
  };
}
