/**
 * The flat regulariser's geometry and loss (see trainer.ts): where its mixup
 * latents lie, the unit directions v along which ‖J v‖² is measured, the
 * chord form's grid, and the scale-free loss over the measured speeds.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * Unit directions for `M` mixup latents z = b + α (a − b).
 * The first `pathCount` rows point along their own interpolation, (a − b) /
 * ‖a − b‖ — the direction an interpolation between the pair travels, which
 * is where the evaluation measures evenness; the other rows are `random`
 * (already unit vectors, `M × Z`), which spreads the constraint G(z) ≈ c·I
 * over every direction. Both are directions of the same criterion: G = c·I
 * holds exactly when ‖J v‖² = c for every unit v.
 * @param a first end of each pair, `[M, Z]`.
 * @param b second end of each pair, `[M, Z]`.
 * @param random host-side random unit directions, `M × Z` floats.
 * @param pathCount rows (from the first) that follow the pair; 0 … M.
 */
export function flatDirections(a: tf.Tensor2D, b: tf.Tensor2D, random: Float32Array, pathCount: number): tf.Tensor2D {
  const [M, Z] = a.shape;
  const randomDirections = tf.tensor2d(random, [M, Z]);
  if (pathCount <= 0) return randomDirections;
  const difference = tf.sub(a, b);
  const path = tf.div(difference, tf.sqrt(tf.add(tf.sum(tf.square(difference), 1, true), 1e-12)));
  const mask = tf.tensor2d(Float32Array.from({ length: M }, (_, m) => (m < pathCount ? 1 : 0)), [M, 1]);
  return tf.add(tf.mul(mask, path), tf.mul(tf.sub(1, mask), randomDirections)) as tf.Tensor2D;
}

/**
 * Where the flat regulariser's `M` mixup latents lie: row m mixes encoded
 * windows `first[m]` and `second[m]` of the batch, z = b + α (a − b), each
 * row with its own pair and α; the loss ({@link flatLoss}) asks ‖J v‖² to
 * be the same over all rows.
 */
export interface FlatPlan {
  /** Batch row of each mixup latent's first end a, `M` entries. */
  first: Int32Array;
  /** Batch row of each mixup latent's second end b, `M` entries. */
  second: Int32Array;
  /** Mixing weight α of each row, in [0, 1). */
  alpha: Float32Array;
  /** Rows (from the first) whose direction follows their pair; the rest are random. */
  pathRows: number;
}

/**
 * Lays out the mixup latents (see {@link FlatPlan}): row m mixes batch
 * windows m and m + 1.
 * @param rows mixup latents M; the batch must hold at least M + 1 windows.
 * @param pathShare share of rows along their own interpolation, 0 … 1.
 * @param draws M uniform draws in [0, 1), the rows' α.
 */
export function flatPlan(rows: number, pathShare: number, draws: Float32Array): FlatPlan {
  const first = Int32Array.from({ length: rows }, (_, m) => m);
  const second = Int32Array.from({ length: rows }, (_, m) => m + 1);
  const alpha = Float32Array.from(draws.subarray(0, rows));
  return { first, second, alpha, pathRows: Math.round(pathShare * rows) };
}

/** Rows of q that form groups along one interpolation each, for {@link flatLoss}: `groups × size`, group-major. */
export interface GroupLayout {
  groups: number;
  size: number;
}

/**
 * q = ‖J v‖² of each row of a {@link FlatPlan} by the forward finite
 * difference, from the decoded distributions of its latents followed by those
 * a step ε along each direction (`[2M, D]`).
 */
