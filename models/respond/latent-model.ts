/**
 * What the responder needs of a generative model: encode a phrase to a
 * latent vector, decode a latent vector to a phrase. The shipped models'
 * runtime (models/runtime) provides it; tests may pass a small stand-in for
 * the code around it.
 */
import type { Phrase } from '../../protocol/phrase.ts';

export interface LatentModel {
  readonly kind: 'drums' | 'melody';
  /** Length of a latent vector. */
  readonly latentSize: number;
  /** Length of the model's window, in beats (2 bars of 4/4: 8). */
  readonly windowBeats: number;
  /** The posterior mean of a phrase (its first window). */
  encode(phrase: Phrase): Float32Array;
  /** A phrase of one window from a latent; `temperature` scales sampling, `random` draws uniforms in [0, 1). */
  decode(z: Float32Array, temperature: number, random: () => number): Phrase;
}
