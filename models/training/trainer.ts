/**
 * The training loop: β-VAE with free bits (MusicVAE) plus, unless disabled,
 * the flat-manifold regulariser of Chen et al. ("Flat Latent Manifolds for
 * Human-machine Co-creation of Music", 2022; after Chen et al., "Learning
 * Flat Latent Manifolds with VAEs", ICML 2020).
 *
 * Flat regulariser. The decoder's pull-back metric is G(z) = J(z)ᵀJ(z), with
 * J the Jacobian of the decoded event distribution f(z) (hit or class
 * probabilities, see `eventProbabilities`). We want G(z) ≈ c·I on the region
 * interpolations pass through, so equal steps in z give equal change in the
 * music. Latents are drawn there by mixup: z_mix = α·μ_i + (1 − α)·μ_j for
 * pairs of encoded windows in the batch, α ~ U(0, 1). For a random unit
 * direction v, vᵀG(z)v = ‖J v‖², and G = c·I exactly when ‖J v‖² = c for
 * every unit v. We estimate ‖J v‖² by a forward finite difference,
 *   q = ‖f(z_mix + ε v) − f(z_mix)‖² / ε²,
 * and penalise its squared coefficient of variation over the batch,
 *   L_flat = mean((q − c)²) / c²,  c = mean(q),
 * which is scale-free (c is not forced to a value: the paper's c is likewise
 * free). With `flatPathPoints` K > 1, the rows along their own pair come in
 * groups of K points on one interpolation, and the loss is the mean of this
 * coefficient within each group (plus the same over the random-direction
 * rows): equal speed along every interpolation, which is what the
 * evaluation's evenness measures, without forcing one speed on all pairs.
 * With `flatChords` N > 0 (flat.ts `chordPlan`) each group is instead the
 * N + 1 evenly spaced points from one end of a pair to the other, and q is
 * the squared change between neighbours: the finite difference with ε one
 * grid step along the path, which sees every bump between the points (at
 * N = 10 the evaluation's own grid).
 * Why a finite difference: tfjs has no forward-mode autodiff (no JVP),
 * and a double backward pass through the unrolled GRU is far costlier on the
 * wasm backend; the finite difference costs one more decoder pass, which we
 * batch together with the reconstruction pass. ε (default 0.1) is small
 * against the prior's unit scale but large enough for float32.
 *
 * With the autoregressive decoder, f(z) is the teacher-forced step
 * distributions given the events of the first window of the mixed pair — the
 * decoder's distribution over what comes next, as a function of z alone. The
 * evaluation's "soft" interpolation smoothness measures the same quantity,
 * given the window as it is; with word dropout the flat rows read it with
 * the step's dropout unless `flatContext` is 'clean'.
 */
import * as tf from '@tensorflow/tfjs';
import { inputSize, validateConfig, type ModelConfig } from '../core/config.ts';
import { parseChoice } from './args.ts';
import type { ModelWeights } from '../core/weights.ts';
import { WINDOW_STEPS } from '../representation/grid.ts';
import { consecutivePairs, transpositionRange, writeFeatures, type WindowSet } from './data.ts';
import { FastVae } from '../fast/vae.ts';
import { LatentRefiner } from '../fast/refine.ts';
import { chordPlan, chordSpeeds, epsilonSpeeds, flatDirections, flatLoss, flatPlan, type ChordPlan, type FlatCriterion, type FlatPlan } from './flat.ts';
import { createVariables, decode, encode, eventProbabilities, klDivergence, previousSteps, readParameters, reconstructionLoss, type Variables } from './graph.ts';
import { SeededRandom } from './random.ts';
import { checkRunIdentity, runIdentity } from './checkpoint.ts';

/** The values of the type below, in the order errors list them. */
const FLAT_ENDS = ['mean', 'sample'] as const;

/** Where the flat regulariser's pair ends sit: posterior means or posterior samples (`TrainOptions.flatEnds`). */
export type FlatEnds = (typeof FLAT_ENDS)[number];

/** Parses a `--flat-ends` value; throws a clear error otherwise. */
export function parseFlatEnds(value: unknown, option = '--flat-ends'): FlatEnds {
  return parseChoice(value, FLAT_ENDS, option);
}

