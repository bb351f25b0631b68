/**
 * The model runtime's entry: load a model from bytes, from a URL (fetch, in
 * the browser or a worker) or by shipped name relative to a base URL, and get
 * a {@link ModelRuntime}. Node callers with a folder use models/runtime/node.ts.
 */
import { parseWeights } from '../core/weights.ts';
import { createRuntime, type ModelRuntime, type RuntimeOptions } from './runtime.ts';

export type { EncodeOptions, GenerateOptions, Generated, ModelRuntime, RuntimeOptions } from './runtime.ts';
export { createRuntime } from './runtime.ts';
export type { ModelKind } from '../core/config.ts';

/**
 * Where a model comes from:
 * - `{ name, baseUrl }`: a shipped model (`drums`, `melody`, …) in `<baseUrl>/<name>/`;
 * - `{ url }`: a model folder URL (holding model.json and weights.bin);
 * - `{ manifest, weights }`: the parsed model.json and the bytes of weights.bin.
 */
export type ModelSource =
  | { name: string; baseUrl: string | URL }
  | { url: string | URL }
  | { manifest: unknown; weights: ArrayBuffer | Uint8Array };

/** Options of {@link loadModel}. */
export interface LoadOptions extends RuntimeOptions {
  /** The fetch to use (default globalThis.fetch). */
  fetch?: typeof fetch;
}

/**
 * Loads a model and returns its runtime.
 * @throws Error when a fetch fails (with the URL and status) or the files are not a model.
 */
export async function loadModel(source: ModelSource, options: LoadOptions = {}): Promise<ModelRuntime> {
  if ('manifest' in source) return createRuntime(parseWeights(source.manifest, source.weights), options);
  const folder = 'name' in source ? new URL(`${encodeURIComponent(source.name)}/`, withSlash(source.baseUrl)) : new URL(withSlash(source.url));
  const doFetch = options.fetch ?? globalThis.fetch;
  const get = async (file: string): Promise<Response> => {
    const url = new URL(file, folder);
    const response = await doFetch(url.href);
    if (!response.ok) throw new Error(`loading model: ${url.href} answered ${response.status} ${response.statusText}`);
    return response;
  };
  const [manifest, weights] = await Promise.all([get('model.json').then((r) => r.json()), get('weights.bin').then((r) => r.arrayBuffer())]);
  return createRuntime(parseWeights(manifest, weights), options);
}

function withSlash(url: string | URL): string {
  const s = String(url);
  return s.endsWith('/') ? s : `${s}/`;
}
