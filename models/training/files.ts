/**
 * Reading and writing model folders and checkpoints on disk (Node only).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseWeights, serializeWeights, type ModelWeights } from '../core/weights.ts';

/** Names of the shipped models, resolved under models/weights/. */
export const SHIPPED_MODELS = ['drums', 'drums-plain', 'melody', 'melody-plain'] as const;

/** The models/weights folder, found from this module's location (not the working directory). */
export const WEIGHTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'weights');
/** The default checkpoints folder (git-ignored). */
export const CHECKPOINTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'checkpoints');

/**
 * The checkpoint folder of a run writing to `outDir` when `--checkpoint` is
 * not given: `models/checkpoints/<out name>-<8 hex digits of the out path's
 * SHA-256>`, so two output folders with the same name keep apart.
 */
export function defaultCheckpointDir(outDir: string): string {
  const out = resolve(outDir);
  return join(CHECKPOINTS_DIR, `${basename(out)}-${createHash('sha256').update(out).digest('hex').slice(0, 8)}`);
}

/** A model name (`drums`, `melody`, `drums-plain`, `melody-plain`) or a folder path, as a folder path. */
export function resolveModelDir(nameOrDir: string): string {
  if ((SHIPPED_MODELS as readonly string[]).includes(nameOrDir)) return join(WEIGHTS_DIR, nameOrDir);
  return resolve(nameOrDir);
}

/**
 * Reads `model.json` + `weights.bin` from a folder.
 * @throws Error naming the folder when files are missing or malformed.
 */
export function readModelDir(nameOrDir: string): ModelWeights {
  const dir = resolveModelDir(nameOrDir);
  const manifestPath = join(dir, 'model.json');
  if (!existsSync(manifestPath)) {
    throw new Error(`--model: expected a model name (drums, drums-plain, melody, melody-plain) or a folder with model.json and weights.bin, but '${manifestPath}' does not exist`);
  }
  try {
    return parseWeights(JSON.parse(readFileSync(manifestPath, 'utf8')), new Uint8Array(readFileSync(join(dir, 'weights.bin'))));
  } catch (error) {
    throw new Error(`${dir}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Writes `model.json` + `weights.bin` into a folder (created if needed). Returns the weights' size in bytes. */
export function writeModelDir(dir: string, weights: ModelWeights): number {
  mkdirSync(dir, { recursive: true });
  const { manifest, bin } = serializeWeights(weights);
  writeAtomic(join(dir, 'weights.bin'), bin);
  writeAtomic(join(dir, 'model.json'), JSON.stringify(manifest, null, 1) + '\n');
  return bin.byteLength;
}

/** Writes a file through a temporary name, so an interrupted run never leaves half a file. */
export function writeAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/**
 * The model weights inside a training checkpoint folder (for evaluating a run
 * while it trains; the `continue` transition is only fitted at the end, so it
 * is whatever the checkpoint holds).
 * @throws Error when the folder holds no checkpoint.
 */
export function weightsFromCheckpoint(dir: string): ModelWeights {
  const jsonPath = join(dir, 'checkpoint.json');
  if (!existsSync(jsonPath)) throw new Error(`expected a training checkpoint at '${jsonPath}'`);
  const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as { config: ModelWeights['config']; state: { step: number }; tensors: Array<{ name: string; shape: number[]; offset: number; source: string }> };
  const bytes = new Uint8Array(readFileSync(join(dir, 'checkpoint.bin')));
  const floats = new Float32Array(bytes.slice().buffer);
  const params: ModelWeights['params'] = {};
  for (const t of json.tensors) {
    if (t.source !== 'var') continue;
    const n = t.shape.reduce((a, b) => a * b, 1);
    params[t.name] = floats.slice(t.offset, t.offset + n);
  }
  return { config: json.config, params, training: { checkpointStep: json.state.step } };
}