/** The values of the type below, in the order errors list them. */
const FLAT_CONTEXTS = ['dropped', 'clean'] as const;

/**
 * Which inputs the autoregressive decoder reads while it decodes the flat
 * regulariser's rows (`TrainOptions.flatContext`): the pair's first window
 * with the step's word dropout, as the reconstruction reads it, or the
 * window as it is, as the evaluation and the plugin read it.
 */
export type FlatContext = (typeof FLAT_CONTEXTS)[number];

/** Parses a `--flat-context` value; throws a clear error otherwise. */
export function parseFlatContext(value: unknown, option = '--flat-context'): FlatContext {
  return parseChoice(value, FLAT_CONTEXTS, option);
}

/** Training hyper-parameters. */
export interface TrainOptions {
  /** Total optimisation steps (default 1500). */
  steps: number;
  /** Windows per step (default 64). */
  batchSize: number;
  /** Seed of every random choice (default 1). */
  seed: number;
  /** Adam learning rate at step 0; it decays exponentially to a tenth at the last step (default 2e-3). */
  learningRate: number;
  /** Final KL weight β, reached linearly over the first 30 % of steps (default 0.2). */
  beta: number;
  /** Free bits: KL below this many nats per window is not penalised (default 32). */
  freeBitsNats: number;
  /** Weight of the flat regulariser; 0 trains the plain VAE (default 5). */
  flatWeight: number;
  /** Finite-difference step ε of the flat regulariser, in latent units (default 0.1). */
  flatEpsilon: number;
  /** Mixup latents per step for the flat regulariser (default 32). */
  flatBatch: number;
  /** Global gradient-norm clip (default 5). */
  clipNorm: number;
  /** Maximum transposition of melodies for augmentation, in semitones either way (default 6). */
  transposeSemitones: number;
  /**
   * Word dropout of the autoregressive decoder (Bowman et al. 2016): the
   * probability that a step's teacher-forced input (the previous step's
   * events) is blanked to zeros, so the decoder must lean on z and drifts
   * less when it reads back its own choices (default 0; ignored by the
   * parallel decoder).
   */
  inputDropout: number;
  /**
   * Share of the flat regulariser's directions that point along their own
   * mixup pair instead of at random (see flat.ts), 0 … 1 (default 0: all
   * random).
   */
  flatPathShare: number;
  /**
   * Points per interpolation of the flat regulariser's path rows (see
   * flat.ts `flatPlan`): 1 gives every mixup latent its own pair; K > 1
   * takes K stratified points along each of the path rows' interpolations
   * and also evens the speed along each (default 1).
   */
  flatPathPoints: number;
  /**
   * Latent refinement steps (models/fast/refine.ts, its default step size and
   * prior weight) applied to the two encoded ends of each flat-regulariser
   * pair before mixing, so the criterion is measured between the latents the
   * plugin encodes and interpolates between, not the posterior means
   * (default 0: mix the posterior means). The refined ends are constants of
   * the step: the flat term then reaches the decoder only.
   */
  flatRefineSteps: number;
  /**
   * Chords per interpolation of the flat regulariser's chord form (flat.ts
   * `chordPlan`): N > 0 decodes each pair at N + 1 evenly spaced points from
   * end to end and evens the N changes between neighbours, in place of the
   * ε finite difference at stratified points (`flatPathShare`,
   * `flatPathPoints` and `flatEpsilon` then do not apply); N = 10 is the
   * evaluation's grid (default 0: off).
   */
  flatChords: number;
  /**
   * Where the flat regulariser's pair ends sit (default 'mean'): 'mean' takes
   * the posterior means; 'sample' takes the step's posterior samples
   * z = μ + σ ε, the same draws the reconstruction term decodes. Refined
   * latents (the plugin's encode, models/fast/refine.ts) sit about one σ per
   * dimension from μ, as samples do, so 'sample' reaches the region the
   * plugin interpolates in, at no extra decoder cost. Measured on melody
   * (docs/models.md, session 15) it did not make those interpolations evener.
   */
  flatEnds: FlatEnds;
  /**
   * How the flat loss scores the spread of the speeds or chords within a
   * group (flat.ts `FlatCriterion`, default 'cv2'): 'cv2', their squared
   * coefficient of variation; 'peak', a smooth max/mean − 1 of the changes,
   * the evaluation's evenness made differentiable.
   */
  flatCriterion: FlatCriterion;
  /**
   * Share of the run over which the flat weight ramps linearly from 0 to
   * `flatWeight`, 0 … 1 (default 0: full weight from the first step), as
   * the KL weight ramps over the first 0.3: the decoder first learns to
   * reconstruct, then is flattened. The flat rows are decoded from the first
   * step either way, so a run's random draws do not depend on it.
   */
  flatWarmup: number;
  /** Sharpness τ of the 'peak' criterion's softmax over the changes relative to their mean (default 10; larger is closer to the hard max). */
  flatSharpness: number;
  /**
   * The teacher-forced context of the flat rows with the autoregressive
   * decoder and word dropout (see {@link FlatContext}; default 'dropped').
   * 'clean' flattens the decoder in the regime the evaluation's soft
   * evenness measures and the plugin plays in; without word dropout the two
   * are the same. The dropout draws are made either way.
   */
  flatContext: FlatContext;
}

