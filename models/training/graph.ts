/**
 * The recurrent VAE as a tfjs graph, for training (and as the reference the
 * fast path is tested against). Never imported by the runtime.
 *
 * Encoder: bidirectional GRU over the window; μ = W_μ·[h→; h←] + b,
 * σ = softplus(W_σ·[h→; h←] + b) (MusicVAE). Decoder: a GRU whose initial
 * state is tanh(W·z + b) and whose input at every step is z, the step's
 * position in the bar and — for the autoregressive decoder (the default) —
 * the previous step's events: in training the data's own (teacher forcing),
 * when generating the decoder's own choices (models/fast/vae.ts). Given those
 * events, the step distributions are a smooth function of z, so the
 * flat-manifold regulariser is applied to them teacher-forced. The 'parallel'
 * decoder (the shipped drum models) has no event input: all steps follow from z alone.
 *
 * GRU cell (the "reset-after" form of cuDNN/Keras, without a recurrent bias):
 *   [x_r, x_u, x_c] = x·W + b,  [h_r, h_u, h_c] = h·U
 *   r = σ(x_r + h_r),  u = σ(x_u + h_u),  c = tanh(x_c + r ⊙ h_c)
 *   h' = u ⊙ h + (1 − u) ⊙ c
 */
import * as tf from '@tensorflow/tfjs';
import { parameterShapes, POSITION_ROWS, type ModelConfig } from '../core/config.ts';
import type { Parameters } from '../core/weights.ts';
import { DRUM_CLASSES } from '../representation/drums.ts';
import { MELODY_CLASSES } from '../representation/melody.ts';

/** Trainable variables by parameter name. */
export type Variables = Record<string, tf.Variable>;

// tfjs variable names are global to the process; a suffix keeps two models apart.
let modelCounter = 0;

/**
 * Creates the variables, initialised from `random` (Glorot-uniform matrices,
 * zero biases; the update gate bias starts at 1 so early states carry over).
 * @param random uniform [0, 1) source, for a deterministic start.
 */
export function createVariables(config: ModelConfig, random: () => number): Variables {
  const vars: Variables = {};
  const suffix = `_${++modelCounter}`;
  for (const [name, shape] of parameterShapes(config)) {
    const n = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(n);
    if (shape.length === 2 && !name.startsWith('trans')) {
      const limit = Math.sqrt(6 / (shape[0]! + shape[1]!));
      for (let i = 0; i < n; i++) values[i] = (2 * random() - 1) * limit;
    }
    if (name === 'enc_fw_b' || name === 'enc_bw_b' || name === 'dec_b') {
      const H = n / 3;
      values.fill(1, H, 2 * H);
    }
    // The transition is fitted after training, not by gradient descent.
    vars[name] = tf.variable(tf.tensor(values, shape), !name.startsWith('trans'), name + suffix);
  }
  return vars;
}

/** Copies variables out as plain parameters. */
export function readParameters(vars: Variables): Parameters {
  const params: Parameters = {};
  for (const [name, v] of Object.entries(vars)) params[name] = v.dataSync() as Float32Array;
  return params;
}

/** Creates constant tensors from parameters (for inference comparisons). */
export function variablesFromParameters(config: ModelConfig, params: Parameters): Variables {
  const vars: Variables = {};
  const suffix = `_${++modelCounter}`;
  for (const [name, shape] of parameterShapes(config)) vars[name] = tf.variable(tf.tensor(params[name]!, shape), !name.startsWith('trans'), name + suffix);
  return vars;
}

/**
 * a·b with a gradient that uses explicit transposes. On the tfjs wasm backend
 * a matMul with transposeA/transposeB (what tf.matMul's own gradient emits)
 * takes ~10× longer than transposing first (measured here: 3.2 ms against
 * 0.24 + 0.1 ms for a [64,128]ᵀ·[64,384] product), and these gradients are
 * most of a training step.
 */
