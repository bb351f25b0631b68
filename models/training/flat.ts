/**
 * Directions of the flat regulariser's finite difference (see trainer.ts):
 * the unit vectors v along which ‖J v‖² is measured at the mixup latents.
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
