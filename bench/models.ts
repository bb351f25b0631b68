/**
 * Model inference speed, Node side: the tfjs graph (wasm backend, batch 1,
 * the op-by-op path a stock tfjs RNN takes) against the plain-TypeScript fast
 * path the runtime uses, both on the same weights, for one encode + decode of
 * a 2-bar window (greedy: an autoregressive decoder reads back each step's
 * choice). Uses the shipped weights when present, else random weights
 * of the default size (reported as `weights: 'random'`). Prints nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { defaultConfig, inputSize, parameterShapes, type ModelKind } from '../models/core/config.ts';
import type { ModelWeights } from '../models/core/weights.ts';
import { FastVae } from '../models/fast/vae.ts';
import { LatentRefiner, REFINE_DEFAULTS } from '../models/fast/refine.ts';
import { seededUniform } from '../models/runtime/random.ts';
import { useWasmBackend } from '../models/training/backend.ts';
import { readModelDir, WEIGHTS_DIR } from '../models/training/files.ts';
import { decode, encode, previousSteps, variablesFromParameters } from '../models/training/graph.ts';
import { serializeWeights } from '../models/core/weights.ts';
import { launchChromium } from '../test/helpers/chromium.ts';
import { startStaticServer } from '../test/helpers/server.ts';
import { bundleForBrowser } from '../test/helpers/bundle.ts';

/** Timings of one model, in milliseconds per encode + decode of one 2-bar window. */
export interface ModelBench {
  /** The fast path (what the runtime runs): median and 99th percentile. */
  encode_decode_ms_p50: number;
  encode_decode_ms_p99: number;
  /** The same computation as a tfjs graph on the wasm backend. */
  tfjs_encode_decode_ms_p50: number;
  tfjs_encode_decode_ms_p99: number;
  /** tfjs p50 / fast p50. */
  speedup_p50: number;
  /** The fast path's encode refined by gradient steps (as the plugin encodes a performer's phrase) + decode. */
  refined_encode_decode_ms_p50: number;
  refined_encode_decode_ms_p99: number;
  /** Refinement steps in the refined timing. */
  refine_steps: number;
  /** Which kernel the fast path used ('wasm-simd' where WebAssembly SIMD compiles). */
  kernel: string;
  /** The fast path with its JavaScript kernels forced (the fallback), timed alternately with the above. */
  js_kernels_encode_decode_ms_p50: number;
  /** JavaScript-kernel p50 / fast p50. */
  simd_speedup_p50: number;
  /** Largest difference between the two paths' decoder logits on the bench input. */
  max_abs_logit_difference: number;
  weights: 'shipped' | 'random';
  runs: number;
}

/**
 * Benchmarks every shipped model (or random stand-ins for drums and melody).
 * @param runs timed calls per path (default 200 fast, a quarter of that for tfjs), after warm-up.
 */
export async function benchModels(runs = 200): Promise<Record<string, ModelBench>> {
  await useWasmBackend();
  const names = ['drums', 'melody', 'drums-plain', 'melody-plain'].filter((n) => existsSync(join(WEIGHTS_DIR, n, 'model.json')));
  const models: Array<[string, ModelWeights, 'shipped' | 'random']> = names.map((n) => [n, readModelDir(n), 'shipped']);
  if (models.length === 0) for (const kind of ['drums', 'melody'] as ModelKind[]) models.push([kind, randomModel(kind), 'random']);
  const results: Record<string, ModelBench> = {};
  for (const [name, weights, origin] of models) results[name] = benchOne(weights, origin, runs);
  return results;
}

function benchOne(weights: ModelWeights, origin: 'shipped' | 'random', runs: number): ModelBench {
  const config = weights.config;
  const F = inputSize(config.kind);
  const random = seededUniform(5);
  const x = new Float32Array(config.steps * F);
  // A plausible input: sparse hits for drums, one class per step for melody.
  for (let t = 0; t < config.steps; t++) {
    if (config.kind === 'drums') {
      for (let k = 0; k < 9; k++) if (random() < 0.15) x[t * F + k] = 1;
    } else x[t * F + Math.floor(random() * 90)] = 1;
  }
  const fast = new FastVae(weights);
  const fastJs = new FastVae(weights, { simd: false });
  const fastTimes: number[] = [];
  const jsTimes: number[] = [];
  for (let i = 0; i < runs + 20; i++) {
    const t0 = performance.now();
    fast.decode(fast.encode(x).mu);
    const t1 = performance.now();
    fastJs.decode(fastJs.encode(x).mu);
    if (i >= 20) {
      fastTimes.push(t1 - t0);
      jsTimes.push(performance.now() - t1);
    }
  }
  const refiner = new LatentRefiner(weights);
  const refinedTimes: number[] = [];
  for (let i = 0; i < Math.ceil(runs / 5) + 3; i++) {
    const t0 = performance.now();
    fast.decode(refiner.refine(x, fast.encode(x).mu));
    if (i >= 3) refinedTimes.push(performance.now() - t0);
  }
  // An autoregressive decoder's tfjs pass reads the events the fast path chose (teacher-forced on
  // them: the same arithmetic in one graph, so a lower bound on a step-by-step tfjs decode, which
  // would also wait for a data sync every step).
  const fastEvents = new Float32Array(config.steps * F);
  const fastLogits = fast.decode(fast.encode(x).mu, undefined, { events: fastEvents });
  const vars = variablesFromParameters(config, weights.params);
  const tfjsTimes: number[] = [];
  const tfRuns = Math.max(5, Math.floor(runs / 4));
  let logits: Float32Array = new Float32Array(0);
  for (let i = 0; i < tfRuns + 5; i++) {
    const t0 = performance.now();
    logits = tf.tidy(() => {
      const { mu } = encode(vars, tf.tensor3d(x, [1, config.steps, F]));
      return decode(vars, mu, config.steps, previousSteps(tf.tensor3d(fastEvents, [1, config.steps, F]))).dataSync() as Float32Array;
    });
    if (i >= 5) tfjsTimes.push(performance.now() - t0);
  }
  tf.dispose(Object.values(vars));
  let diff = 0;
  for (let i = 0; i < logits.length; i++) diff = Math.max(diff, Math.abs(logits[i]! - fastLogits[i]!));
  const p50 = percentile(fastTimes, 0.5);
  const tp50 = percentile(tfjsTimes, 0.5);
  return {
    encode_decode_ms_p50: round(p50),
    encode_decode_ms_p99: round(percentile(fastTimes, 0.99)),
    tfjs_encode_decode_ms_p50: round(tp50),
    tfjs_encode_decode_ms_p99: round(percentile(tfjsTimes, 0.99)),
    speedup_p50: round(tp50 / p50),
    refined_encode_decode_ms_p50: round(percentile(refinedTimes, 0.5)),
    refined_encode_decode_ms_p99: round(percentile(refinedTimes, 0.99)),
    refine_steps: REFINE_DEFAULTS.steps,
    kernel: fast.kernel,
    js_kernels_encode_decode_ms_p50: round(percentile(jsTimes, 0.5)),
    simd_speedup_p50: round(percentile(jsTimes, 0.5) / p50),
    max_abs_logit_difference: diff,
    weights: origin,
    runs,
  };
}

