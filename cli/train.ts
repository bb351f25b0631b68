/**
 * `deep-improv train --kind drums|melody --data <dir|file> --out <dir> [--no-flat] …`
 * Trains a recurrent VAE (flat-manifold regularised unless `--no-flat`) on
 * 2-bar windows, with a progress bar, checkpoints it resumes from, and a
 * deterministic seed; writes `model.json` + `weights.bin` (+ `training.json`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { defaultConfig, parseDecoderKind, type ModelKind } from '../models/core/config.ts';
import { numberOption, parseArgs, requireString } from '../models/training/args.ts';
import { parseFlatCriterion } from '../models/training/flat.ts';
import { useWasmBackend } from '../models/training/backend.ts';
import { loadWindows } from '../models/training/data.ts';
import { defaultCheckpointDir, writeAtomic, writeModelDir } from '../models/training/files.ts';
import { defaultTrainOptions, parseFlatContext, parseFlatEnds, Trainer } from '../models/training/trainer.ts';

const OPTIONS = ['kind', 'data', 'out', 'no-flat', 'steps', 'batch', 'seed', 'lr', 'beta', 'free-bits', 'flat-weight', 'input-dropout', 'flat-path', 'flat-points', 'flat-refine', 'flat-chords', 'flat-ends', 'flat-criterion', 'flat-sharpness', 'flat-warmup', 'flat-context', 'flat-batch', 'latent', 'enc-units', 'dec-units', 'decoder', 'split', 'checkpoint', 'checkpoint-every', 'max-minutes', 'stop-step', 'fresh', 'quiet'];
const BARE = ['no-flat', 'fresh', 'quiet'];

const HELP = `usage: deep-improv train --kind drums|melody --data <dir|file> --out <dir> [options]
  --data         folder of .mid/.midi (recursive; a Groove-style info.csv selects --split), one .mid, or the JSB JSON
  --no-flat      train the plain VAE (no flat-manifold regulariser)
  --steps N      optimisation steps (default 1500)     --batch N      windows per step (default 64)
  --seed N       random seed (default 1)               --lr X         Adam learning rate (default 0.002)
  --beta X       KL weight (default 0.2)               --free-bits X  KL nats not penalised (default 32)
  --flat-weight X  flat regulariser weight (default 5)
  --flat-path P  share of the flat regulariser's directions taken along the interpolation being flattened instead of at random (default 0)
  --flat-points K  points per interpolation of those path directions; K > 1 also evens the speed along each interpolation (default 1)
  --flat-refine N  refine the flat regulariser's pair ends by N latent-refinement steps (as the plugin's encode) before mixing (default 0: posterior means)
  --flat-chords N  even the N changes between N + 1 evenly spaced points along each interpolation (10: the evaluation's grid) instead of the speed at --flat-points (default 0: off)
  --flat-ends mean|sample  the flat regulariser's pair ends: posterior means, or the step's posterior samples, which reach where refined latents sit (default mean)
  --flat-criterion cv2|peak  how the flat term scores uneven steps: their squared coefficient of variation, or a smooth max/mean − 1 of the changes (the evaluation's evenness; default cv2)
  --flat-sharpness T  softmax sharpness of --flat-criterion peak; larger is closer to the hard max (default 10)
  --flat-warmup P  share of the run over which the flat weight ramps up from 0 (default 0: full weight from the start)
  --flat-context dropped|clean  autoregressive decoder: the flat rows read the pair's first window with the step's word dropout (as the reconstruction) or as it is (as the evaluation and the plugin; default dropped)
  --flat-batch N  mixup latents of the flat regulariser per step, at most --batch − 1; the chord form decodes 2N rows as ⌊2N / (chords + 1)⌋ interpolations (default 32)
  --input-dropout P  autoregressive decoder: chance a step's teacher-forced input is blanked (word dropout; default 0)
  --latent N --enc-units N --dec-units N   sizes (default 32, 128, 128)
  --decoder autoregressive|parallel  whether each decoder step reads the previous step's events (default autoregressive)
  --split NAME   data split to train on (default train)
  --checkpoint DIR  checkpoint folder (default models/checkpoints/<out name>-<hash of the out path>); resumes from it
                 when it belongs to this run (same data and options; a checkpoint of another run is refused)
  --fresh        start over, replacing the checkpoint
  --checkpoint-every N  steps between checkpoints (default 100)
  --max-minutes X  stop early (saving everything) after this much wall time
  --stop-step N  stop at step N (the schedules still follow --steps): to match another run, or to export a checkpoint already at N`;

/** Runs the command; resolves to the exit code. */
export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    console.log(HELP);
    return 0;
  }
  const args = parseArgs(argv, OPTIONS, BARE);
  const kind = requireString(args, 'kind', 'drums or melody') as ModelKind;
  if (kind !== 'drums' && kind !== 'melody') throw new Error(`--kind must be 'drums' or 'melody', got '${kind}'`);
  const dataPath = requireString(args, 'data', 'a folder of MIDI files, a .mid file or the JSB JSON');
  const outDir = resolve(requireString(args, 'out', 'the folder to write the model to'));
  const flat = !args['no-flat'];
  // Defaults come from defaultTrainOptions and defaultConfig, the one place that holds them.
  const trainDefaults = defaultTrainOptions();
  const sizeDefaults = defaultConfig(kind);
  const batchSize = numberOption(args, 'batch', trainDefaults.batchSize, 2, 4096, true);
  const options = defaultTrainOptions({
    steps: numberOption(args, 'steps', trainDefaults.steps, 1, 1e7, true),
    batchSize,
    seed: numberOption(args, 'seed', trainDefaults.seed, 0, 2 ** 32 - 1, true),
    learningRate: numberOption(args, 'lr', trainDefaults.learningRate, 0, 1),
    beta: numberOption(args, 'beta', trainDefaults.beta, 0, 100),
    freeBitsNats: numberOption(args, 'free-bits', trainDefaults.freeBitsNats, 0, 1e4),
    flatWeight: flat ? numberOption(args, 'flat-weight', trainDefaults.flatWeight, 0, 1e6) : 0,
    inputDropout: numberOption(args, 'input-dropout', trainDefaults.inputDropout, 0, 1),
    flatPathShare: numberOption(args, 'flat-path', trainDefaults.flatPathShare, 0, 1),
    flatPathPoints: numberOption(args, 'flat-points', trainDefaults.flatPathPoints, 1, 64, true),
    flatRefineSteps: numberOption(args, 'flat-refine', trainDefaults.flatRefineSteps, 0, 1000, true),
    flatChords: numberOption(args, 'flat-chords', trainDefaults.flatChords, 0, 63, true),
    // A given flat batch must fit the batch (each mixup latent needs a window after it); the default is capped by the trainer.
    flatBatch: numberOption(args, 'flat-batch', trainDefaults.flatBatch, 1, batchSize - 1, true),
    flatEnds: args['flat-ends'] === undefined ? trainDefaults.flatEnds : parseFlatEnds(args['flat-ends']),
    flatCriterion: args['flat-criterion'] === undefined ? trainDefaults.flatCriterion : parseFlatCriterion(args['flat-criterion']),
    flatSharpness: numberOption(args, 'flat-sharpness', trainDefaults.flatSharpness, 0.1, 1000),
    flatWarmup: numberOption(args, 'flat-warmup', trainDefaults.flatWarmup, 0, 1),
    flatContext: args['flat-context'] === undefined ? trainDefaults.flatContext : parseFlatContext(args['flat-context']),
  });
  const config = defaultConfig(kind, {
    flat,
    decoder: args.decoder === undefined ? sizeDefaults.decoder : parseDecoderKind(args.decoder, '--decoder'),
    latentSize: numberOption(args, 'latent', sizeDefaults.latentSize, 1, 1024, true),
    encoderUnits: numberOption(args, 'enc-units', sizeDefaults.encoderUnits, 1, 4096, true),
    decoderUnits: numberOption(args, 'dec-units', sizeDefaults.decoderUnits, 1, 4096, true),
  });
  const { decoder } = config;
  const checkpointDir = resolve(typeof args.checkpoint === 'string' ? args.checkpoint : defaultCheckpointDir(outDir));
  const checkpointEvery = numberOption(args, 'checkpoint-every', 100, 1, 1e7, true);
  const maxMinutes = numberOption(args, 'max-minutes', Infinity, 0);
  const stopStep = numberOption(args, 'stop-step', Infinity, 1, 1e7, true);
  const quiet = Boolean(args.quiet);
  const log = (s: string): void => {
    if (!quiet) console.error(s);
  };

  const backend = await useWasmBackend();
  const split = typeof args.split === 'string' ? args.split : 'train';
  const data = loadWindows(kind, dataPath, { split });
  log(`train: ${data.windows.length} windows of 2 bars from ${data.source}; backend ${backend}; ${flat ? 'flat' : 'plain'} VAE, ${decoder} decoder`);
  const trainer = new Trainer(config, options, data);
  try {
    const ckptJson = join(checkpointDir, 'checkpoint.json');
    if (!args.fresh && existsSync(ckptJson)) {
      try {
        await trainer.restore(JSON.parse(readFileSync(ckptJson, 'utf8')), new Uint8Array(readFileSync(join(checkpointDir, 'checkpoint.bin'))));
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        throw new Error(`cannot resume from ${checkpointDir}: ${why}; pass --fresh to start over (replacing that checkpoint) or --checkpoint <dir> to use another folder`);
      }
      log(`train: resumed from ${checkpointDir} at step ${trainer.state.step}`);
    }
    const save = async (): Promise<void> => {
      const { json, bin } = await trainer.checkpoint();
      writeAtomic(join(checkpointDir, 'checkpoint.bin'), bin);
      writeAtomic(ckptJson, JSON.stringify(json));
    };

    const bar = new cliProgress.SingleBar(
      {
        format: 'train {bar} {value}/{total} steps | loss {loss} (rec {rec}, kl {kl}, flat {flat}) | {sps} s/step | ETA {eta_formatted}',
        noTTYOutput: true,
        notTTYSchedule: 15000,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    if (!quiet) bar.start(options.steps, trainer.state.step, { loss: '-', rec: '-', kl: '-', flat: '-', sps: '-' });
    const started = Date.now();
    const startStep = trainer.state.step;
    // --stop-step bounds the loop as --steps does, so a checkpoint already there is exported as it stands.
    const lastStep = Math.min(options.steps, stopStep);
    while (trainer.state.step < lastStep) {
      const l = trainer.step();
      const s = trainer.state.step;
      // A step is synchronous; yielding lets the progress bar's timer (and Ctrl-C) run.
      await new Promise((resolve) => setImmediate(resolve));
      if (!quiet) {
        bar.update(s, { loss: l.total.toFixed(2), rec: l.reconstruction.toFixed(2), kl: l.kl.toFixed(1), flat: l.flat.toFixed(3), sps: ((Date.now() - started) / 1000 / (s - startStep)).toFixed(2) });
      }
      if (s % checkpointEvery === 0) await save();
      if ((Date.now() - started) / 60000 > maxMinutes) break;
    }
    const stoppedEarly = trainer.state.step < options.steps;
    if (!quiet) bar.stop();
    await save();
    const { pairs } = trainer.fitTransition();
    const seconds = (Date.now() - started) / 1000;
    const last = trainer.state.history.at(-1);
    const training = {
      data: data.source,
      windows: data.windows.length,
      split,
      steps: trainer.state.step,
      requestedSteps: options.steps,
      stoppedEarly,
      options,
      transitionPairs: pairs,
      finalLosses: last,
      secondsThisRun: Math.round(seconds),
      backend,
    };
    const bytes = writeModelDir(outDir, trainer.weights(training));
    writeAtomic(join(outDir, 'training.json'), JSON.stringify({ ...training, history: trainer.state.history }, null, 1) + '\n');
    log(`train: wrote ${outDir} (${bytes} bytes of weights) after ${trainer.state.step} steps${stoppedEarly ? ' (stopped early by --max-minutes or --stop-step)' : ''}`);
    return 0;
  } finally {
    trainer.dispose();
  }
}
