/**
 * The weights format: a JSON manifest (`model.json`) and one little-endian
 * float32 blob (`weights.bin`). Pure: callers bring the bytes (fetch in the
 * browser, fs in Node), so the runtime never touches files.
 */
import { parameterShapes, validateConfig, type ModelConfig } from './config.ts';

/** Format tag written in every manifest. */
export const WEIGHTS_FORMAT = 'deep-improv-rvae';

/** `model.json`. */
export interface WeightsManifest {
  format: typeof WEIGHTS_FORMAT;
  version: 1;
  config: ModelConfig;
  /** Name, shape and offset (in floats) of each tensor within `weights.bin`. */
  tensors: Array<{ name: string; shape: number[]; offset: number }>;
  /** Free-form facts about training (data, steps, seed, final losses). */
  training?: Record<string, unknown>;
}

/** Parameters by name, each a flat row-major Float32Array. */
export type Parameters = Record<string, Float32Array>;

/** A model's config and parameters. */
export interface ModelWeights {
  config: ModelConfig;
  params: Parameters;
  training?: Record<string, unknown>;
}

/** Serialises weights into a manifest and a float32 blob. */
export function serializeWeights(weights: ModelWeights): { manifest: WeightsManifest; bin: Uint8Array } {
  const shapes = parameterShapes(weights.config);
  const total = shapes.reduce((n, [, shape]) => n + size(shape), 0);
  const data = new Float32Array(total);
  const tensors: WeightsManifest['tensors'] = [];
  let offset = 0;
  for (const [name, shape] of shapes) {
    const values = weights.params[name];
    if (!values || values.length !== size(shape)) throw new Error(`parameter ${name} must have ${size(shape)} values, got ${values?.length ?? 'none'}`);
    data.set(values, offset);
    tensors.push({ name, shape, offset });
    offset += values.length;
  }
  const manifest: WeightsManifest = { format: WEIGHTS_FORMAT, version: 1, config: weights.config, tensors, ...(weights.training ? { training: weights.training } : {}) };
  return { manifest, bin: new Uint8Array(data.buffer) };
}

/**
 * Reads weights from a manifest (parsed JSON) and the blob's bytes.
 * @throws Error when the manifest is not this format or a tensor is missing or out of range.
 */
export function parseWeights(manifest: unknown, bin: ArrayBuffer | Uint8Array): ModelWeights {
  const m = manifest as Partial<WeightsManifest> | null;
  if (!m || m.format !== WEIGHTS_FORMAT) throw new Error(`expected a model.json with format '${WEIGHTS_FORMAT}', got ${JSON.stringify(m?.format)}`);
  const config = validateConfig(m.config);
  const bytes = bin instanceof Uint8Array ? bin : new Uint8Array(bin);
  // Copy into an aligned buffer: a Uint8Array view may start at an odd offset.
  const floats = new Float32Array(bytes.slice().buffer, 0, Math.floor(bytes.byteLength / 4));
  const byName = new Map((m.tensors ?? []).map((t) => [t.name, t]));
  const params: Parameters = {};
  for (const [name, shape] of parameterShapes(config)) {
    const t = byName.get(name);
    const n = size(shape);
    if (!t) throw new Error(`weights: tensor '${name}' is missing from model.json`);
    if (t.offset < 0 || t.offset + n > floats.length) throw new Error(`weights: tensor '${name}' needs floats ${t.offset}…${t.offset + n}, weights.bin has ${floats.length}`);
    params[name] = floats.slice(t.offset, t.offset + n);
  }
  return { config, params, ...(m.training ? { training: m.training } : {}) };
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
