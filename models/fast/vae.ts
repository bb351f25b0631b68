/**
 * The recurrent VAE's inference path in plain TypeScript (batch 1), fed from
 * the same weights as the tfjs graph in models/training/graph.ts and tested
 * to agree with it. A stock tfjs RNN spends most of its time dispatching ops;
 * the arithmetic of a 32-step pass is only ~3 M multiply-adds, which plain
 * loops do in a few milliseconds with no tensors to manage.
 */
import { inputSize, outputSize, POSITION_ROWS, type ModelConfig } from '../core/config.ts';
import type { ModelWeights, Parameters } from '../core/weights.ts';
import { stepChooser, type StepChooser } from '../representation/features.ts';
import { dense, denseTransposed, gruStep, transpose, type DenseTransposed } from './kernels.ts';
import { createWasmArena } from './wasm-arena.ts';

/** Posterior of one window: mean and standard deviation, each of latentSize values. */
export interface Posterior {
  mu: Float32Array;
  sigma: Float32Array;
}

/** Options of {@link FastVae.decode}. */
export interface DecodeOptions {
  /** Chooses each step's events (default: deterministic, `stepChooser(kind)`). An autoregressive decoder reads them back at the next step. */
  choose?: StepChooser;
  /** Where the chosen events are written (`steps × inputSize`; default: an internal buffer). */
  events?: Float32Array;
  /**
   * Teacher forcing: the autoregressive decoder reads these events
   * (`steps × inputSize`, e.g. a real window) instead of its own choices, and
   * nothing is chosen — the step distributions given a fixed sequence.
   */
  teacher?: Float32Array;
}

/** Encoder and decoder of one model, with preallocated scratch buffers. Not re-entrant. */
export class FastVae {
  readonly config: ModelConfig;
  private readonly p: Parameters;
  private readonly hFw: Float32Array;
  private readonly hBw: Float32Array;
  private readonly hDec: Float32Array;
  private readonly xProj: Float32Array;
  private readonly scratch: Float32Array;
  private readonly both: Float32Array;
  private readonly zProj: Float32Array;
  /** The previous step's events projected into the decoder's gates (autoregressive decoders). */
  private readonly eventProj: Float32Array;
  /** Chosen events when the caller gives no buffer. */
  private readonly ownEvents: Float32Array;
  private readonly greedy: StepChooser;
  // Recurrent and output matrices, transposed once for the dot-product kernel.
  private readonly fwUT: Float32Array;
  private readonly bwUT: Float32Array;
  private readonly decUT: Float32Array;
  private readonly outWT: Float32Array;
  private readonly outB: Float32Array;
  /** One decoded step's outputs, before they are copied into the caller's buffer. */
  private readonly outRow: Float32Array;
  private readonly matVec: DenseTransposed;
  /** Which kernel runs the recurrent and output matrices: WebAssembly SIMD where it compiles, else JavaScript. */
  readonly kernel: 'wasm-simd' | 'js';

  /**
   * @param weights parameters as read by `parseWeights`.
   * @param options `simd: false` forces the JavaScript kernels (default: WebAssembly SIMD when available).
   */
  constructor(weights: ModelWeights, options: { simd?: boolean } = {}) {
    this.config = weights.config;
    this.p = weights.params;
    const H = this.config.encoderUnits;
    const D = this.config.decoderUnits;
    const O = outputSize(this.config.kind);
    const wide = 3 * Math.max(H, D);
    // Everything the matrix kernel reads or writes lives in one arena, sized for exactly these.
    const matrices = [
      transpose(this.p.enc_fw_uh!, H, 3 * H), transpose(this.p.enc_bw_uh!, H, 3 * H),
      transpose(this.p.dec_uh!, D, 3 * D), transpose(this.p.out_w!, D, O), this.p.out_b!,
    ];
    const bufferLengths = [O, H, H, D, wide];
    const arena = options.simd === false ? null : createWasmArena([...matrices.map((m) => m.length), ...bufferLengths]);
    this.kernel = arena ? 'wasm-simd' : 'js';
    this.matVec = arena ? arena.denseTransposed.bind(arena) : denseTransposed;
    [this.fwUT, this.bwUT, this.decUT, this.outWT, this.outB] = matrices.map((m) => (arena ? arena.copy(m) : m)) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    [this.outRow, this.hFw, this.hBw, this.hDec, this.scratch] = bufferLengths.map((n) => (arena ? arena.alloc(n) : new Float32Array(n))) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    this.xProj = new Float32Array(wide);
    this.both = new Float32Array(2 * H);
    this.zProj = new Float32Array(3 * D);
    this.eventProj = new Float32Array(3 * D);
    this.ownEvents = new Float32Array(this.config.steps * O);
    this.greedy = stepChooser(this.config.kind);
  }

