/**
 * `deep-improv eval --model <name|dir>[,<name|dir>…] --data <dir|file> [--split S] [--refine-steps N] [--json]`
 * (`--musical`: cli/eval-musical.ts; `--anytime`: cli/eval-anytime.ts.)
 * Evaluates one or more models on held-out 2-bar windows (non-overlapping) and
 * prints a table or, with --json, one JSON object (several models side by side).
 * An empty name in `--model` (`,`, `drums,,melody`) is a usage error (exit 2).
 */
import { numberOption, parseArgs, requireString } from '../models/training/args.ts';
import { loadWindows } from '../models/training/data.ts';
import { readModelDir } from '../models/training/files.ts';
import { evaluateModel } from '../models/eval/evaluate.ts';
import { REFINE_DEFAULTS } from '../models/fast/refine.ts';
import { WINDOW_STEPS } from '../models/representation/grid.ts';
import { UsageError } from './usage-error.ts';

const OPTIONS = ['model', 'data', 'split', 'json', 'pairs', 'samples', 'seed', 'refine-steps', 'musical', 'limit', 'mode', 'reply', 'anytime', 'update-steps', 'final-steps'];

/** Runs the command; resolves to the exit code. */
export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, OPTIONS, ['json', 'musical', 'anytime']);
  const models = requireString(args, 'model', 'a model name or folder; several separated by commas');
  const names = models.split(',').map((n) => n.trim());
  if (names.some((n) => n === '')) throw new UsageError(`--model '${models}' holds an empty name; expected model names or folders separated by commas, e.g. drums,drums-plain`);
  const dataPath = requireString(args, 'data', 'a folder of MIDI files, a .mid file or the JSB JSON');
  const split = typeof args.split === 'string' ? args.split : 'validation';
  if (args.musical) return (await import('./eval-musical.ts')).runMusical(args, names, dataPath, split);
  if (args.anytime) return (await import('./eval-anytime.ts')).runAnytime(args, names, dataPath, split);
  const options = {
    pairs: numberOption(args, 'pairs', 100, 1, 1e5, true),
    samples: numberOption(args, 'samples', 500, 1, 1e6, true),
    seed: numberOption(args, 'seed', 1, 0, 2 ** 32 - 1, true),
    refineSteps: numberOption(args, 'refine-steps', REFINE_DEFAULTS.steps, 0, 10000, true),
  };
  const report: Record<string, unknown> = { data: dataPath, split, models: {} as Record<string, unknown> };
  const cache = new Map<string, ReturnType<typeof loadWindows>>();
  for (const name of names) {
    const weights = readModelDir(name);
    const kind = weights.config.kind;
    if (!cache.has(kind)) cache.set(kind, loadWindows(kind, dataPath, { split, hopSteps: WINDOW_STEPS }));
    const data = cache.get(kind)!;
    (report.models as Record<string, unknown>)[name] = { ...evaluateModel(weights, data.windows, options), data: data.source, trained: weights.training ?? null };
  }
  if (args.json) console.log(JSON.stringify(report));
  else printTable(report.models as Record<string, Record<string, unknown>>);
  return 0;
}

function printTable(models: Record<string, Record<string, unknown>>): void {
  const rows: Array<[string, ...string[]]> = [];
  const names = Object.keys(models);
  const get = (m: Record<string, unknown>, path: string): string => {
    let v: unknown = m;
    for (const key of path.split('.')) v = (v as Record<string, unknown> | undefined)?.[key];
    return v === undefined ? '-' : typeof v === 'number' ? String(v) : JSON.stringify(v);
  };
  const paths = [
    'windows',
    'reconstruction.hit_f1',
    'reconstruction.velocity_mae_midi',
    'reconstruction.timing_mae_ms',
    'reconstruction.onset_f1',
    'reconstruction.token_accuracy',
    'reconstruction_refined.hit_f1',
    'reconstruction_refined.onset_f1',
    'reconstruction_refined.token_accuracy',
    'interpolation.soft.neighbour_change_mean',
    'interpolation.soft.neighbour_change_max',
    'interpolation.soft.max_over_mean',
    'interpolation.hard.neighbour_change_mean',
    'interpolation.hard.neighbour_change_max',
    'interpolation.hard.max_over_mean',
    'interpolation_refined.soft.max_over_mean',
    'interpolation_refined.hard.max_over_mean',
  ];
  for (const path of paths) rows.push([path, ...names.map((n) => get(models[n]!, path))]);
  const header: [string, ...string[]] = ['metric', ...names];
  const widths = header.map((_, c) => Math.max(...[header, ...rows].map((r) => r[c]!.length)));
  for (const r of [header, ...rows]) console.log(r.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
}
