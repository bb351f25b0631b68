/**
 * The `deep-improv train` command line, from one table ({@link TRAIN_FLAGS}):
 * `node:util` `parseArgs` reads it (through args.ts), the `--help` text is
 * generated from it, and the manifest writes each shipped model's command
 * with it, so a shipped command always parses back to its recipe.
 */
import { defaultConfig, parseDecoderKind, type ModelConfig, type ModelKind } from '../core/config.ts';
import { numberOption, parseArgs, parseChoice, requireString, type Args } from './args.ts';
import { defaultTrainOptions, FLAT_CONTEXTS, type TrainOptions } from './options.ts';

/** The model sizes a flag may set. */
type SizeKey = 'latentSize' | 'encoderUnits' | 'decoderUnits';

/** One option of the command. */
export interface TrainFlag {
  /** Name without `--`. */
  name: string;
  /** What the value is, in the help (`N`, `X`, `DIR`); absent for a bare flag. */
  value?: string;
  /** One line of help. */
  help: string;
  /** The {@link TrainOptions} field the value sets (its default is the field's). */
  option?: keyof TrainOptions;
  /** The model size the value sets (its default is defaultConfig's). */
  size?: SizeKey;
  /** Numeric range `[min, max, integer]`; `max` may depend on the options read before (the table's order). */
  range?: readonly [number, number | ((read: TrainOptions) => number), boolean];
  /** Accepted values of a choice. */
  choices?: readonly string[];
  /** The help's default, for flags whose default is neither an option's nor a size's. */
  defaultText?: string;
  /** Applies to the flat regulariser only (ignored, and left out of commands, with `--no-flat`). */
  flatOnly?: boolean;
}

/** Every option of `deep-improv train`, in the order the help and the manifest's commands list them. */
export const TRAIN_FLAGS: readonly TrainFlag[] = [
  { name: 'kind', value: 'drums|melody', help: 'the model kind', choices: ['drums', 'melody'] },
  { name: 'data', value: 'PATH', help: 'folder of .mid/.midi (recursive; a Groove-style info.csv selects --split), one .mid, or the JSB JSON' },
  { name: 'out', value: 'DIR', help: 'folder to write model.json, weights.bin and training.json to' },
  { name: 'steps', value: 'N', help: 'optimisation steps', option: 'steps', range: [1, 1e7, true] },
  { name: 'seed', value: 'N', help: 'random seed', option: 'seed', range: [0, 2 ** 32 - 1, true] },
  { name: 'batch', value: 'N', help: 'windows per step', option: 'batchSize', range: [2, 4096, true] },
  { name: 'lr', value: 'X', help: 'Adam learning rate at step 0 (decays to a tenth by the last step)', option: 'learningRate', range: [0, 1, false] },
  { name: 'beta', value: 'X', help: 'KL weight, reached over the first 30 % of steps', option: 'beta', range: [0, 100, false] },
  { name: 'free-bits', value: 'X', help: 'KL nats per window not penalised', option: 'freeBitsNats', range: [0, 1e4, false] },
  { name: 'flat-weight', value: 'X', help: 'weight of the flat regulariser', option: 'flatWeight', range: [0, 1e6, false], flatOnly: true },
  { name: 'flat-path', value: 'P', help: "share of the flat regulariser's directions along the pair's interpolation instead of at random", option: 'flatPathShare', range: [0, 1, false], flatOnly: true },
  { name: 'flat-chords', value: 'N', help: 'even the N changes between N + 1 evenly spaced points of each interpolation (10: the evaluation grid; 0: the ε finite difference)', option: 'flatChords', range: [0, 63, true], flatOnly: true },
  { name: 'flat-context', value: 'dropped|clean', help: "autoregressive decoder: the flat rows read the pair's first window with the step's word dropout, or as it is", option: 'flatContext', choices: FLAT_CONTEXTS, flatOnly: true },
  { name: 'flat-batch', value: 'N', help: 'mixup latents of the flat regulariser per step, at most --batch − 1', option: 'flatBatch', range: [1, (read) => read.batchSize - 1, true], flatOnly: true },
  { name: 'no-flat', help: 'train the plain VAE (no flat regulariser)' },
  { name: 'input-dropout', value: 'P', help: "autoregressive decoder: chance a step's teacher-forced input is blanked (word dropout)", option: 'inputDropout', range: [0, 1, false] },
  { name: 'latent', value: 'N', help: 'latent dimensions', size: 'latentSize', range: [1, 1024, true] },
  { name: 'enc-units', value: 'N', help: 'encoder GRU units', size: 'encoderUnits', range: [1, 4096, true] },
  { name: 'dec-units', value: 'N', help: 'decoder GRU units', size: 'decoderUnits', range: [1, 4096, true] },
  { name: 'decoder', value: 'autoregressive|parallel', help: "whether each decoder step reads the previous step's events", choices: ['autoregressive', 'parallel'], defaultText: 'autoregressive' },
  { name: 'split', value: 'NAME', help: 'data split to train on', defaultText: 'train' },
  { name: 'checkpoint', value: 'DIR', help: 'checkpoint folder, resumed when it belongs to this run (same data and options)', defaultText: 'models/checkpoints/<out name>-<hash of the out path>' },
  { name: 'checkpoint-every', value: 'N', help: 'steps between checkpoints', range: [1, 1e7, true], defaultText: '100' },
  { name: 'max-minutes', value: 'X', help: 'stop early (saving everything) after this much wall time', range: [0, Infinity, false], defaultText: 'none' },
  { name: 'stop-step', value: 'N', help: 'stop at step N (the schedules still follow --steps): to match another run, or to export a checkpoint already at N', range: [1, 1e7, true], defaultText: 'none' },
  { name: 'fresh', help: 'start over, replacing the checkpoint' },
  { name: 'quiet', help: 'no progress bar or messages' },
];