/** Defaults of {@link TrainOptions}. */
export function defaultTrainOptions(overrides: Partial<TrainOptions> = {}): TrainOptions {
  return {
    steps: 1500,
    batchSize: 64,
    seed: 1,
    learningRate: 2e-3,
    beta: 0.2,
    freeBitsNats: 32,
    flatWeight: 5,
    flatEpsilon: 0.1,
    flatBatch: 32,
    clipNorm: 5,
    transposeSemitones: 6,
    inputDropout: 0,
    flatPathShare: 0,
    flatPathPoints: 1,
    flatRefineSteps: 0,
    flatChords: 0,
    flatEnds: 'mean',
    flatCriterion: 'cv2',
    flatSharpness: 10,
    flatWarmup: 0,
    flatContext: 'dropped',
    ...overrides,
  };
}

/** Losses of one step (per window, in nats for the likelihood and KL terms). */
export interface StepLosses {
  total: number;
  reconstruction: number;
  kl: number;
  flat: number;
}

/** The state a checkpoint holds. */
export interface TrainerState {
  step: number;
  randomState: number;
  history: Array<{ step: number } & StepLosses>;
}

/** Runs training steps on a window set; owns its variables and optimiser (call {@link Trainer.dispose}). */
export class Trainer {
  readonly vars: Variables;
  readonly optimizer: tf.AdamOptimizer;
  readonly random: SeededRandom;
  state: TrainerState;
  private readonly order: string[];
  private readonly batchBuffer: Float32Array;
  /** Mixup latents of the flat regulariser per step: `flatBatch`, at most batch − 1; 0 for the plain VAE. */
  private readonly flatRows: number;
  /** The chord form's layout (`flatChords` > 0 with a flat batch), fixed for the run; null for the ε form. */
  private readonly chords: ChordPlan | null;

  /**
   * @param config model sizes.
   * @param options hyper-parameters.
   * @param data training windows (must hold at least 2).
   * @throws Error when the data holds fewer than 2 windows or is of another kind.
   */
  constructor(
    readonly config: ModelConfig,
    readonly options: TrainOptions,
    readonly data: WindowSet,
  ) {
    if (data.kind !== config.kind) throw new Error(`training data is '${data.kind}' but the model is '${config.kind}'`);
    if (data.windows.length < 2) throw new Error(`training needs at least 2 windows of 2 bars, the data gave ${data.windows.length}`);
    this.flatRows = options.flatWeight > 0 ? Math.min(options.flatBatch, options.batchSize - 1) : 0;
    // Refuses a flat-chords or flat-points setting that cannot form a group before any step runs.
    this.chords = this.flatRows > 0 && options.flatChords > 0 ? chordPlan(this.flatRows, options.flatChords) : null;
    if (this.flatRows > 0 && options.flatEnds === 'sample' && options.flatRefineSteps > 0) {
      throw new RangeError("--flat-ends sample and --flat-refine cannot be combined: both choose the pair ends");
    }
    if (this.flatRows > 0) flatPlan(this.flatRows, options.flatPathPoints, options.flatPathShare, new Float32Array(this.flatRows));
    this.random = new SeededRandom(options.seed);
    this.vars = createVariables(config, () => this.random.next());
    this.order = Object.keys(this.vars).filter((n) => this.vars[n]!.trainable);
    this.optimizer = tf.train.adam(options.learningRate);
    this.state = { step: 0, randomState: this.random.seedState, history: [] };
    this.batchBuffer = new Float32Array(options.batchSize * WINDOW_STEPS * inputSize(config.kind));
  }

