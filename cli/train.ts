/**
 * `deep-improv train --kind drums|melody --data <dir|file> --out <dir> [--no-flat] …`
 * Trains a recurrent VAE (flat-manifold regularised unless `--no-flat`) on
 * 2-bar windows, with a progress bar, checkpoints it resumes from, and a
 * deterministic seed; writes `model.json` + `weights.bin` (+ `training.json`).
 */
import { join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { useWasmBackend } from '../models/training/backend.ts';
import { readCheckpoint, writeCheckpoint } from '../models/training/checkpoint.ts';
import { parseTrainCommand, trainHelp } from '../models/training/command-line.ts';
import { loadWindows } from '../models/training/data.ts';
import { defaultCheckpointDir, writeAtomic, writeModelDir } from '../models/training/files.ts';
import { Trainer } from '../models/training/trainer.ts';

/** Runs the command; resolves to the exit code. */
export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    console.log(trainHelp());
    return 0;
  }
  const { kind, dataPath, split, config, options, checkpointEvery, maxMinutes, stopStep, fresh, quiet, ...where } = parseTrainCommand(argv);
  const outDir = resolve(where.outDir);
  const checkpointDir = resolve(where.checkpointDir ?? defaultCheckpointDir(outDir));
  const { flat, decoder } = config;
  const log = (s: string): void => {
    if (!quiet) console.error(s);
  };

  const backend = await useWasmBackend();
  const data = loadWindows(kind, dataPath, { split });
  log(`train: ${data.windows.length} windows of 2 bars from ${data.source}; backend ${backend}; ${flat ? 'flat' : 'plain'} VAE, ${decoder} decoder`);
  const trainer = new Trainer(config, options, data);
  try {
    const saved = fresh ? null : readCheckpoint(checkpointDir);
    if (saved) {
      try {
        await trainer.restore(saved.json, saved.bin);
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        throw new Error(`cannot resume from ${checkpointDir}: ${why}; pass --fresh to start over (replacing that checkpoint) or --checkpoint <dir> to use another folder`);
      }
      log(`train: resumed from ${checkpointDir} at step ${trainer.state.step}`);
    }
    const save = async (): Promise<void> => writeCheckpoint(checkpointDir, await trainer.checkpoint());

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
