/**
 * Training hyper-parameters: the options of the shipped recipes and their
 * defaults, in one place (`defaultTrainOptions`).
 */

/** The values of {@link FlatContext}, in the order errors list them. */
export const FLAT_CONTEXTS = ['dropped', 'clean'] as const;

/**
 * Which inputs the autoregressive decoder reads while it decodes the flat
 * regulariser's rows (`TrainOptions.flatContext`): the pair's first window
 * with the step's word dropout, as the reconstruction reads it, or the
 * window as it is, as the evaluation and the plugin read it.
 */
export type FlatContext = (typeof FLAT_CONTEXTS)[number];

/** Training hyper-parameters. */
export interface TrainOptions {
  /** Total optimisation steps (default 1500). */
  steps: number;
  /** Windows per step (default 64). */
  batchSize: number;
  /** Seed of every random choice (default 1). */
  seed: number;
  /** Adam learning rate at step 0; it decays exponentially to a tenth at the last step (default 2e-3). */
  learningRate: number;
  /** Final KL weight β, reached linearly over the first 30 % of steps (default 0.2). */
  beta: number;
  /** Free bits: KL below this many nats per window is not penalised (default 32). */
  freeBitsNats: number;
  /** Weight of the flat regulariser; 0 trains the plain VAE (default 5). */
  flatWeight: number;
  /** Finite-difference step ε of the flat regulariser, in latent units (default 0.1). */
  flatEpsilon: number;
  /** Mixup latents per step for the flat regulariser, capped at `batchSize − 1` (default 32). */
  flatBatch: number;
  /** Global gradient-norm clip (default 5). */
  clipNorm: number;
  /** Maximum transposition of melodies for augmentation, in semitones either way (default 6). */
  transposeSemitones: number;
  /**
   * Word dropout of the autoregressive decoder (Bowman et al. 2016): the
   * probability that a step's teacher-forced input (the previous step's
   * events) is blanked to zeros, so the decoder must lean on z and drifts
   * less when it reads back its own choices (default 0; ignored by the
   * parallel decoder).
   */
  inputDropout: number;
  /**
   * Share of the flat regulariser's finite-difference directions that point
   * along their own mixup pair instead of at random (flat.ts
   * `flatDirections`), 0 … 1 (default 0: all random).
   */
  flatPathShare: number;
  /**
   * Chords per interpolation of the flat regulariser's chord form (flat.ts
   * `chordPlan`): N > 0 decodes each pair at N + 1 evenly spaced points from
   * end to end and evens the N changes between neighbours, in place of the
   * ε finite difference (`flatPathShare` and `flatEpsilon` then do not
   * apply); N = 10 is the evaluation's grid (default 0: off).
   */
  flatChords: number;
  /**
   * The teacher-forced context of the flat rows with the autoregressive
   * decoder and word dropout (see {@link FlatContext}; default 'dropped').
   * Without word dropout the two are the same. The dropout draws are made
   * either way.
   */
  flatContext: FlatContext;
}

/** {@link TrainOptions} with its defaults, overridden by `overrides`. */
export function defaultTrainOptions(overrides: Partial<TrainOptions> = {}): TrainOptions {
  return {
    steps: 1500,
    batchSize: 64,
    seed: 1,
    learningRate: 2e-3,
    beta: 0.2,
    freeBitsNats: 32,
    flatWeight: 5,
    flatEpsilon: 0.1,
    flatBatch: 32,
    clipNorm: 5,
    transposeSemitones: 6,
    inputDropout: 0,
    flatPathShare: 0,
    flatChords: 0,
    flatContext: 'dropped',
    ...overrides,
  };
}
