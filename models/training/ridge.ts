/**
 * Ridge regression by the normal equations, for the latent transition that
 * `continue` reads (trainer.ts `fitTransition`).
 */

/**
 * Solves min ‖[X 1]·[W; b] − Y‖² + λ‖W‖² (the bias b is not penalised) by
 * the normal equations, with Gauss–Jordan elimination and partial pivoting
 * in float64.
 * @param xs rows of X, each of length Z.
 * @param ys rows of Y, each of length Z, as many as `xs`.
 * @param lambda the ridge weight λ ≥ 0.
 * @returns W (`Z × Z`, row-major: z_next = z·W + b) and b (`Z`).
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
