/**
 * The model runtime the plugin's worker uses: encode, decode, interpolate,
 * sample, vary and continue 2-bar phrases, on the fast plain-TypeScript path
 * (no tfjs, no tensors, nothing to leak; CSP-safe). File loading is not here:
 * see `loadModel` (fetch) and models/runtime/node.ts (disk).
 */
import type { Phrase } from '../../protocol/phrase.ts';
import { inputSize, type ModelKind } from '../core/config.ts';
import type { ModelWeights } from '../core/weights.ts';
import { FastVae } from '../fast/vae.ts';
import { LatentRefiner, REFINE_DEFAULTS, type RefineOptions } from '../fast/refine.ts';
import { eventsToPhrase, lastWindow, phraseFeatures, stepChooser } from '../representation/features.ts';
import { normal, seededUniform } from './random.ts';

/** Options of the generating calls. */
export interface GenerateOptions {
  /**
   * Sampling temperature of the decoder's output: 0 (default) decodes
   * deterministically (hits where p ≥ 0.5, the most likely melody class);
   * 1 samples from the model's distribution; higher is wilder.
   */
  temperature?: number;
  /** Seed of this call's random draws; without it the runtime's own seeded stream is used. */
  seed?: number;
  /** Tempo written into the returned phrase, in BPM (default: the input phrase's, else 120). */
  tempoBpm?: number;
}

/** Options of {@link ModelRuntime.encode}. */
export interface EncodeOptions {
  /**
   * Gradient steps that refine the encoder's posterior mean towards the latent
   * the decoder reproduces the phrase best from (models/fast/refine.ts; 40
   * steps + a decode took 26 ms for drums, 31 ms for melody at the median in
   * a Chromium worker; `npm run bench` measures it). Default: the runtime's `refineSteps`; 0
   * returns the posterior mean, the encoder's one-pass answer.
   */
  refineSteps?: number;
}

/** A latent and the phrase decoded from it. */
export interface Generated {
  z: Float32Array;
  phrase: Phrase;
}

/** A loaded model. Cheap to call; `dispose()` is idempotent and later calls throw. */
export interface ModelRuntime {
  readonly kind: ModelKind;
  /** Latent dimensions. */
  readonly latentSize: number;
  /** Steps per window (32 = 2 bars of 16ths). */
  readonly steps: number;
  /** The kernel of the recurrent and output matrices: 'wasm-simd' where WebAssembly SIMD compiles, else 'js'. */
  readonly kernel: 'wasm-simd' | 'js';
  /**
   * The latent of the phrase's first 2 bars (latentSize values): the
   * encoder's posterior mean, refined by gradient steps (see {@link EncodeOptions}).
   */
  encode(phrase: Phrase, options?: EncodeOptions): Float32Array;
  /** The model inputs `encode` reads from a phrase: its first 2 bars, `steps × inputSize` values. */
  features(phrase: Phrase): Float32Array;
  /** The encoder's posterior mean of model inputs (latentSize values), unrefined. */
  posteriorMean(features: Float32Array): Float32Array;
  /** The refinement's objective at z on model inputs (models/fast/refine.ts `objectiveAt`). @throws RangeError on a bad length or option. */
  objective(features: Float32Array, z: Float32Array, options?: Pick<RefineOptions, 'priorWeight' | 'playedSteps'>): number;
  /** Refines a latent on model inputs (models/fast/refine.ts; defaults `REFINE_DEFAULTS`). @throws RangeError on a bad length or option. */
  refine(features: Float32Array, z0: Float32Array, options?: RefineOptions): Float32Array;
  /** Decodes a latent into a 2-bar phrase. */
  decode(z: Float32Array, options?: GenerateOptions): Phrase;
  /** The point `t` (0…1, may extrapolate) of the straight line from zA to zB. */
  interpolate(zA: Float32Array, zB: Float32Array, t: number): Float32Array;
  /** Draws z ~ N(0, I) and decodes it. */
  sample(options?: GenerateOptions): Generated;
  /** z + variation·ε with ε ~ N(0, I) (variation in prior standard deviations, e.g. 0…1), decoded. */
  similar(z: Float32Array, variation: number, options?: GenerateOptions): Generated;
  /** The next 2 bars after the phrase's last 2 bars, through the learned latent transition (fitted on posterior means, so it reads the unrefined mean). */
  continue(phrase: Phrase, options?: GenerateOptions): Generated;
  /** Releases the model. */
  dispose(): void;
}