/** A parsed `deep-improv train` command line. */
export interface TrainCommand {
  kind: ModelKind;
  dataPath: string;
  outDir: string;
  split: string;
  config: ModelConfig;
  options: TrainOptions;
  /** `--checkpoint`, or undefined for the default folder (files.ts `defaultCheckpointDir`). */
  checkpointDir: string | undefined;
  checkpointEvery: number;
  /** Infinity when not given. */
  maxMinutes: number;
  /** Infinity when not given. */
  stopStep: number;
  fresh: boolean;
  quiet: boolean;
}

const bare = (flag: TrainFlag): boolean => flag.value === undefined;

/** A flag's numeric value or `fallback`. */
function numberOf(args: Args, flag: TrainFlag, fallback: number, read: TrainOptions): number {
  const [min, max, integer] = flag.range!;
  return numberOption(args, flag.name, fallback, min, typeof max === 'function' ? max(read) : max, integer);
}

/**
 * Parses the arguments after `train`.
 * @throws Error on an unknown option, a missing required one (`--kind`, `--data`, `--out`) or a bad value.
 */
export function parseTrainCommand(argv: readonly string[]): TrainCommand {
  const args = parseArgs(argv, TRAIN_FLAGS.map((f) => f.name), TRAIN_FLAGS.filter(bare).map((f) => f.name));
  const kind = parseChoice(requireString(args, 'kind', 'drums or melody'), ['drums', 'melody'] as const, '--kind');
  const flat = !args['no-flat'];
  const options = defaultTrainOptions();
  const sizes = defaultConfig(kind);
  const config: ModelConfig = { ...sizes, flat };
  const writable = options as unknown as Record<string, number | string>;
  const flag = (name: string): TrainFlag => TRAIN_FLAGS.find((f) => f.name === name)!;
  for (const f of TRAIN_FLAGS) {
    if (f.option) {
      if (f.choices) writable[f.option] = args[f.name] === undefined ? options[f.option] : parseChoice(args[f.name], f.choices, `--${f.name}`);
      else writable[f.option] = numberOf(args, f, options[f.option] as number, options);
    } else if (f.size) config[f.size] = numberOf(args, f, sizes[f.size], options);
  }
  if (!flat) options.flatWeight = 0;
  config.decoder = args.decoder === undefined ? sizes.decoder : parseDecoderKind(args.decoder, '--decoder');
  return {
    kind,
    dataPath: requireString(args, 'data', 'a folder of MIDI files, a .mid file or the JSB JSON'),
    outDir: requireString(args, 'out', 'the folder to write the model to'),
    split: typeof args.split === 'string' ? args.split : 'train',
    config,
    options,
    checkpointDir: typeof args.checkpoint === 'string' ? args.checkpoint : undefined,
    checkpointEvery: numberOf(args, flag('checkpoint-every'), 100, options),
    maxMinutes: numberOf(args, flag('max-minutes'), Infinity, options),
    stopStep: numberOf(args, flag('stop-step'), Infinity, options),
    fresh: Boolean(args.fresh),
    quiet: Boolean(args.quiet),
  };
}

/** The `--help` text, generated from {@link TRAIN_FLAGS} and the defaults. */
export function trainHelp(): string {
  const options = defaultTrainOptions();
  const sizes = defaultConfig('drums');
  const defaultOf = (f: TrainFlag): string | undefined => f.defaultText ?? (f.option ? String(options[f.option]) : f.size ? String(sizes[f.size]) : undefined);
  const lines = TRAIN_FLAGS.map((f) => {
    const head = `  --${f.name}${f.value ? ` ${f.value}` : ''}`;
    const d = defaultOf(f);
    return `${head.padEnd(34)} ${f.help}${d === undefined ? '' : ` (default ${d})`}`;
  });
  return ['usage: deep-improv train --kind drums|melody --data <dir|file> --out <dir> [options]', ...lines].join('\n');
}

/**
 * The command line that trains `config` with `options`: `--kind`, `--data`,
 * `--out`, `--steps`, `--seed`, then every option and size that differs from
 * its default in the table's order (the flat options only when `config.flat`,
 * `--no-flat` otherwise), and `--stop-step` when given.
 */
export function trainCommandLine(config: ModelConfig, options: Partial<TrainOptions>, where: { data: string; out: string; stopStep?: number }): string {
  const defaults = defaultTrainOptions();
  const sizes = defaultConfig(config.kind);
  const parts = [`deep-improv train --kind ${config.kind} --data ${where.data} --out ${where.out} --steps ${options.steps ?? defaults.steps} --seed ${options.seed ?? defaults.seed}`];
  for (const f of TRAIN_FLAGS) {
    if (f.name === 'no-flat' && !config.flat) parts.push('--no-flat');
    if (f.flatOnly && !config.flat) continue;
    if (f.option && f.option !== 'steps' && f.option !== 'seed' && options[f.option] !== undefined && options[f.option] !== defaults[f.option]) parts.push(`--${f.name} ${options[f.option]}`);
    if (f.size && config[f.size] !== sizes[f.size]) parts.push(`--${f.name} ${config[f.size]}`);
    if (f.name === 'decoder' && config.decoder !== sizes.decoder) parts.push(`--decoder ${config.decoder}`);
  }
  if (where.stopStep !== undefined) parts.push(`--stop-step ${where.stopStep}`);
  return parts.join(' ');
}
