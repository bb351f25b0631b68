/**
 * Latent refinement: a few steps of gradient descent on z that make the
 * decoder reproduce one given window better than the encoder's posterior mean
 * does (iterative or "semi-amortized" inference; Kim et al. 2018, Marino et
 * al. 2018). The encoder is trained to approximate, in one pass, the latent
 * that explains a window; on held-out windows that approximation is the
 * weakest link (the amortization gap) — the decoder can reproduce a window far
 * better from a latent found by search than from μ.
 *
 * Objective, minimised from z₀ = μ:
 *   L(z) = reconstruction loss of the window given z  +  (λ/2)·|z|²
 * where the reconstruction loss is the training loss of models/training/graph.ts
 * (drums: hit cross-entropy + squared velocity and offset errors on hits;
 * melody: class cross-entropy + squared velocity error on note-ons; an
 * autoregressive decoder teacher-forced on the window itself) and the second
 * term is λ times the negative log-density of the N(0, I) prior, which keeps
 * z where the decoder was trained.
 *
 * The gradient ∂L/∂z is exact: backpropagation through the decoder's 32 GRU
 * steps, hand-written on the weights of the fast path (tested against tfjs's
 * automatic gradient of the training graph). Steps are Adam's. Each call
 * allocates only two latent-sized arrays (the moving z and the returned best
 * one); it runs in the worker, never on the audio thread.
 */
import { inputSize, outputSize, POSITION_ROWS, type ModelConfig } from '../core/config.ts';
import type { ModelWeights, Parameters } from '../core/weights.ts';
import { DRUM_CLASSES } from '../representation/drums.ts';
import { MELODY_CLASSES } from '../representation/melody.ts';
import { dense, denseTransposed, sigmoid, transpose, type DenseTransposed } from './kernels.ts';
import { createWasmArena } from './wasm-arena.ts';

/** Options of {@link LatentRefiner.refine}. */
export interface RefineOptions {
  /** Gradient steps (default 40; 0 returns z₀ unchanged). */
  steps?: number;
  /** Adam step size, in latent units (default 0.3). */
  learningRate?: number;
  /** λ, the weight of the prior term (λ/2)·|z|² (default 0.1; 1 is the full N(0, I) log-density). */
  priorWeight?: number;
  /**
   * Steps of the window that count in the loss: the first `playedSteps`
   * (default: all). The rest is not yet played — unknown, not silence — so it
   * neither pulls z nor costs time (the decoder stops there).
   */
  playedSteps?: number;
  /**
   * Adam's moments, carried from one call to the next so a search that
   * resumes on a longer window continues where it stopped (updated in place;
   * default: a fresh start).
   */
  state?: AdamState;
}

/** Adam's moment estimates and step count, carried between {@link LatentRefiner.refine} calls. */
export interface AdamState {
  /** First moment, latentSize values. */
  m: Float32Array;
  /** Second moment, latentSize values. */
  v: Float32Array;
  /** Steps taken so far (bias correction). */
  step: number;
}

/** A fresh {@link AdamState} for a latent of `latentSize` values. */
export function freshAdamState(latentSize: number): AdamState {
  return { m: new Float32Array(latentSize), v: new Float32Array(latentSize), step: 0 };
}

/** Defaults of {@link RefineOptions}, measured on the validation splits (docs/models.md). */
export const REFINE_DEFAULTS: Readonly<Required<Omit<RefineOptions, 'playedSteps' | 'state'>>> = { steps: 40, learningRate: 0.3, priorWeight: 0.1 };