  /**
   * The refined latents of the pair ends of the step's flat rows, from the ε
   * plan or the chord plan (see `TrainOptions.flatRefineSteps`): each
   * distinct batch row is encoded and refined once, with the current
   * weights, on the fast path.
   * @returns the first and second end of each flat row, `plan.first.length × Z` floats each.
   */
  private refinedEnds(plan: Pick<FlatPlan, 'first' | 'second'>): { a: Float32Array; b: Float32Array } {
    const weights = { config: this.config, params: readParameters(this.vars) };
    const encoder = new FastVae(weights);
    const refiner = new LatentRefiner(weights);
    const Z = this.config.latentSize;
    const size = WINDOW_STEPS * inputSize(this.config.kind);
    const latents = new Map<number, Float32Array>();
    const latentOf = (row: number): Float32Array => {
      let z = latents.get(row);
      if (!z) {
        const window = this.batchBuffer.subarray(row * size, (row + 1) * size);
        z = refiner.refine(window, encoder.encode(window).mu, { steps: this.options.flatRefineSteps });
        latents.set(row, z);
      }
      return z;
    };
    const M = plan.first.length;
    const a = new Float32Array(M * Z);
    const b = new Float32Array(M * Z);
    for (let m = 0; m < M; m++) {
      a.set(latentOf(plan.first[m]!), m * Z);
      b.set(latentOf(plan.second[m]!), m * Z);
    }
    return { a, b };
  }

