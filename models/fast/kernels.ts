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

/**
 * out[j] = b[j] + Σ_i x[i]·Wᵀ[j, i], with the weights stored transposed
 * (`[outSize, inSize]`, see {@link transpose}) so each output is one
 * contiguous dot product kept in registers — about twice as fast in JS
 * engines as accumulating into the output row by row, for dense inputs.
 */
export function denseTransposed(x: Float32Array, wT: Float32Array, b: Float32Array | undefined, out: Float32Array, inSize: number, outSize: number): void {
  const n4 = inSize - (inSize % 4);
  for (let j = 0; j < outSize; j++) {
    const base = j * inSize;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let i = 0;
    for (; i < n4; i += 4) {
      s0 += x[i]! * wT[base + i]!;
      s1 += x[i + 1]! * wT[base + i + 1]!;
      s2 += x[i + 2]! * wT[base + i + 2]!;
      s3 += x[i + 3]! * wT[base + i + 3]!;
    }
    for (; i < inSize; i++) s0 += x[i]! * wT[base + i]!;
    out[j] = (b ? b[j]! : 0) + s0 + s1 + s2 + s3;
  }
}

/** The signature of {@link denseTransposed}, which the WebAssembly arena's kernel shares. */
export type DenseTransposed = (x: Float32Array, wT: Float32Array, b: Float32Array | undefined, out: Float32Array, inSize: number, outSize: number) => void;

/** The transpose of a row-major `[rows, cols]` matrix. */
export function transpose(w: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = w[r * cols + c]!;
  return t;
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
 * @param uT recurrent weights U `[H, 3H]`, transposed (`[3H, H]`, see {@link transpose}).
 * @param scratch a buffer of length ≥ 3H.
 * @param matVec the kernel for h·U (default the JavaScript {@link denseTransposed}).
 */
export function gruStep(xProjected: Float32Array, h: Float32Array, uT: Float32Array, scratch: Float32Array, H: number, matVec: DenseTransposed = denseTransposed): void {
  matVec(h, uT, undefined, scratch, H, 3 * H);
  for (let j = 0; j < H; j++) {
    const r = sigmoid(xProjected[j]! + scratch[j]!);
    const z = sigmoid(xProjected[H + j]! + scratch[H + j]!);
    const c = Math.tanh(xProjected[2 * H + j]! + r * scratch[2 * H + j]!);
    h[j] = c + z * (h[j]! - c);
  }
}