/** Gradient descent on the latent of one window, for one model. Not re-entrant. */
export class LatentRefiner {
  readonly config: ModelConfig;
  private readonly p: Parameters;
  private readonly T: number;
  private readonly D: number;
  private readonly Z: number;
  private readonly O: number;
  /** U transposed (`[3D, D]`), for h·U with the dot-product kernel; U itself (`[D, 3D]`) is the layout of the backward product. */
  private readonly uT: Float32Array;
  private readonly u: Float32Array;
  /** W_out transposed (`[O, D]`), for h·W_out; W_out itself for the backward product. */
  private readonly outT: Float32Array;
  private readonly outW: Float32Array;
  private readonly outB: Float32Array;
  private readonly matVec: DenseTransposed;
  /** Which kernel runs the four big products: WebAssembly SIMD where it compiles, else JavaScript. */
  readonly kernel: 'wasm-simd' | 'js';
  /** Per step: position row + projected previous events + bias, the part of the GRU input that does not depend on z (`T × 3D`). */
  private readonly constInput: Float32Array;
  // Forward states kept for the backward pass, `T × D` (hPrev, r, u, c, h_c) and `T × O` (outputs and the loss gradient with respect to them).
  private readonly hPrev: Float32Array;
  private readonly rGate: Float32Array;
  private readonly uGate: Float32Array;
  private readonly cand: Float32Array;
  private readonly hc: Float32Array;
  private readonly outputs: Float32Array;
  private readonly h0: Float32Array;
  private readonly h: Float32Array;
  private readonly x: Float32Array;
  private readonly zProj: Float32Array;
  private readonly hu: Float32Array;
  private readonly dOutputs: Float32Array;
  /** The window being refined towards (set by {@link prepare}). */
  private target: Float32Array = new Float32Array(0);
  /** Steps of the target that count (set by {@link prepare}). */
  private played = 0;
  private readonly dh: Float32Array;
  private readonly dhTmp: Float32Array;
  private readonly dGates: Float32Array;
  private readonly dXSum: Float32Array;
  private readonly dz: Float32Array;
  private readonly dzTmp: Float32Array;
  private readonly m: Float32Array;
  private readonly v: Float32Array;

  /** @param options `simd: false` forces the JavaScript kernels (default: WebAssembly SIMD when available). */
  constructor(weights: ModelWeights, options: { simd?: boolean } = {}) {
    this.config = weights.config;
    this.p = weights.params;
    const { steps: T, decoderUnits: D, latentSize: Z } = this.config;
    const O = outputSize(this.config.kind);
    this.T = T;
    this.D = D;
    this.Z = Z;
    this.O = O;
    // What the matrix kernel reads or writes lives in one WebAssembly arena where SIMD compiles (as in FastVae).
    const matrices = [transpose(this.p.dec_uh!, D, 3 * D), this.p.dec_uh!, transpose(this.p.out_w!, D, O), this.p.out_w!, this.p.out_b!];
    const bufferLengths = [D, 3 * D, T * O, T * O, D, 3 * D];
    const arena = options.simd === false ? null : createWasmArena([...matrices.map((m) => m.length), ...bufferLengths]);
    this.kernel = arena ? 'wasm-simd' : 'js';
    this.matVec = arena ? arena.denseTransposed.bind(arena) : denseTransposed;
    [this.uT, this.u, this.outT, this.outW, this.outB] = matrices.map((m) => (arena ? arena.copy(m) : m)) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    [this.h, this.hu, this.outputs, this.dOutputs, this.dhTmp, this.dGates] = bufferLengths.map((n) => (arena ? arena.alloc(n) : new Float32Array(n))) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    this.constInput = new Float32Array(T * 3 * D);
    [this.hPrev, this.rGate, this.uGate, this.cand, this.hc] = [0, 0, 0, 0, 0].map(() => new Float32Array(T * D)) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    [this.h0, this.dh] = [0, 0].map(() => new Float32Array(D)) as [Float32Array, Float32Array];
    [this.x, this.zProj, this.dXSum] = [0, 0, 0].map(() => new Float32Array(3 * D)) as [Float32Array, Float32Array, Float32Array];
    [this.dz, this.dzTmp, this.m, this.v] = [0, 0, 0, 0].map(() => new Float32Array(Z)) as [Float32Array, Float32Array, Float32Array, Float32Array];
  }

