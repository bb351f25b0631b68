import * as tf from '@tensorflow/tfjs';
import { inputSize, type ModelConfig } from '../core/config.ts';
import type { ModelWeights } from '../core/weights.ts';
import { WINDOW_STEPS } from '../representation/grid.ts';
import { restoreCheckpoint, saveCheckpoint, type Checkpoint } from './checkpoint.ts';
import { consecutivePairs, transpositionRange, writeFeatures, type WindowSet } from './data.ts';
import { chordPlan, chordSpeeds, epsilonSpeeds, flatDirections, flatLoss, flatPlan, type ChordPlan } from './flat.ts';
import { createVariables, decode, encode, eventProbabilities, klDivergence, previousSteps, readParameters, reconstructionLoss, type Variables } from './graph.ts';
import type { TrainOptions } from './options.ts';
import { SeededRandom } from '../runtime/random.ts';
import { ridgeRegression } from './ridge.ts';

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
    // Refuses a flat-chords setting that cannot form a group before any step runs.
    this.chords = this.flatRows > 0 && options.flatChords > 0 ? chordPlan(this.flatRows, options.flatChords) : null;
    this.random = new SeededRandom(options.seed);
    this.vars = createVariables(config, () => this.random.next());
    this.order = Object.keys(this.vars).filter((n) => this.vars[n]!.trainable);
    this.optimizer = tf.train.adam(options.learningRate);
    this.state = { step: 0, randomState: this.random.seedState, history: [] };
    this.batchBuffer = new Float32Array(options.batchSize * WINDOW_STEPS * inputSize(config.kind));
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
    const plan = flatPlan(M, options.flatPathShare, new Float32Array(M).map(() => this.random.next()));
    const directions = new Float32Array(M * Z);
    for (let m = 0; m < M; m++) {
      let norm = 0;
      for (let k = 0; k < Z; k++) norm += (directions[m * Z + k] = this.random.normal()) ** 2;
      norm = Math.sqrt(norm);
      for (let k = 0; k < Z; k++) directions[m * Z + k]! /= norm;
    }
    const { chords } = this;
    const autoregressive = config.decoder === 'autoregressive';
    const keep = autoregressive && options.inputDropout > 0 ? new Float32Array(B * WINDOW_STEPS).map(() => (this.random.next() < options.inputDropout ? 0 : 1)) : undefined;
    const progress = this.state.step / Math.max(1, options.steps);
    const beta = options.beta * Math.min(1, progress / 0.3);
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
          const a = tf.matMul(pickFirst, mu) as tf.Tensor2D;
          const b = tf.matMul(pick(second), mu) as tf.Tensor2D;
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
          if (chords) {
            const { q, layout } = chordSpeeds(probs, chords);
            flat = flatLoss(q, layout);
          } else {
            flat = flatLoss(epsilonSpeeds(probs, options.flatEpsilon));
          }
          total = tf.add(total, tf.mul(options.flatWeight, flat)) as tf.Scalar;
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

  /** Saves parameters, optimiser slots, loop state and the run's identity (checkpoint.ts). */
  checkpoint(): Promise<Checkpoint> {
    return saveCheckpoint(this);
  }

  /**
   * Restores a checkpoint written by {@link Trainer.checkpoint}.
   * @throws Error when the checkpoint was made for another model size, or by
   *   another run (other data or options), or records no run.
   */
  restore(json: Checkpoint['json'], bin: Uint8Array): Promise<void> {
    return restoreCheckpoint(this, json, bin);
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

/** Blanks the steps of `[B, T, F]` whose entry in `keep` (`B·T` zeros and ones) is 0; no mask returns the input. */
function dropSteps(previous: tf.Tensor3D, keep: Float32Array | undefined): tf.Tensor3D {
  if (!keep) return previous;
  const [B, T] = previous.shape;
  return tf.mul(previous, tf.tensor3d(keep, [B, T, 1])) as tf.Tensor3D;
}