export const matMul = tf.customGrad(((a: tf.Tensor2D, b: tf.Tensor2D, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => [tf.matMul(dy, tf.transpose(saved[1]!)), tf.matMul(tf.transpose(saved[0]!), dy)],
  };
}) as never) as unknown as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/** Runs a GRU over inputs already projected by W (x·W + b), one [B, 3H] tensor per step; returns every state. */
function runGru(projected: tf.Tensor2D[], uh: tf.Tensor2D, h0: tf.Tensor2D): tf.Tensor2D[] {
  const H = uh.shape[0];
  let h = h0;
  const states: tf.Tensor2D[] = [];
  for (const x of projected) {
    const hu = matMul(h, uh);
    const [xru, xc] = tf.split(x, [2 * H, H], 1) as [tf.Tensor2D, tf.Tensor2D];
    const [hru, hc] = tf.split(hu, [2 * H, H], 1) as [tf.Tensor2D, tf.Tensor2D];
    const [r, u] = tf.split(tf.sigmoid(tf.add(xru, hru)), 2, 1) as [tf.Tensor2D, tf.Tensor2D];
    const c = tf.tanh(tf.add(xc, tf.mul(r, hc)));
    h = tf.add(c, tf.mul(u, tf.sub(h, c)));
    states.push(h);
  }
  return states;
}

/** Posterior parameters of a batch of windows `[B, T, inputSize]`: μ and σ, each `[B, Z]`. */
export function encode(vars: Variables, x: tf.Tensor3D): { mu: tf.Tensor2D; sigma: tf.Tensor2D } {
  const [B, T, F] = x.shape;
  const H = vars.enc_fw_uh!.shape[0]!;
  const flat = tf.reshape(x, [B * T, F]);
  const project = (w: tf.Variable, b: tf.Variable): tf.Tensor2D[] =>
    // Time-major before unstacking: wasm's Unpack along a middle axis is slow (strided copies).
    tf.unstack(tf.transpose(tf.reshape(tf.add(matMul(flat as tf.Tensor2D, w as tf.Tensor2D), b), [B, T, 3 * H]), [1, 0, 2])) as tf.Tensor2D[];
  const h0 = tf.zeros([B, H]) as tf.Tensor2D;
  const fw = runGru(project(vars.enc_fw_wx!, vars.enc_fw_b!), vars.enc_fw_uh as tf.Tensor2D, h0);
  const bw = runGru(project(vars.enc_bw_wx!, vars.enc_bw_b!).reverse(), vars.enc_bw_uh as tf.Tensor2D, h0);
  const last = tf.concat([fw[fw.length - 1]!, bw[bw.length - 1]!], 1);
  const mu = tf.add(matMul(last, vars.enc_mu_w as tf.Tensor2D), vars.enc_mu_b!) as tf.Tensor2D;
  const sigma = tf.softplus(tf.add(matMul(last, vars.enc_sigma_w as tf.Tensor2D), vars.enc_sigma_b!)) as tf.Tensor2D;
  return { mu, sigma };
}

/**
 * The decoder's step inputs from the events it is to read back: the window
 * shifted one step later, with zeros before the first step. `[B, T, F]`.
 */
export function previousSteps(x: tf.Tensor3D): tf.Tensor3D {
  const [B, T, F] = x.shape;
  return tf.concat([tf.zeros([B, 1, F]), tf.slice(x, [0, 0, 0], [B, T - 1, F])], 1) as tf.Tensor3D;
}

/**
 * Decoder pre-activations `[B, T, outputSize]` for latents `[B, Z]`.
 * @param previous for the autoregressive decoder, the events each step reads
 *   (`previousSteps(window)`, `[B, T, inputSize]`); ignored by the parallel one.
 * @throws Error when an autoregressive decoder is given no events.
 */
export function decode(vars: Variables, z: tf.Tensor2D, steps: number, previous?: tf.Tensor3D): tf.Tensor3D {
  const B = z.shape[0];
  const D = vars.dec_uh!.shape[0]!;
  const h0 = tf.tanh(tf.add(matMul(z, vars.dec_init_w as tf.Tensor2D), vars.dec_init_b!)) as tf.Tensor2D;
  const zProjected = tf.add(matMul(z, vars.dec_wz as tf.Tensor2D), vars.dec_b!);
  const positions = tf.unstack(vars.dec_pos!) as tf.Tensor1D[];
  let events: tf.Tensor2D[] | undefined;
  if (vars.dec_wx) {
    if (!previous) throw new Error('decode: an autoregressive decoder needs the previous steps\' events');
    const F = previous.shape[2];
    events = tf.unstack(tf.transpose(tf.reshape(matMul(tf.reshape(previous, [B * steps, F]) as tf.Tensor2D, vars.dec_wx as tf.Tensor2D), [B, steps, 3 * D]), [1, 0, 2])) as tf.Tensor2D[];
  }
  const projected: tf.Tensor2D[] = [];
  for (let t = 0; t < steps; t++) {
    const input = tf.add(zProjected, positions[t % POSITION_ROWS]!) as tf.Tensor2D;
    projected.push(events ? tf.add(input, events[t]!) : input);
  }
  const states = runGru(projected, vars.dec_uh as tf.Tensor2D, h0);
  const stacked = tf.reshape(tf.transpose(tf.stack(states, 0), [1, 0, 2]), [B * steps, D]) as tf.Tensor2D;
  const out = tf.add(matMul(stacked, vars.out_w as tf.Tensor2D), vars.out_b!);
  return tf.reshape(out, [B, steps, out.shape[1]!]) as tf.Tensor3D;
}

