/**
 * The shape of a recurrent VAE: what both the training graph (tfjs) and the
 * fast inference path (plain TypeScript) build from. One place holds the
 * defaults.
 */
import { DRUM_FEATURES } from '../representation/drums.ts';
import { MELODY_CLASSES } from '../representation/melody.ts';
import { STEPS_PER_BAR, WINDOW_STEPS } from '../representation/grid.ts';

/** What a model generates. */
export type ModelKind = 'drums' | 'melody';

/**
 * How the decoder reads its own output. 'autoregressive': each step's GRU
 * input also holds the previous step's events (teacher-forced in training,
 * its own choices when generating, as in MusicVAE). 'parallel': the input is
 * z and the position only, so all steps follow from z alone (the models of
 * 0.1; still loadable).
 */
export type DecoderKind = 'autoregressive' | 'parallel';

/** Sizes of a model. */
export interface ModelConfig {
  kind: ModelKind;
  /** Steps per window (default 32: 2 bars of 16th notes). */
  steps: number;
  /** Units of each direction of the bidirectional GRU encoder (default 128). */
  encoderUnits: number;
  /** Units of the GRU decoder (default 128). */
  decoderUnits: number;
  /** Latent dimensions (default 32). */
  latentSize: number;
  /** Whether each decoder step sees the previous step's events (default 'autoregressive'; files without the field are 'parallel'). */
  decoder: DecoderKind;
  /** Whether the flat-manifold regulariser was used in training (informational). */
  flat: boolean;
}

/** Default sizes; `kind` must be given. */
export function defaultConfig(kind: ModelKind, overrides: Partial<ModelConfig> = {}): ModelConfig {
  return { kind, steps: WINDOW_STEPS, encoderUnits: 128, decoderUnits: 128, latentSize: 32, decoder: 'autoregressive', flat: true, ...overrides };
}

/** Values per step fed to the encoder: drums 27 (hit, velocity, offset × 9); melody 91 (one-hot of 90 classes, velocity). */
export function inputSize(kind: ModelKind): number {
  return kind === 'drums' ? DRUM_FEATURES : MELODY_CLASSES + 1;
}

/** Values per step the decoder emits before its output nonlinearities (same layout as the input). */
export function outputSize(kind: ModelKind): number {
  return inputSize(kind);
}

/** Rows of the decoder's position table: the step within the bar. */
export const POSITION_ROWS = STEPS_PER_BAR;

/** Names and shapes of every parameter tensor, in storage order. */
export function parameterShapes(config: ModelConfig): Array<[string, number[]]> {
  const inSize = inputSize(config.kind);
  const H = config.encoderUnits;
  const D = config.decoderUnits;
  const Z = config.latentSize;
  return [
    ['enc_fw_wx', [inSize, 3 * H]],
    ['enc_fw_uh', [H, 3 * H]],
    ['enc_fw_b', [3 * H]],
    ['enc_bw_wx', [inSize, 3 * H]],
    ['enc_bw_uh', [H, 3 * H]],
    ['enc_bw_b', [3 * H]],
    ['enc_mu_w', [2 * H, Z]],
    ['enc_mu_b', [Z]],
    ['enc_sigma_w', [2 * H, Z]],
    ['enc_sigma_b', [Z]],
    ['dec_init_w', [Z, D]],
    ['dec_init_b', [D]],
    ['dec_wz', [Z, 3 * D]],
    ['dec_pos', [POSITION_ROWS, 3 * D]],
    ...(config.decoder === 'autoregressive' ? [['dec_wx', [inSize, 3 * D]] as [string, number[]]] : []),
    ['dec_uh', [D, 3 * D]],
    ['dec_b', [3 * D]],
    ['out_w', [D, outputSize(config.kind)]],
    ['out_b', [outputSize(config.kind)]],
    // Latent transition for `continue`: z_next = z · trans_w + trans_b (ridge regression on consecutive windows).
    ['trans_w', [Z, Z]],
    ['trans_b', [Z]],
  ];
}

/**
 * Reads a decoder kind; a missing one (`undefined`, files written before the
 * choice existed) is 'parallel'.
 * @param what how the value is named in the error, e.g. `config.decoder`.
 * @throws Error on any other value.
 */
export function parseDecoderKind(value: unknown, what: string): DecoderKind {
  const decoder = value ?? 'parallel';
  if (decoder !== 'autoregressive' && decoder !== 'parallel') throw new Error(`${what} must be 'autoregressive' or 'parallel', got ${JSON.stringify(value)}`);
  return decoder;
}

/** Checks a config read from a file. @throws Error naming the bad field. */
export function validateConfig(value: unknown): ModelConfig {
  const c = value as Partial<ModelConfig> | null;
  if (!c || typeof c !== 'object') throw new Error(`expected a model config object, got ${JSON.stringify(value)}`);
  if (c.kind !== 'drums' && c.kind !== 'melody') throw new Error(`config.kind must be 'drums' or 'melody', got ${JSON.stringify(c.kind)}`);
  for (const key of ['steps', 'encoderUnits', 'decoderUnits', 'latentSize'] as const) {
    const v = c[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new Error(`config.${key} must be a positive integer, got ${JSON.stringify(v)}`);
  }
  const decoder = parseDecoderKind(c.decoder, 'config.decoder');
  return { kind: c.kind, steps: c.steps!, encoderUnits: c.encoderUnits!, decoderUnits: c.decoderUnits!, latentSize: c.latentSize!, decoder, flat: Boolean(c.flat) };
}