function randomModel(kind: ModelKind): ModelWeights {
  const config = defaultConfig(kind);
  const random = seededUniform(1);
  const params: ModelWeights['params'] = {};
  for (const [name, shape] of parameterShapes(config)) params[name] = new Float32Array(shape.reduce((a, b) => a * b, 1)).map(() => (random() - 0.5) * 0.2);
  return { config, params };
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * The runtime's `decode(encode(phrase))` in a dedicated Worker in headless
 * Chromium (what the plugin's worker runs), per shipped model (or random
 * stand-ins), in milliseconds. Prints nothing.
 * @param runs timed calls per model after 30 warm-up calls (default 300).
 */
/** Timings of one model in a Chromium worker, ms per encode + decode. */
export interface WorkerModelBench {
  /** The encoder's one pass (`refineSteps: 0`) + decode: the fast path the plugin used before refinement (target ≤ 10 ms). */
  encode_decode_ms_p50: number;
  encode_decode_ms_p99: number;
  /** Encode as the plugin encodes a performer's phrase (refined, `REFINE_DEFAULTS.steps`) + decode. */
  refined_encode_decode_ms_p50: number;
  refined_encode_decode_ms_p99: number;
  /** The kernel the runtime picked there ('wasm-simd' unless WebAssembly SIMD is unavailable). */
  kernel: string;
  /** The same runtime with its JavaScript kernels forced, timed alternately. */
  js_kernels_encode_decode_ms_p50: number;
  js_kernels_encode_decode_ms_p99: number;
  runs: number;
}

export async function benchModelsInChromiumWorker(runs = 300): Promise<Record<string, WorkerModelBench>> {
  const names = ['drums', 'melody', 'drums-plain', 'melody-plain'].filter((n) => existsSync(join(WEIGHTS_DIR, n, 'model.json')));
  const models = names.length
    ? names.map((name) => ({ name, manifest: JSON.parse(readFileSync(join(WEIGHTS_DIR, name, 'model.json'), 'utf8')) as unknown, weights: Array.from(readFileSync(join(WEIGHTS_DIR, name, 'weights.bin'))) }))
    : (['drums', 'melody'] as ModelKind[]).map((kind) => {
        const { manifest, bin } = serializeWeights(randomModel(kind));
        return { name: kind, manifest: manifest as unknown, weights: Array.from(bin) };
      });
  const worker = await bundleForBrowser('test/models/pages/bench-worker.ts');
  const server = await startStaticServer({ mounts: {}, pages: { '/index.html': '<!doctype html><title>bench</title>', '/worker.js': worker } });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`${server.origin}/index.html`);
    const times = await page.evaluate(
      async ({ models, runs }) => {
        const w = new Worker('/worker.js', { type: 'module' });
        const payload = models.map((m) => ({ name: m.name, manifest: m.manifest, weights: new Uint8Array(m.weights).buffer }));
        return await new Promise<Record<string, { kernel: string; times: number[]; jsTimes: number[]; refinedTimes: number[] }>>((resolve, reject) => {
          w.onmessage = (e) => resolve(e.data);
          w.onerror = (e) => reject(new Error(e.message));
          w.postMessage({ models: payload, runs });
        });
      },
      { models, runs },
    );
    const out: Record<string, WorkerModelBench> = {};
    for (const [name, t] of Object.entries(times)) {
      out[name] = {
        encode_decode_ms_p50: round(percentile(t.times, 0.5)),
        encode_decode_ms_p99: round(percentile(t.times, 0.99)),
        refined_encode_decode_ms_p50: round(percentile(t.refinedTimes, 0.5)),
        refined_encode_decode_ms_p99: round(percentile(t.refinedTimes, 0.99)),
        kernel: t.kernel,
        js_kernels_encode_decode_ms_p50: round(percentile(t.jsTimes, 0.5)),
        js_kernels_encode_decode_ms_p99: round(percentile(t.jsTimes, 0.99)),
        runs,
      };
    }
    return out;
  } finally {
    await browser.close();
    await server.close();
  }
}