export function epsilonSpeeds(probs: tf.Tensor2D, epsilon: number): tf.Tensor1D {
  const [p0, p1] = tf.split(probs, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
  return tf.div(tf.sum(tf.square(tf.sub(p1, p0)), 1), epsilon ** 2) as tf.Tensor1D;
}

/**
 * The squared coefficient of variation var(x) / mean(x)² (a 1e−6 guard in
 * the denominator): over a 1-D `x` (`axis` undefined), or along the last
 * axis (`axis` 1) of a 2-D one.
 */
function spread(x: tf.Tensor, axis?: number): tf.Tensor {
  const c = tf.mean(x, axis, true);
  return tf.div(tf.mean(tf.square(tf.sub(x, c)), axis), tf.add(tf.square(tf.squeeze(c, axis === undefined ? undefined : [axis])), 1e-6));
}

/**
 * The flat loss from q = ‖J v‖² of each mixup row (`[M]`), scale-free: the
 * squared coefficient of variation over all rows, or with a `layout`, its
 * mean within the groups.
 */
export function flatLoss(q: tf.Tensor1D, layout?: GroupLayout): tf.Scalar {
  if (!layout) return spread(q) as tf.Scalar;
  return tf.mean(spread(tf.reshape(q, [layout.groups, layout.size]), 1)) as tf.Scalar;
}

/**
 * The chord form of the flat criterion (`TrainOptions.flatChords` N > 0):
 * each of `groups` interpolations is decoded at N + 1 evenly spaced points
 * from its first end (α = 1, the window the decoder is teacher-forced on) to
 * its second (α = 0) — the evaluation's own grid at N = 10 — and the loss
 * compares the N chords between neighbours, q_k = ‖f(z_{k+1}) − f(z_k)‖²
 * (the finite difference of the flat criterion with ε one grid step along
 * the path, so it sees every bump between the points, not the speed at a
 * few). No random directions.
 */
export interface ChordPlan {
  /** Batch row of each latent's first end a, `groups × (chords + 1)` entries. */
  first: Int32Array;
  /** Batch row of each latent's second end b. */
  second: Int32Array;
  /** Mixing weight α of each latent: 1, 1 − 1/N, …, 0 within each group. */
  alpha: Float32Array;
  /** Interpolations per step. */
  groups: number;
  /** Chords N per interpolation. */
  chords: number;
}

/**
 * Lays out the chord form's latents (see {@link ChordPlan}) in the decoder
 * rows the finite-difference form would use (`2 · rows`), group g between
 * batch windows g and g + 1.
 * @param rows the flat batch M; 2M decoder rows are shared out.
 * @param chords N, chords per interpolation (≥ 2).
 * @throws RangeError when N is not an integer ≥ 2 or 2M rows hold no group of N + 1 points.
 */
export function chordPlan(rows: number, chords: number): ChordPlan {
  if (!Number.isInteger(chords) || chords < 2) throw new RangeError(`flat chords must be an integer ≥ 2, got ${chords}`);
  const groups = Math.floor((2 * rows) / (chords + 1));
  if (groups === 0) throw new RangeError(`${chords} flat chords need ${chords + 1} decoder rows, but the flat batch ${rows} gives ${2 * rows}: raise the flat batch or lower --flat-chords`);
  const n = groups * (chords + 1);
  const first = new Int32Array(n);
  const second = new Int32Array(n);
  const alpha = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    const group = Math.floor(r / (chords + 1));
    first[r] = group;
    second[r] = group + 1;
    alpha[r] = 1 - (r % (chords + 1)) / chords;
  }
  return { first, second, alpha, groups, chords };
}

/**
 * q of each chord (`[groups · N]`, group-major) from the decoded
 * distributions of a {@link ChordPlan}'s latents (`[groups · (N + 1), D]`),
 * with the group layout {@link flatLoss} reads.
 */
export function chordSpeeds(probs: tf.Tensor2D, plan: ChordPlan): { q: tf.Tensor1D; layout: GroupLayout } {
  const { groups, chords } = plan;
  const grid = tf.reshape(probs, [groups, chords + 1, probs.shape[1]]);
  const step = tf.sub(tf.slice(grid, [0, 1, 0], [groups, chords, -1]), tf.slice(grid, [0, 0, 0], [groups, chords, -1]));
  const q = tf.reshape(tf.sum(tf.square(step), 2), [groups * chords]) as tf.Tensor1D;
  return { q, layout: { groups, size: chords } };
}