  /** Whether each decoder step reads the previous step's events. */
  get autoregressive(): boolean {
    return this.p.dec_wx !== undefined;
  }

  /**
   * Posterior of a window of model inputs (`steps × inputSize` floats).
   * @throws RangeError when the input has the wrong length.
   */
  encode(features: Float32Array): Posterior {
    const { steps, encoderUnits: H, latentSize: Z } = this.config;
    const F = inputSize(this.config.kind);
    if (features.length !== steps * F) throw new RangeError(`encode: expected ${steps} × ${F} = ${steps * F} input values, got ${features.length}`);
    const p = this.p;
    this.hFw.fill(0);
    this.hBw.fill(0);
    for (let t = 0; t < steps; t++) {
      dense(features.subarray(t * F, (t + 1) * F), p.enc_fw_wx!, p.enc_fw_b!, this.xProj, F, 3 * H);
      gruStep(this.xProj, this.hFw, this.fwUT, this.scratch, H, this.matVec);
    }
    for (let t = steps - 1; t >= 0; t--) {
      dense(features.subarray(t * F, (t + 1) * F), p.enc_bw_wx!, p.enc_bw_b!, this.xProj, F, 3 * H);
      gruStep(this.xProj, this.hBw, this.bwUT, this.scratch, H, this.matVec);
    }
    this.both.set(this.hFw, 0);
    this.both.set(this.hBw, H);
    const mu = new Float32Array(Z);
    const sigma = new Float32Array(Z);
    dense(this.both, p.enc_mu_w!, p.enc_mu_b!, mu, 2 * H, Z);
    dense(this.both, p.enc_sigma_w!, p.enc_sigma_b!, sigma, 2 * H, Z);
    // softplus, written to stay finite for large inputs.
    for (let k = 0; k < Z; k++) sigma[k] = Math.max(sigma[k]!, 0) + Math.log1p(Math.exp(-Math.abs(sigma[k]!)));
    return { mu, sigma };
  }

  /**
   * Decoder pre-activations for a latent: `steps × outputSize` floats (drums:
   * hit logits, velocity and offset pre-activations; melody: 90 class logits
   * and a velocity pre-activation). Each step's events are chosen as it is
   * decoded (see {@link DecodeOptions}); an autoregressive decoder's later
   * steps depend on those choices.
   * @param out optional buffer to write into.
   * @throws RangeError when z or a buffer has the wrong length.
   */
  decode(z: Float32Array, out?: Float32Array, options: DecodeOptions = {}): Float32Array {
    const { steps, decoderUnits: D, latentSize: Z } = this.config;
    if (z.length !== Z) throw new RangeError(`decode: expected a latent of ${Z} values, got ${z.length}`);
    const O = outputSize(this.config.kind);
    const result = out ?? new Float32Array(steps * O);
    const events = options.events ?? this.ownEvents;
    const { teacher } = options;
    for (const [name, buffer] of [['out', result], ['events', events], ['teacher', teacher]] as const) {
      if (buffer && buffer.length !== steps * O) throw new RangeError(`decode: ${name} must hold ${steps} × ${O} = ${steps * O} values, got ${buffer.length}`);
    }
    const choose = options.choose ?? this.greedy;
    const p = this.p;
    const eventW = p.dec_wx;
    dense(z, p.dec_init_w!, p.dec_init_b!, this.hDec, Z, D);
    for (let j = 0; j < D; j++) this.hDec[j] = Math.tanh(this.hDec[j]!);
    dense(z, p.dec_wz!, p.dec_b!, this.zProj, Z, 3 * D);
    const pos = p.dec_pos!;
    for (let t = 0; t < steps; t++) {
      const row = (t % POSITION_ROWS) * 3 * D;
      for (let j = 0; j < 3 * D; j++) this.xProj[j] = this.zProj[j]! + pos[row + j]!;
      if (eventW && t > 0) {
        // The first step reads no events (zeros), as in training.
        const previous = (teacher ?? events).subarray((t - 1) * O, t * O);
        dense(previous, eventW, undefined, this.eventProj, O, 3 * D);
        for (let j = 0; j < 3 * D; j++) this.xProj[j]! += this.eventProj[j]!;
      }
      gruStep(this.xProj, this.hDec, this.decUT, this.scratch, D, this.matVec);
      this.matVec(this.hDec, this.outWT, this.outB, this.outRow, D, O);
      result.set(this.outRow, t * O);
      if (!teacher) choose(result, t * O, events, t * O);
    }
    return result;
  }

  /** The learned latent transition: the latent of the next 2 bars, z·W + b. */
  next(z: Float32Array): Float32Array {
    const Z = this.config.latentSize;
    const out = new Float32Array(Z);
    dense(z, this.p.trans_w!, this.p.trans_b!, out, Z, Z);
    return out;
  }
}
