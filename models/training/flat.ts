/**
 * Directions of the flat regulariser's finite difference (see trainer.ts):
 * the unit vectors v along which ‖J v‖² is measured at the mixup latents.
 */
import * as tf from '@tensorflow/tfjs';
import { parseChoice } from './args.ts';

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
 * windows `first[m]` and `second[m]` of the batch, z = b + α (a − b).
 *
 * With `points` = 1 every row has its own pair and its own α, and the loss
 * ({@link flatLoss}) asks ‖J v‖² to be the same over all rows. With
 * `points` = K > 1 the path rows (`pathShare` of M) come in groups of K
 * along one interpolation each, at stratified α = (k + u)/K, k = 0 … K−1:
 * the loss then also asks the speed along each interpolation to be the same
 * at its K points — the evenness the evaluation measures, where the decoder
 * otherwise changes slowly near the encoded ends (confident) and fast in
 * between.
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
  /** Groups of `points` path rows that share one interpolation; 0 with `points` = 1. */
  pathGroups: number;
  /** Points per group (1: no grouping). */
  points: number;
}

/**
 * Lays out the mixup latents (see {@link FlatPlan}).
 * @param rows mixup latents M; the batch must hold at least M + 1 windows.
 * @param points K, points per interpolation (1 … M).
 * @param pathShare share of rows along their own interpolation, 0 … 1.
 * @param draws M uniform draws in [0, 1): row m's α, or with K > 1 the group's offset u (its first row's draw).
 * @throws RangeError when K is not an integer in 1 … M, or K > 1 while fewer than K rows follow a path.
 */
export function flatPlan(rows: number, points: number, pathShare: number, draws: Float32Array): FlatPlan {
  if (!Number.isInteger(points) || points < 1 || points > Math.max(1, rows)) throw new RangeError(`flat path points must be an integer in 1 … ${rows}, got ${points}`);
  const first = Int32Array.from({ length: rows }, (_, m) => m);
  const second = Int32Array.from({ length: rows }, (_, m) => m + 1);
  const alpha = Float32Array.from(draws.subarray(0, rows));
  const wanted = Math.round(pathShare * rows);
  if (points === 1) return { first, second, alpha, pathRows: wanted, pathGroups: 0, points };
  const pathGroups = Math.floor(wanted / points);
  if (pathGroups === 0) throw new RangeError(`${points} flat path points need at least ${points} of the ${rows} mixup rows along a path, but the path share ${pathShare} gives ${wanted}: raise --flat-path`);
  for (let r = 0; r < pathGroups * points; r++) {
    const group = Math.floor(r / points);
    first[r] = group;
    second[r] = group + 1;
    alpha[r] = ((r % points) + draws[group * points]!) / points;
  }
  return { first, second, alpha, pathRows: pathGroups * points, pathGroups, points };
}

/** The group layout {@link flatLoss} reads: which of the q rows form groups along one interpolation. */
export type GroupLayout = Pick<FlatPlan, 'pathRows' | 'pathGroups' | 'points'>;

/**
 * q = ‖J v‖² of each row of a {@link FlatPlan} by the forward finite
 * difference, from the decoded distributions of its latents followed by those
 * a step ε along each direction (`[2M, D]`).
 */
export function epsilonSpeeds(probs: tf.Tensor2D, epsilon: number, plan: FlatPlan): { q: tf.Tensor1D; layout: GroupLayout } {
  const [p0, p1] = tf.split(probs, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
  return { q: tf.div(tf.sum(tf.square(tf.sub(p1, p0)), 1), epsilon ** 2) as tf.Tensor1D, layout: plan };
}

/** The values of the type below, in the order errors list them. */
const FLAT_CRITERIA = ['cv2', 'peak'] as const;

/**
 * How the flat loss scores the spread of q = ‖J v‖² within a group
 * (`TrainOptions.flatCriterion`):
 * - 'cv2' (default): the squared coefficient of variation of q,
 *   var(q) / mean(q)², which weighs every departure from the group's mean,
 *   below it as much as above;
 * - 'peak': the excess of a smooth maximum of the changes d = √q over their
 *   mean, Σₖ softmax(τ r)ₖ rₖ − mean(r) with r = d / mean(d) (mean(r) is 1
 *   but for a small guard against 0) and τ the sharpness
 *   (`TrainOptions.flatSharpness`): 0 for even steps, → max/mean − 1 as τ
 *   grows. It is the evaluation's max/mean neighbour change made
 *   differentiable, so it spends its gradient on each path's largest jump
 *   rather than on the small ones near its ends.
 */
export type FlatCriterion = (typeof FLAT_CRITERIA)[number];

/** Parses a `--flat-criterion` value; throws a clear error otherwise. */
export function parseFlatCriterion(value: unknown, option = '--flat-criterion'): FlatCriterion {
  return parseChoice(value, FLAT_CRITERIA, option);
}

/** The spread of q by a {@link FlatCriterion}: over a 1-D `x` (`axis` undefined), or along the last axis (`axis` 1) of a 2-D one. */
function spread(x: tf.Tensor, criterion: FlatCriterion, sharpness: number, axis?: number): tf.Tensor {
  if (criterion === 'peak') {
    // √(q + 1e-12): finite gradient where two neighbours decode alike.
    const d = tf.sqrt(tf.add(x, 1e-12));
    const r = tf.div(d, tf.add(tf.mean(d, axis, true), 1e-6));
    // Softmax over the last axis: the whole of a 1-D x, or each group of a 2-D one.
    const w = tf.softmax(tf.mul(sharpness, r));
    // Less the mean of r rather than 1, so the guard above cannot make it negative (the softmax-weighted mean is never below the plain one).
    return tf.sub(tf.sum(tf.mul(w, r), axis), tf.mean(r, axis));
  }
  const c = tf.mean(x, axis, true);
  return tf.div(tf.mean(tf.square(tf.sub(x, c)), axis), tf.add(tf.square(tf.squeeze(c, axis === undefined ? undefined : [axis])), 1e-6));
}

/**
 * The flat loss from q = ‖J v‖² of each mixup row (`[M]`), scale-free: the
 * criterion's spread (default the squared coefficient of variation,
 * var(q) / mean(q)²) over all rows (`points` = 1), or with groups, its mean
 * within the groups plus the same over the random-direction rows (when there
 * are at least 2).
 * @param sharpness τ of the 'peak' criterion (default 10).
 */
export function flatLoss(q: tf.Tensor1D, plan: GroupLayout, criterion: FlatCriterion = 'cv2', sharpness = 10): tf.Scalar {
  if (plan.pathGroups === 0) return spread(q, criterion, sharpness) as tf.Scalar;
  const path = tf.reshape(tf.slice(q, 0, plan.pathRows), [plan.pathGroups, plan.points]);
  let loss = tf.mean(spread(path, criterion, sharpness, 1));
  const rest = q.shape[0] - plan.pathRows;
  if (rest >= 2) loss = tf.add(loss, spread(tf.slice(q, plan.pathRows, rest), criterion, sharpness));
  return loss as tf.Scalar;
}

/**
 * The chord form of the grouped criterion (`TrainOptions.flatChords` N > 0):
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
  return { q, layout: { pathRows: groups * chords, pathGroups: groups, points: chords } };
}
