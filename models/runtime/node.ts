/**
 * Loading a model folder from disk in Node (the CLI and tests). Not part of
 * the browser bundle.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseWeights } from '../core/weights.ts';
import { createRuntime, type ModelRuntime, type RuntimeOptions } from './runtime.ts';

/**
 * Loads `model.json` + `weights.bin` from a folder.
 * @throws Error naming the folder when the files are missing or malformed.
 */
export async function loadModelFromDir(dir: string, options: RuntimeOptions = {}): Promise<ModelRuntime> {
  let manifest: unknown;
  let weights: Uint8Array;
  try {
    manifest = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    weights = new Uint8Array(await readFile(join(dir, 'weights.bin')));
  } catch (error) {
    throw new Error(`expected a model folder with model.json and weights.bin at '${dir}': ${error instanceof Error ? error.message : String(error)}`);
  }
  return createRuntime(parseWeights(manifest, weights), options);
}
