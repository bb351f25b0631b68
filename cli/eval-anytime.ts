/**
 * `deep-improv eval --anytime --model <name|dir>[,…] --data <dir|file> [--split S] [--limit N] [--update-steps N] [--final-steps N] [--refine-steps N] [--json]`
 * Scores the anytime encoding (models/runtime/warm-latent.ts: one update per
 * whole beat played, then the final steps) against the posterior mean and the
 * `--refine-steps` refinement (default 40) on up to `--limit` held-out 2-bar
 * windows (default 300, the first ones of the split): reconstruction hit F1
 * for drums, onset F1 and token accuracy for melody.
 */
import { evaluateAnytime } from '../models/eval/anytime.ts';
import { REFINE_DEFAULTS } from '../models/fast/refine.ts';
import { WINDOW_STEPS } from '../models/representation/grid.ts';
import { ANYTIME_DEFAULTS } from '../models/runtime/warm-latent.ts';
import { numberOption, type Args } from '../models/training/args.ts';
import { loadWindows } from '../models/training/data.ts';
import { readModelDir } from '../models/training/files.ts';

/** Runs the anytime evaluation; resolves to the exit code. */
export async function runAnytime(args: Args, names: readonly string[], dataPath: string, split: string): Promise<number> {
  const limit = numberOption(args, 'limit', 300, 1, 1e6, true);
  const refineSteps = numberOption(args, 'refine-steps', REFINE_DEFAULTS.steps, 0, 10000, true);
  const schedule = {
    updateSteps: numberOption(args, 'update-steps', ANYTIME_DEFAULTS.updateSteps, 0, 10000, true),
    finalSteps: numberOption(args, 'final-steps', ANYTIME_DEFAULTS.finalSteps, 0, 10000, true),
    finalLearningRate: ANYTIME_DEFAULTS.finalLearningRate,
    fallbackSteps: ANYTIME_DEFAULTS.fallbackSteps,
  };
  const report: Record<string, unknown> = {};
  for (const name of names) {
    const weights = readModelDir(name);
    const data = loadWindows(weights.config.kind, dataPath, { split, hopSteps: WINDOW_STEPS });
    report[name] = { ...evaluateAnytime(weights, data.windows.slice(0, limit), { schedule, refineSteps }), data: data.source };
  }
  if (args.json) console.log(JSON.stringify({ data: dataPath, split, limit, anytime: report }));
  else {
    for (const [name, r] of Object.entries(report)) {
      console.log(`${name}:`);
      for (const [key, value] of Object.entries(r as Record<string, unknown>)) console.log(`  ${key.padEnd(16)} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
    }
  }
  return 0;
}