  /** Runs one optimisation step and returns its losses. */
  step(): StepLosses {
    const { options, config } = this;
    const B = options.batchSize;
    const M = this.flatRows;
    const Z = config.latentSize;
    const F = inputSize(config.kind);
    for (let b = 0; b < B; b++) {
      const w = this.data.windows[this.random.int(0, this.data.windows.length - 1)]!;
      let shift = 0;
      if (config.kind === 'melody' && options.transposeSemitones > 0) {
        const [lo, hi] = transpositionRange(w);
        shift = this.random.int(Math.max(lo, -options.transposeSemitones), Math.min(hi, options.transposeSemitones));
      }
      writeFeatures(config.kind, w, this.batchBuffer, b * WINDOW_STEPS * F, shift);
    }
    const eps = new Float32Array(B * Z).map(() => this.random.normal());
    const plan = flatPlan(M, M > 0 ? options.flatPathPoints : 1, options.flatPathShare, new Float32Array(M).map(() => this.random.next()));
    const directions = new Float32Array(M * Z);
    for (let m = 0; m < M; m++) {
      let norm = 0;
      for (let k = 0; k < Z; k++) norm += (directions[m * Z + k] = this.random.normal()) ** 2;
      norm = Math.sqrt(norm);
      for (let k = 0; k < Z; k++) directions[m * Z + k]! /= norm;
    }
    const { chords } = this;
    const ends = M > 0 && options.flatRefineSteps > 0 ? this.refinedEnds(chords ?? plan) : null;
    const autoregressive = config.decoder === 'autoregressive';
    const keep = autoregressive && options.inputDropout > 0 ? new Float32Array(B * WINDOW_STEPS).map(() => (this.random.next() < options.inputDropout ? 0 : 1)) : undefined;
    const progress = this.state.step / Math.max(1, options.steps);
    const beta = options.beta * Math.min(1, progress / 0.3);
    const flatWeight = options.flatWarmup > 0 ? options.flatWeight * Math.min(1, progress / options.flatWarmup) : options.flatWeight;
    // The learning rate is a protected field of tfjs's Adam; setting it is the documented way to schedule it in TF.js examples.
    (this.optimizer as unknown as { learningRate: number }).learningRate = options.learningRate * Math.pow(0.1, progress);

    const parts: tf.Scalar[] = [];
    const losses = tf.tidy(() => {
      const x = tf.tensor3d(this.batchBuffer, [B, WINDOW_STEPS, F]);
      const { value, grads } = tf.variableGrads(() => {
        const { mu, sigma } = encode(this.vars, x);
        const z = tf.add(mu, tf.mul(sigma, tf.tensor2d(eps, [B, Z]))) as tf.Tensor2D;
        // Only an autoregressive decoder reads events; the parallel one is given none.
        const clean = autoregressive ? previousSteps(x) : undefined;
        const previous = clean ? dropSteps(clean, keep) : undefined;
        let decoderInput = z;
        let decoderPrevious = previous;
        // Rows are picked by one-hot matrix products: the wasm backend has no gradient kernel for tf.gather (UnsortedSegmentSum).
        const pick = (rows: Int32Array): tf.Tensor2D => tf.oneHot(tf.tensor1d(rows, 'int32'), B).toFloat() as tf.Tensor2D;
        if (M > 0) {
          // Both forms mix pairs of the batch, z = b + α (a − b); the chord form's rows are its grid points.
          const { first, second, alpha } = chords ?? plan;
          const rows = first.length;
          const pickFirst = pick(first);
          const endLatents = options.flatEnds === 'sample' ? z : mu;
          const a = ends ? tf.tensor2d(ends.a, [rows, Z]) : (tf.matMul(pickFirst, endLatents) as tf.Tensor2D);
          const b = ends ? tf.tensor2d(ends.b, [rows, Z]) : (tf.matMul(pick(second), endLatents) as tf.Tensor2D);
          const zMix = tf.add(b, tf.mul(tf.tensor2d(alpha, [rows, 1]), tf.sub(a, b))) as tf.Tensor2D;
          // The ε form decodes each latent again a step ε along its direction; the chord form's neighbours are the next grid points.
          const flatLatents = chords ? [zMix] : [zMix, tf.add(zMix, tf.mul(options.flatEpsilon, flatDirections(a, b, directions, plan.pathRows))) as tf.Tensor2D];
          decoderInput = tf.concat([z, ...flatLatents], 0) as tf.Tensor2D;
          if (clean && previous) {
            const source = options.flatContext === 'clean' ? clean : previous;
            const context = tf.reshape(tf.matMul(pickFirst, tf.reshape(source, [B, WINDOW_STEPS * F])), [rows, WINDOW_STEPS, F]) as tf.Tensor3D;
            decoderPrevious = tf.concat([previous, ...flatLatents.map(() => context)], 0) as tf.Tensor3D;
          }
        }
        const out = decode(this.vars, decoderInput, WINDOW_STEPS, decoderPrevious);
        const recon = reconstructionLoss(config, tf.slice(out, [0, 0, 0], [B, WINDOW_STEPS, out.shape[2]]), x);
        const kl = tf.mean(klDivergence(mu, sigma)) as tf.Scalar;
        const klPenalty = tf.mul(beta, tf.relu(tf.sub(kl, options.freeBitsNats)));
        let total = tf.add(recon, klPenalty) as tf.Scalar;
        let flat = tf.scalar(0);
        if (M > 0) {
          const probs = eventProbabilities(config, tf.slice(out, [B, 0, 0], [decoderInput.shape[0] - B, WINDOW_STEPS, out.shape[2]]));
          const { q, layout } = chords ? chordSpeeds(probs, chords) : epsilonSpeeds(probs, options.flatEpsilon, plan);
          flat = flatLoss(q, layout, options.flatCriterion, options.flatSharpness);
          total = tf.add(total, tf.mul(flatWeight, flat)) as tf.Scalar;
        }
        parts.push(tf.keep(recon), tf.keep(kl), tf.keep(flat));
        return total;
      }, this.order.map((n) => this.vars[n]!));
      // Global-norm clipping (tfjs optimisers have none).
      const names = this.order.map((n) => this.vars[n]!.name);
      const norm = tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads[n]!)))));
      const scale = tf.div(options.clipNorm, tf.maximum(norm, options.clipNorm));
      const clipped: tf.NamedTensorMap = {};
      for (const n of names) clipped[n] = tf.mul(grads[n]!, scale);
      this.optimizer.applyGradients(clipped as unknown as Parameters<tf.AdamOptimizer['applyGradients']>[0]);
      return value.dataSync()[0]!;
    });
    const [recon, kl, flat] = parts.map((p) => p.dataSync()[0]!);
    tf.dispose(parts);
    this.state.step++;
    this.state.randomState = this.random.seedState;
    const result = { total: losses, reconstruction: recon!, kl: kl!, flat: flat! };
    if (this.state.step % 10 === 0 || this.state.step === 1) this.state.history.push({ step: this.state.step, ...result });
    return result;
  }

  /** Saves parameters, optimiser slots and loop state. */
  async checkpoint(): Promise<{ json: Record<string, unknown>; bin: Uint8Array }> {
    const opt = await this.optimizer.getWeights();
    const tensors: Array<{ name: string; shape: number[]; offset: number; source: 'var' | 'opt' }> = [];
    const chunks: Float32Array[] = [];
    let offset = 0;
    const add = (name: string, t: tf.Tensor, source: 'var' | 'opt'): void => {
      const data = t.dataSync() as Float32Array;
      tensors.push({ name, shape: t.shape, offset, source });
      chunks.push(data);
      offset += data.length;
    };
    for (const [name, v] of Object.entries(this.vars)) add(name, v, 'var');
    opt.forEach((w, i) => add(String(i), w.tensor, 'opt'));
    const bin = new Float32Array(offset);
    let o = 0;
    for (const c of chunks) {
      bin.set(c, o);
      o += c.length;
    }
    return { json: { config: this.config, options: this.options, run: runIdentity(this.data, this.config, this.options), state: structuredClone(this.state), tensors }, bin: new Uint8Array(bin.buffer) };
  }

  /**
   * Restores a checkpoint written by {@link Trainer.checkpoint}.
   * @throws Error when the checkpoint was made for another model size, or by
   *   another run (other data or options, see checkpoint.ts), or records no run.
   */
  async restore(json: Record<string, unknown>, bin: Uint8Array): Promise<void> {
    const saved = validateConfig(json.config);
    for (const key of ['kind', 'encoderUnits', 'decoderUnits', 'latentSize', 'decoder'] as const) {
      if (saved[key] !== this.config[key]) throw new Error(`checkpoint has ${key}=${saved[key]}, this run wants ${this.config[key]}: use another --checkpoint dir`);
    }
    checkRunIdentity(json.run, runIdentity(this.data, this.config, this.options));
    const floats = new Float32Array(bin.slice().buffer);
    const tensors = json.tensors as Array<{ name: string; shape: number[]; offset: number; source: 'var' | 'opt' }>;
    const slots: Array<{ name: string; tensor: tf.Tensor }> = [];
    for (const t of tensors) {
      const n = t.shape.reduce((a, b) => a * b, 1);
      const values = floats.subarray(t.offset, t.offset + n);
      if (t.source === 'var') this.vars[t.name]!.assign(tf.tensor(values, t.shape));
      else slots.push({ name: t.name, tensor: tf.tensor(values, t.shape) });
    }
    // Adam's slots are matched by order (iterations first, then m and v per variable).
    if (slots.length > 0) await this.optimizer.setWeights(slots as Parameters<tf.AdamOptimizer['setWeights']>[0]);
    this.state = json.state as TrainerState;
    this.random.seedState = this.state.randomState;
  }

  /**
   * Fits the latent transition used by `continue`: ridge regression of the
   * posterior mean of each window's successor (2 bars later) on its own,
   * z_next ≈ z·W + b (λ = 1). With no consecutive pairs, W = I and b = 0.
   * @param maxPairs cap on the pairs used (default 4000).
   */
  fitTransition(maxPairs = 4000): { pairs: number } {
    const Z = this.config.latentSize;
    const pairs = consecutivePairs(this.data).slice(0, maxPairs);
    const F = inputSize(this.config.kind);
    const wValues = new Float32Array(Z * Z);
    const bValues = new Float32Array(Z);
    if (pairs.length < 2) {
      for (let k = 0; k < Z; k++) wValues[k * Z + k] = 1;
    } else {
      const indices = [...new Set(pairs.flat())];
      const means = new Map<number, Float32Array>();
      const chunk = 128;
      for (let i = 0; i < indices.length; i += chunk) {
        const part = indices.slice(i, i + chunk);
        const buf = new Float32Array(part.length * WINDOW_STEPS * F);
        part.forEach((idx, k) => writeFeatures(this.config.kind, this.data.windows[idx]!, buf, k * WINDOW_STEPS * F));
        const mu = tf.tidy(() => encode(this.vars, tf.tensor3d(buf, [part.length, WINDOW_STEPS, F])).mu.dataSync() as Float32Array);
        part.forEach((idx, k) => means.set(idx, mu.slice(k * Z, (k + 1) * Z)));
      }
      const { w, b } = ridgeRegression(pairs.map(([i]) => means.get(i)!), pairs.map(([, j]) => means.get(j)!), 1);
      wValues.set(w);
      bValues.set(b);
    }
    this.vars.trans_w!.assign(tf.tensor2d(wValues, [Z, Z]));
    this.vars.trans_b!.assign(tf.tensor1d(bValues));
    return { pairs: pairs.length };
  }

  /** The current weights, for saving. */
  weights(training: Record<string, unknown>): ModelWeights {
    return { config: this.config, params: readParameters(this.vars), training };
  }

  /** Releases the variables and optimiser. Idempotent. */
  dispose(): void {
    tf.dispose(Object.values(this.vars));
    this.optimizer.dispose();
  }
}

