/**
 * Plain TypeScript kernels on Float32Arrays for batch-1 inference: a dense
 * layer and the GRU cell of models/training/graph.ts (the cuDNN "reset-after"
 * form without recurrent bias). No allocation: callers pass every buffer.
 */

/**
 * out[j] = b[j] + Σ_i x[i]·W[i, j], with W row-major `[inSize, outSize]`.
 * Zero inputs are skipped, which makes one-hot inputs cheap.
 * @param b bias (length outSize), or undefined for none.
 */
export function dense(x: Float32Array, w: Float32Array, b: Float32Array | undefined, out: Float32Array, inSize: number, outSize: number): void {
  if (b) out.set(b.subarray(0, outSize));
  else out.fill(0, 0, outSize);
  for (let i = 0; i < inSize; i++) {
    const xi = x[i]!;
    if (xi === 0) continue;
    const row = i * outSize;
    for (let j = 0; j < outSize; j++) out[j]! += xi * w[row + j]!;
  }
}

/** Logistic sigmoid. */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * One GRU step, in place on `h` (length H):
 *   [h_r, h_u, h_c] = h·U;  r = σ(x_r + h_r);  u = σ(x_u + h_u);
 *   c = tanh(x_c + r ⊙ h_c);  h ← u ⊙ h + (1 − u) ⊙ c
 * @param xProjected x·W + b for this step (length 3H).
 * @param u recurrent weights, row-major `[H, 3H]`.
 * @param scratch a buffer of length ≥ 3H.
 */
export function gruStep(xProjected: Float32Array, h: Float32Array, u: Float32Array, scratch: Float32Array, H: number): void {
  dense(h, u, undefined, scratch, H, 3 * H);
  for (let j = 0; j < H; j++) {
    const r = sigmoid(xProjected[j]! + scratch[j]!);
    const z = sigmoid(xProjected[H + j]! + scratch[H + j]!);
    const c = Math.tanh(xProjected[2 * H + j]! + r * scratch[2 * H + j]!);
    h[j] = c + z * (h[j]! - c);
  }
}