  /**
   * Refines z₀ towards the latent that best explains `window`.
   * @param window the model inputs of the window (`steps × inputSize`), as given to `FastVae.encode`.
   * @param z0 the starting latent, usually the posterior mean (not modified).
   * @returns the refined latent; z₀'s copy when `steps` is 0 or the gradient is not finite.
   * @throws RangeError when a length or an option is out of range.
   */
  refine(window: Float32Array, z0: Float32Array, options: RefineOptions = {}): Float32Array {
    const { steps, learningRate, priorWeight } = { ...REFINE_DEFAULTS, ...options };
    const played = options.playedSteps ?? this.T;
    const F = inputSize(this.config.kind);
    if (window.length !== this.T * F) throw new RangeError(`refine: expected ${this.T} × ${F} = ${this.T * F} input values, got ${window.length}`);
    if (z0.length !== this.Z) throw new RangeError(`refine: expected a latent of ${this.Z} values, got ${z0.length}`);
    if (!(Number.isInteger(steps) && steps >= 0)) throw new RangeError(`refine: steps must be a whole number ≥ 0, got ${steps}`);
    if (!(learningRate > 0) || !(priorWeight >= 0)) throw new RangeError(`refine: learningRate must be > 0 and priorWeight ≥ 0, got ${learningRate} and ${priorWeight}`);
    if (!(Number.isInteger(played) && played >= 1 && played <= this.T)) throw new RangeError(`refine: playedSteps must be a whole number in 1…${this.T}, got ${played}`);
    const { state } = options;
    if (state && (state.m.length !== this.Z || state.v.length !== this.Z || !(state.step >= 0))) throw new RangeError(`refine: the Adam state must hold two latents of ${this.Z} values and a step count ≥ 0`);
    const z = Float32Array.from(z0);
    if (steps === 0) return z;
    this.prepare(window, played);
    const m = state ? state.m : this.m.fill(0);
    const v = state ? state.v : this.v.fill(0);
    const first = state ? state.step : 0;
    const beta1 = 0.9;
    const beta2 = 0.999;
    const best = Float32Array.from(z);
    let bestLoss = Infinity;
    for (let s = 1; s <= steps + 1; s++) {
      const loss = this.objective(z, priorWeight);
      if (!Number.isFinite(loss)) break;
      if (loss < bestLoss) {
        bestLoss = loss;
        best.set(z);
      }
      if (s > steps) break;
      const c1 = 1 - beta1 ** (first + s);
      const c2 = 1 - beta2 ** (first + s);
      for (let k = 0; k < this.Z; k++) {
        const g = this.dz[k]!;
        m[k] = beta1 * m[k]! + (1 - beta1) * g;
        v[k] = beta2 * v[k]! + (1 - beta2) * g * g;
        z[k]! -= (learningRate * (m[k]! / c1)) / (Math.sqrt(v[k]! / c2) + 1e-7);
      }
      if (state) state.step++;
    }
    return best;
  }

  /**
   * The objective at z: the reconstruction loss of `window`'s first
   * `playedSteps` steps + (λ/2)·|z|² (defaults as {@link refine}), to compare
   * starting points.
   * @throws RangeError when a length or an option is out of range.
   */
  objectiveAt(window: Float32Array, z: Float32Array, options: Pick<RefineOptions, 'priorWeight' | 'playedSteps'> = {}): number {
    const played = options.playedSteps ?? this.T;
    const priorWeight = options.priorWeight ?? REFINE_DEFAULTS.priorWeight;
    const F = inputSize(this.config.kind);
    if (window.length !== this.T * F || z.length !== this.Z) throw new RangeError(`objectiveAt: expected ${this.T * F} input values and a latent of ${this.Z}, got ${window.length} and ${z.length}`);
    if (!(Number.isInteger(played) && played >= 1 && played <= this.T)) throw new RangeError(`objectiveAt: playedSteps must be a whole number in 1…${this.T}, got ${played}`);
    return this.lossAndGradient(window, z, priorWeight, played);
  }

  /**
   * The objective at z (reconstruction loss of `window` + (λ/2)·|z|²) and its
   * gradient, left in {@link gradient} — exposed for the gradient test.
   * @internal
   */
  lossAndGradient(window: Float32Array, z: Float32Array, priorWeight: number, playedSteps = this.T): number {
    this.prepare(window, playedSteps);
    return this.objective(z, priorWeight);
  }

