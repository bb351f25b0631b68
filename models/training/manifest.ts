/**
 * Builds models/weights/manifest.json from the model folders and their
 * evaluation reports (`eval.json` beside each model, as written by
 * `deep-improv eval --json`). Run: `node --import tsx models/training/manifest.ts`.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SHIPPED_MODELS, WEIGHTS_DIR, writeAtomic } from './files.ts';
import { validateConfig, type DecoderKind, type ModelConfig } from '../core/config.ts';
import { trainCommandLine } from './command-line.ts';
import { defaultTrainOptions, type TrainOptions } from './options.ts';

const DATA = {
  drums: {
    name: 'Groove MIDI Dataset (train split; validated on the validation split)',
    license: 'CC BY 4.0',
    credit: 'Gillick, Roberts, Engel, Eck, Bamman, "Learning to Groove with Inverse Sequence Transformations", ICML 2019',
    url: 'https://magenta.tensorflow.org/datasets/groove',
  },
  melody: {
    name: 'JSB Chorales, 16th-note "separated" form (train split, all four voices, transposed ±6 semitones; validated on valid)',
    license: 'public domain',
    credit: 'J. S. Bach chorales as prepared by Boulanger-Lewandowski, Bengio, Vincent (ICML 2012)',
    url: 'https://github.com/czhuang/JSB-Chorales-dataset',
  },
} as const;

/** One manifest entry. */
export interface ManifestEntry {
  name: string;
  kind: 'drums' | 'melody';
  flat: boolean;
  decoder: DecoderKind;
  files: string[];
  size_bytes: number;
  training_data: (typeof DATA)[keyof typeof DATA];
  training: Record<string, unknown>;
  metrics: Record<string, unknown> | null;
}

/** Reads every shipped model folder present and returns the manifest. */
export function buildManifest(dir: string = WEIGHTS_DIR): { models: ManifestEntry[] } {
  const models: ManifestEntry[] = [];
  for (const name of SHIPPED_MODELS) {
    const folder = join(dir, name);
    if (!existsSync(join(folder, 'model.json'))) continue;
    const manifest = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8')) as { config: unknown; training?: Record<string, unknown> };
    const config = validateConfig(manifest.config);
    const files = ['model.json', 'weights.bin'];
    const size = files.reduce((n, f) => n + statSync(join(folder, f)).size, 0);
    let metrics: Record<string, unknown> | null = null;
    if (existsSync(join(folder, 'eval.json'))) {
      const report = JSON.parse(readFileSync(join(folder, 'eval.json'), 'utf8')) as { models: Record<string, Record<string, unknown>> };
      const m = report.models[name] ?? Object.values(report.models)[0]!;
      metrics = { reconstruction: m.reconstruction, interpolation: m.interpolation, refine: m.refine, reconstruction_refined: m.reconstruction_refined, interpolation_refined: m.interpolation_refined, statistics: m.statistics, windows: m.windows, data: m.data };
    }
    const t = manifest.training ?? {};
    models.push({
      name,
      kind: config.kind,
      flat: config.flat,
      decoder: config.decoder,
      files,
      size_bytes: size,
      training_data: DATA[config.kind],
      training: { steps: t.steps, windows: t.windows, options: t.options, final_losses: t.finalLosses, command: commandFor(name, config, t.options as Partial<TrainOptions> | undefined, t.steps as number | undefined) },
      metrics,
    });
  }
  return { models };
}

/**
 * The `deep-improv train` command that reproduces a model: every option and
 * size that differs from its default, and `--stop-step` when the run stopped
 * before its requested steps (a `--max-minutes` limit depends on the machine;
 * the step does not).
 * @param stepsDone steps the run actually trained.
 */
function commandFor(name: string, config: ModelConfig, options: Partial<TrainOptions> = {}, stepsDone?: number): string {
  const data = config.kind === 'drums' ? '../shared/datasets/groove' : '../shared/datasets/jsb/Jsb16thSeparated.train-valid.json';
  const requested = options.steps ?? defaultTrainOptions().steps;
  return trainCommandLine(config, options, { data, out: `models/weights/${name}`, stopStep: stepsDone !== undefined && stepsDone < requested ? stepsDone : undefined });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const manifest = buildManifest();
  writeAtomic(join(WEIGHTS_DIR, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
  console.error(`manifest: ${manifest.models.length} models -> ${join(WEIGHTS_DIR, 'manifest.json')}`);
}