/**
 * Solves min ‖[X 1]·[W; b] − Y‖² + λ‖W‖² by the normal equations (Gauss–Jordan
 * with partial pivoting). X, Y: lists of rows of length Z.
 */
export function ridgeRegression(xs: Float32Array[], ys: Float32Array[], lambda: number): { w: Float32Array; b: Float32Array } {
  const Z = xs[0]!.length;
  const N = Z + 1;
  const A = Array.from({ length: N }, () => new Float64Array(N));
  const R = Array.from({ length: N }, () => new Float64Array(Z));
  xs.forEach((x, n) => {
    const y = ys[n]!;
    for (let i = 0; i < N; i++) {
      const xi = i < Z ? x[i]! : 1;
      for (let j = 0; j < N; j++) A[i]![j]! += xi * (j < Z ? x[j]! : 1);
      for (let k = 0; k < Z; k++) R[i]![k]! += xi * y[k]!;
    }
  });
  for (let i = 0; i < Z; i++) A[i]![i]! += lambda;
  for (let col = 0; col < N; col++) {
    let pivot = col;
    for (let r = col + 1; r < N; r++) if (Math.abs(A[r]![col]!) > Math.abs(A[pivot]![col]!)) pivot = r;
    [A[col], A[pivot]] = [A[pivot]!, A[col]!];
    [R[col], R[pivot]] = [R[pivot]!, R[col]!];
    const d = A[col]![col]! || 1e-12;
    for (let j = 0; j < N; j++) A[col]![j]! /= d;
    for (let k = 0; k < Z; k++) R[col]![k]! /= d;
    for (let r = 0; r < N; r++) {
      if (r === col) continue;
      const f = A[r]![col]!;
      if (f === 0) continue;
      for (let j = 0; j < N; j++) A[r]![j]! -= f * A[col]![j]!;
      for (let k = 0; k < Z; k++) R[r]![k]! -= f * R[col]![k]!;
    }
  }
  const w = new Float32Array(Z * Z);
  for (let i = 0; i < Z; i++) for (let k = 0; k < Z; k++) w[i * Z + k] = R[i]![k]!;
  return { w, b: Float32Array.from(R[Z]!) };
}

/** Blanks the steps of `[B, T, F]` whose entry in `keep` (`B·T` zeros and ones) is 0; no mask returns the input. */
function dropSteps(previous: tf.Tensor3D, keep: Float32Array | undefined): tf.Tensor3D {
  if (!keep) return previous;
  const [B, T] = previous.shape;
  return tf.mul(previous, tf.tensor3d(keep, [B, T, 1])) as tf.Tensor3D;
}