  /** The objective and its gradient (into `dz`) for the window the last {@link prepare} call read. */
  private objective(z: Float32Array, priorWeight: number): number {
    const loss = this.forward(z);
    this.backward();
    let prior = 0;
    for (let k = 0; k < this.Z; k++) {
      prior += z[k]! * z[k]!;
      this.dz[k]! += priorWeight * z[k]!;
    }
    return loss + 0.5 * priorWeight * prior;
  }

  /** The gradient of the last {@link lossAndGradient} call (length latentSize; overwritten by the next). */
  get gradient(): Float32Array {
    return this.dz;
  }

  /**
   * Keeps `window` as the target and fills the z-independent part of each
   * step's GRU input: bias + position + (autoregressive) the previous step's
   * events, teacher-forced. Only the first `played` steps are run and scored.
   */
  private prepare(window: Float32Array, played: number): void {
    const { D, O, p } = this;
    const T = played;
    this.target = window;
    this.played = played;
    const W3 = 3 * D;
    const eventW = p.dec_wx;
    const pos = p.dec_pos!;
    for (let t = 0; t < T; t++) {
      const row = this.constInput.subarray(t * W3, (t + 1) * W3);
      if (eventW && t > 0) dense(window.subarray((t - 1) * O, t * O), eventW, p.dec_b!, row, O, W3);
      else row.set(p.dec_b!);
      const posRow = (t % POSITION_ROWS) * W3;
      for (let j = 0; j < W3; j++) row[j]! += pos[posRow + j]!;
    }
  }

  /**
   * Runs the decoder teacher-forced, keeping what the backward pass needs
   * (gates, states and each step's loss gradient); returns the reconstruction loss.
   */
  private forward(z: Float32Array): number {
    const { D, Z, O, p } = this;
    const T = this.played;
    const W3 = 3 * D;
    dense(z, p.dec_init_w!, p.dec_init_b!, this.h0, Z, D);
    for (let j = 0; j < D; j++) this.h0[j] = Math.tanh(this.h0[j]!);
    this.h.set(this.h0);
    dense(z, p.dec_wz!, undefined, this.zProj, Z, W3);
    let loss = 0;
    for (let t = 0; t < T; t++) {
      const base = t * D;
      this.hPrev.set(this.h, base);
      for (let j = 0; j < W3; j++) this.x[j] = this.zProj[j]! + this.constInput[t * W3 + j]!;
      this.matVec(this.h, this.uT, undefined, this.hu, D, W3);
      for (let j = 0; j < D; j++) {
        const r = sigmoid(this.x[j]! + this.hu[j]!);
        const u = sigmoid(this.x[D + j]! + this.hu[D + j]!);
        const hcj = this.hu[2 * D + j]!;
        const c = Math.tanh(this.x[2 * D + j]! + r * hcj);
        this.rGate[base + j] = r;
        this.uGate[base + j] = u;
        this.cand[base + j] = c;
        this.hc[base + j] = hcj;
        this.h[j] = c + u * (this.h[j]! - c);
      }
      const out = this.outputs.subarray(t * O, (t + 1) * O);
      this.matVec(this.h, this.outT, this.outB, out, D, O);
      loss += stepLoss(this.config.kind, out, this.target.subarray(t * O, (t + 1) * O), this.dOutputs.subarray(t * O, (t + 1) * O));
    }
    return loss;
  }