/** Options of {@link createRuntime}. */
export interface RuntimeOptions {
  /** Seed of the runtime's own random stream, used by calls without a seed (default 0). */
  seed?: number;
  /** `false` forces the JavaScript kernels (default: WebAssembly SIMD where it compiles). */
  simd?: boolean;
  /** Refinement steps of `encode` when a call gives none (default `REFINE_DEFAULTS.steps`; 0: the posterior mean). */
  refineSteps?: number;
}

/**
 * Builds a runtime from weights already in memory (see `parseWeights`).
 */
export function createRuntime(weights: ModelWeights, options: RuntimeOptions = {}): ModelRuntime {
  let vae: FastVae | undefined = new FastVae(weights, { simd: options.simd });
  let refiner: LatentRefiner | undefined = new LatentRefiner(weights, { simd: options.simd });
  const defaultRefineSteps = options.refineSteps ?? REFINE_DEFAULTS.steps;
  if (!(Number.isInteger(defaultRefineSteps) && defaultRefineSteps >= 0)) throw new RangeError(`refineSteps must be a whole number ≥ 0, got ${defaultRefineSteps}`);
  const { kind, latentSize, steps } = weights.config;
  const stream = seededUniform(options.seed ?? 0);
  const live = (): FastVae => {
    if (!vae) throw new Error('model runtime: used after dispose()');
    return vae;
  };
  const rng = (o?: GenerateOptions): (() => number) => (o?.seed !== undefined ? seededUniform(o.seed) : stream);
  const checkLatent = (z: Float32Array, what: string): void => {
    if (!(z instanceof Float32Array) || z.length !== latentSize) throw new RangeError(`${what}: expected a Float32Array latent of ${latentSize} values, got ${z instanceof Float32Array ? z.length + ' values' : typeof z}`);
  };
  const decodeWith = (z: Float32Array, o: GenerateOptions | undefined, random: () => number, tempo?: number): Phrase => {
    const temperature = o?.temperature ?? 0;
    if (!(temperature >= 0)) throw new RangeError(`temperature must be ≥ 0, got ${temperature}`);
    const events = new Float32Array(steps * inputSize(kind));
    live().decode(z, undefined, { choose: stepChooser(kind, temperature, random), events });
    return eventsToPhrase(kind, events, o?.tempoBpm ?? tempo ?? 120);
  };
  const checkPhrase = (phrase: Phrase): void => {
    if (!phrase || !Array.isArray(phrase.notes)) throw new TypeError(`expected a Phrase with a notes array, got ${JSON.stringify(phrase)?.slice(0, 80)}`);
  };
  return {
    kind,
    latentSize,
    steps,
    kernel: vae.kernel,
    encode(phrase, o) {
      checkPhrase(phrase);
      const features = phraseFeatures(kind, phrase);
      const { mu } = live().encode(features);
      return refiner!.refine(features, mu, { steps: o?.refineSteps ?? defaultRefineSteps });
    },
    features(phrase) {
      checkPhrase(phrase);
      return phraseFeatures(kind, phrase);
    },
    posteriorMean(features) {
      return live().encode(features).mu;
    },
    objective(features, z, o) {
      live();
      checkLatent(z, 'objective');
      return refiner!.objectiveAt(features, z, o);
    },
    refine(features, z0, o) {
      live();
      checkLatent(z0, 'refine');
      return refiner!.refine(features, z0, o);
    },
    decode(z, o) {
      checkLatent(z, 'decode');
      return decodeWith(z, o, rng(o));
    },
    interpolate(zA, zB, t) {
      checkLatent(zA, 'interpolate');
      checkLatent(zB, 'interpolate');
      const out = new Float32Array(latentSize);
      for (let k = 0; k < latentSize; k++) out[k] = zA[k]! + t * (zB[k]! - zA[k]!);
      return out;
    },
    sample(o) {
      const random = rng(o);
      const z = new Float32Array(latentSize).map(() => normal(random));
      return { z, phrase: decodeWith(z, o, random) };
    },
    similar(z, variation, o) {
      checkLatent(z, 'similar');
      if (!(variation >= 0)) throw new RangeError(`variation must be ≥ 0, got ${variation}`);
      const random = rng(o);
      const moved = z.map((v) => v + variation * normal(random));
      return { z: moved, phrase: decodeWith(moved, o, random) };
    },
    continue(phrase, o) {
      checkPhrase(phrase);
      const v = live();
      const z = v.next(v.encode(phraseFeatures(kind, lastWindow(phrase))).mu);
      return { z, phrase: decodeWith(z, o, rng(o), phrase.tempoBpm) };
    },
    dispose() {
      vae = undefined;
      refiner = undefined;
    },
  };
}
