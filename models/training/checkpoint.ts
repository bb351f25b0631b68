/**
 * Training checkpoints: a trainer's parameters, Adam slots and loop state,
 * with the identity of the run that wrote them (the data's fingerprint, the
 * model sizes and the options that shape the run's path), so a checkpoint is
 * only resumed by its own run. On disk a checkpoint is `checkpoint.json`
 * (this module's {@link CheckpointJson}) and `checkpoint.bin` (the tensors'
 * float32 values, one after another).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { validateConfig, type ModelConfig } from '../core/config.ts';
import type { WindowSet } from './data.ts';
import { writeAtomic } from './files.ts';
import type { TrainOptions } from './options.ts';
import type { Trainer, TrainerState } from './trainer.ts';

/**
 * What makes two runs the same run. `steps` is left out: a run may be
 * extended, or stopped at a step of a longer schedule (`--stop-step`).
 */
export interface RunIdentity {
  /** {@link WindowSet.fingerprint} of the training data. */
  data: string;
  config: ModelConfig;
  options: Omit<TrainOptions, 'steps'>;
}

/** One tensor of a checkpoint: a variable (`var`, by name) or an Adam slot (`opt`, by order). */
interface TensorEntry {
  name: string;
  shape: number[];
  /** Offset in `checkpoint.bin`, in floats. */
  offset: number;
  source: 'var' | 'opt';
}

/** The JSON half of a checkpoint. */
export interface CheckpointJson {
  config: ModelConfig;
  options: TrainOptions;
  /** Absent in checkpoints written without it, which are not resumed. */
  run?: RunIdentity;
  state: TrainerState;
  tensors: TensorEntry[];
}

/** A checkpoint in memory. */
export interface Checkpoint {
  json: CheckpointJson;
  bin: Uint8Array;
}

/** The identity of a run on `data` with `config` and `options`. */
export function runIdentity(data: WindowSet, config: ModelConfig, options: TrainOptions): RunIdentity {
  const { steps: _steps, ...rest } = options;
  return { data: data.fingerprint, config: { ...config }, options: rest };
}

/**
 * Checks that a checkpoint's saved identity is this run's.
 * @param saved the `run` field of the checkpoint (undefined in checkpoints written without one).
 * @throws Error listing what differs (data, sizes, options), or saying the checkpoint records no run.
 */
export function checkRunIdentity(saved: unknown, current: RunIdentity): void {
  if (!saved || typeof saved !== 'object') throw new Error('the checkpoint does not record which run it belongs to (data and options)');
  const s = saved as Partial<RunIdentity>;
  const differences: string[] = [];
  if (s.data !== current.data) differences.push(`the data differ (fingerprint ${String(s.data).slice(0, 12)}…, this run ${current.data.slice(0, 12)}…)`);
  const compare = (what: string, a: Record<string, unknown> | undefined, b: Record<string, unknown>): void => {
    for (const key of new Set([...Object.keys(a ?? {}), ...Object.keys(b)])) {
      const x = a?.[key];
      const y = b[key];
      if (JSON.stringify(x) !== JSON.stringify(y)) differences.push(`${what} ${key} is ${JSON.stringify(x) ?? 'unset'}, this run ${JSON.stringify(y) ?? 'unset'}`);
    }
  };
  compare('config', s.config as Record<string, unknown> | undefined, current.config as unknown as Record<string, unknown>);
  compare('option', s.options as Record<string, unknown> | undefined, current.options as unknown as Record<string, unknown>);
  if (differences.length > 0) throw new Error(`the checkpoint belongs to another run: ${differences.join('; ')}`);
}

/** A trainer's parameters, Adam slots, loop state and run identity. */
export async function saveCheckpoint(trainer: Trainer): Promise<Checkpoint> {
  const opt = await trainer.optimizer.getWeights();
  const tensors: TensorEntry[] = [];
  const chunks: Float32Array[] = [];
  let offset = 0;
  const add = (name: string, t: tf.Tensor, source: 'var' | 'opt'): void => {
    const data = t.dataSync() as Float32Array;
    tensors.push({ name, shape: t.shape, offset, source });
    chunks.push(data);
    offset += data.length;
  };
  for (const [name, v] of Object.entries(trainer.vars)) add(name, v, 'var');
  opt.forEach((w, i) => add(String(i), w.tensor, 'opt'));
  const bin = new Float32Array(offset);
  let o = 0;
  for (const c of chunks) {
    bin.set(c, o);
    o += c.length;
  }
  const { config, options, data } = trainer;
  return { json: { config, options, run: runIdentity(data, config, options), state: structuredClone(trainer.state), tensors }, bin: new Uint8Array(bin.buffer) };
}

/**
 * Restores a checkpoint into a trainer built for the same run.
 * @throws Error when the checkpoint was made for another model size, or by
 *   another run (see {@link checkRunIdentity}).
 */
export async function restoreCheckpoint(trainer: Trainer, json: CheckpointJson, bin: Uint8Array): Promise<void> {
  const saved = validateConfig(json.config);
  for (const key of ['kind', 'encoderUnits', 'decoderUnits', 'latentSize', 'decoder'] as const) {
    if (saved[key] !== trainer.config[key]) throw new Error(`checkpoint has ${key}=${saved[key]}, this run wants ${trainer.config[key]}: use another --checkpoint dir`);
  }
  checkRunIdentity(json.run, runIdentity(trainer.data, trainer.config, trainer.options));
  const floats = new Float32Array(bin.slice().buffer);
  const slots: Array<{ name: string; tensor: tf.Tensor }> = [];
  for (const t of json.tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    const values = floats.subarray(t.offset, t.offset + n);
    if (t.source === 'var') trainer.vars[t.name]!.assign(tf.tensor(values, t.shape));
    else slots.push({ name: t.name, tensor: tf.tensor(values, t.shape) });
  }
  // Adam's slots are matched by order (iterations first, then m and v per variable).
  if (slots.length > 0) await trainer.optimizer.setWeights(slots as Parameters<tf.AdamOptimizer['setWeights']>[0]);
  trainer.state = json.state;
  trainer.random.seedState = trainer.state.randomState;
}

/** Writes a checkpoint into `dir` (`checkpoint.bin`, then `checkpoint.json`, each atomically). */
export function writeCheckpoint(dir: string, checkpoint: Checkpoint): void {
  writeAtomic(join(dir, 'checkpoint.bin'), checkpoint.bin);
  writeAtomic(join(dir, 'checkpoint.json'), JSON.stringify(checkpoint.json));
}

/** The checkpoint in `dir`, or null when there is none. */
export function readCheckpoint(dir: string): Checkpoint | null {
  const jsonPath = join(dir, 'checkpoint.json');
  if (!existsSync(jsonPath)) return null;
  return { json: JSON.parse(readFileSync(jsonPath, 'utf8')) as CheckpointJson, bin: new Uint8Array(readFileSync(join(dir, 'checkpoint.bin'))) };
}