  /** Backpropagates the reconstruction loss of the last forward pass into `dz`. */
  private backward(): void {
    const { D, Z, O, p } = this;
    const T = this.played;
    const W3 = 3 * D;
    this.dh.fill(0);
    this.dXSum.fill(0);
    for (let t = T - 1; t >= 0; t--) {
      const base = t * D;
      // h_t·W_out: the gradient into h_t is W_out·dOut (W_out row-major [D, O] is the transposed layout of this product).
      this.matVec(this.dOutputs.subarray(t * O, (t + 1) * O), this.outW, undefined, this.dhTmp, O, D);
      for (let j = 0; j < D; j++) this.dh[j]! += this.dhTmp[j]!;
      for (let j = 0; j < D; j++) {
        const r = this.rGate[base + j]!;
        const u = this.uGate[base + j]!;
        const c = this.cand[base + j]!;
        const hp = this.hPrev[base + j]!;
        const g = this.dh[j]!;
        const dcPre = g * (1 - u) * (1 - c * c);
        const dr = dcPre * this.hc[base + j]!;
        const dPreR = dr * r * (1 - r);
        const dPreU = g * (hp - c) * u * (1 - u);
        this.dGates[j] = dPreR;
        this.dGates[D + j] = dPreU;
        this.dGates[2 * D + j] = dcPre;
        this.dXSum[j]! += dPreR;
        this.dXSum[D + j]! += dPreU;
        this.dXSum[2 * D + j]! += dcPre;
        this.dh[j] = g * u; // the direct path h_{t−1} → h_t
      }
      // The recurrent path: h_{t−1}·U gets [dPreR, dPreU, dcPre ⊙ r] (U row-major [D, 3D] is the transposed layout).
      for (let j = 0; j < D; j++) this.dGates[2 * D + j]! *= this.rGate[base + j]!;
      this.matVec(this.dGates, this.u, undefined, this.dhTmp, W3, D);
      for (let j = 0; j < D; j++) this.dh[j]! += this.dhTmp[j]!;
    }
    // z enters through every step's input (z·W_z) and the initial state tanh(z·W_init + b).
    denseTransposed(this.dXSum, p.dec_wz!, undefined, this.dz, W3, Z);
    for (let j = 0; j < D; j++) this.dh[j]! *= 1 - this.h0[j]! * this.h0[j]!;
    denseTransposed(this.dh, p.dec_init_w!, undefined, this.dzTmp, D, Z);
    for (let k = 0; k < Z; k++) this.dz[k]! += this.dzTmp[k]!;
  }
}

/**
 * One step's reconstruction loss (as models/training/graph.ts `reconstructionLoss`);
 * its gradient with respect to the step's outputs is written into `grad`.
 */
function stepLoss(kind: ModelConfig['kind'], out: Float32Array, target: Float32Array, grad: Float32Array): number {
  let loss = 0;
  if (kind === 'drums') {
    const K = DRUM_CLASSES;
    for (let k = 0; k < K; k++) {
      const x = out[k]!;
      const y = target[k]!;
      loss += Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x)));
      const vel = sigmoid(out[K + k]!);
      const off = 0.5 * Math.tanh(out[2 * K + k]!);
      const dv = vel - target[K + k]!;
      const dOff = off - target[2 * K + k]!;
      loss += y * (dv * dv + dOff * dOff);
      grad[k] = sigmoid(x) - y;
      grad[K + k] = y * 2 * dv * vel * (1 - vel);
      grad[2 * K + k] = y * 2 * dOff * (0.5 - 2 * off * off);
    }
    return loss;
  }
  const C = MELODY_CLASSES;
  let max = -Infinity;
  for (let c = 0; c < C; c++) max = Math.max(max, out[c]!);
  let sum = 0;
  for (let c = 0; c < C; c++) sum += Math.exp(out[c]! - max);
  const logSum = max + Math.log(sum);
  let noteOn = 0;
  for (let c = 0; c < C; c++) {
    loss -= target[c]! * (out[c]! - logSum);
    if (c >= 2) noteOn += target[c]!;
  }
  const vel = sigmoid(out[C]!);
  const dv = vel - target[C]!;
  loss += noteOn * dv * dv;
  let targetSum = 0;
  for (let c = 0; c < C; c++) targetSum += target[c]!;
  for (let c = 0; c < C; c++) grad[c] = targetSum * Math.exp(out[c]! - logSum) - target[c]!;
  grad[C] = noteOn * 2 * dv * vel * (1 - vel);
  return loss;
}