/**
 * The decoded event distribution a listener hears change: drums — the 9 hit
 * probabilities per step; melody — the 90 class probabilities per step.
 * Flattened to `[B, T · classes]`. Used by the flat regulariser and by the
 * interpolation-smoothness metric.
 */
export function eventProbabilities(config: ModelConfig, out: tf.Tensor3D): tf.Tensor2D {
  const [B, T] = out.shape;
  if (config.kind === 'drums') {
    return tf.reshape(tf.sigmoid(tf.slice(out, [0, 0, 0], [B, T, DRUM_CLASSES])), [B, T * DRUM_CLASSES]);
  }
  return tf.reshape(tf.softmax(tf.slice(out, [0, 0, 0], [B, T, MELODY_CLASSES])), [B, T * MELODY_CLASSES]);
}

/**
 * Reconstruction loss per window, summed over steps (mean over the batch):
 * drums — hit binary cross-entropy + squared velocity and offset errors on the
 * steps with a hit (GrooVAE); melody — class cross-entropy + squared velocity
 * error on note-ons.
 */
export function reconstructionLoss(config: ModelConfig, out: tf.Tensor3D, target: tf.Tensor3D): tf.Scalar {
  const [B, T] = out.shape;
  if (config.kind === 'drums') {
    const K = DRUM_CLASSES;
    const logits = tf.slice(out, [0, 0, 0], [B, T, K]);
    const hits = tf.slice(target, [0, 0, 0], [B, T, K]);
    // Stable binary cross-entropy with logits: max(x, 0) − x·y + log(1 + e^−|x|).
    const bce = tf.sum(tf.add(tf.sub(tf.relu(logits), tf.mul(logits, hits)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))))) as tf.Scalar;
    const vel = tf.sigmoid(tf.slice(out, [0, 0, K], [B, T, K]));
    const off = tf.mul(0.5, tf.tanh(tf.slice(out, [0, 0, 2 * K], [B, T, K])));
    const velErr = tf.sum(tf.mul(hits, tf.square(tf.sub(vel, tf.slice(target, [0, 0, K], [B, T, K])))));
    const offErr = tf.sum(tf.mul(hits, tf.square(tf.sub(off, tf.slice(target, [0, 0, 2 * K], [B, T, K])))));
    return tf.div(tf.add(bce, tf.add(velErr, offErr)), B) as tf.Scalar;
  }
  const C = MELODY_CLASSES;
  const logits = tf.slice(out, [0, 0, 0], [B, T, C]);
  const onehot = tf.slice(target, [0, 0, 0], [B, T, C]);
  const ce = tf.neg(tf.sum(tf.mul(onehot, tf.logSoftmax(logits))));
  const noteOn = tf.sum(tf.slice(onehot, [0, 0, 2], [B, T, C - 2]), 2, true);
  const vel = tf.sigmoid(tf.slice(out, [0, 0, C], [B, T, 1]));
  const velErr = tf.sum(tf.mul(noteOn, tf.square(tf.sub(vel, tf.slice(target, [0, 0, C], [B, T, 1])))));
  return tf.div(tf.add(ce, velErr), B) as tf.Scalar;
}

/** KL(N(μ, σ²) ‖ N(0, I)) per window, summed over latent dimensions: `[B]`. */
export function klDivergence(mu: tf.Tensor2D, sigma: tf.Tensor2D): tf.Tensor1D {
  const perDim = tf.sub(tf.mul(0.5, tf.add(tf.square(mu), tf.square(sigma))), tf.add(0.5, tf.log(tf.add(sigma, 1e-8))));
  return tf.sum(perDim, 1) as tf.Tensor1D;
}
