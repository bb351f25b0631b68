/**
 * The responder's anytime encoder: one warm latent per model for the phrase
 * being played (models/runtime/warm-latent.ts). Phrase updates (the notes so
 * far, sent by the processor about once a beat) refine it off the reply's
 * path; the request then starts from it and runs only the final steps. A
 * request for another phrase (another start beat) than the one warmed, or
 * with no update at all, falls back to the bounded refinement from the
 * posterior mean.
 */
import type { Phrase } from '../../protocol/phrase.ts';
import type { ModelRuntime } from '../runtime/index.ts';
import { WarmLatent, type AnytimeSchedule } from '../runtime/warm-latent.ts';

/** Phrase start beats closer than this are the same phrase. */
const SAME_START_BEATS = 1e-6;

/** One model's anytime encoder. Not re-entrant. */
export class AnytimeEncoder {
  private readonly model: ModelRuntime;
  private readonly warm: WarmLatent;
  /** Start beat of the phrase warmed, or NaN. */
  private startBeat = Number.NaN;

  /** @param schedule defaults `ANYTIME_DEFAULTS`. */
  constructor(model: ModelRuntime, schedule: Partial<AnytimeSchedule> = {}) {
    this.model = model;
    this.warm = new WarmLatent(model, schedule);
  }

  /** Beats of the current phrase refined on (0: none). */
  get refinedBeats(): number {
    return this.warm.refinedBeats;
  }

  /**
   * The phrase starting at `phraseStartBeat` has been played for
   * `phrase.lengthBeats` beats (notes in beats from its start, held ones cut
   * there): refines the warm latent on each whole beat not yet seen. A new
   * start beat, or `first` (the phrase's first update), starts a new search.
   * @returns the updates run.
   */
  update(phrase: Phrase, phraseStartBeat: number, first = false): number {
    if (first || !(Math.abs(phraseStartBeat - this.startBeat) < SAME_START_BEATS)) {
      this.warm.reset();
      this.startBeat = phraseStartBeat;
    }
    return this.warm.update(this.model.features(phrase), phrase.lengthBeats);
  }

  /** True when updates have warmed the phrase starting at `phraseStartBeat` (its encode starts from the warm latent). */
  warmFor(phraseStartBeat: number): boolean {
    return Math.abs(phraseStartBeat - this.startBeat) < SAME_START_BEATS && this.warm.refinedBeats > 0;
  }

  /**
   * The latent of the finished phrase starting at `phraseStartBeat`: from the
   * warm latent when updates warmed this phrase, else the bounded fallback.
   */
  encode(phrase: Phrase, phraseStartBeat: number): Float32Array {
    if (!(Math.abs(phraseStartBeat - this.startBeat) < SAME_START_BEATS)) this.warm.reset();
    this.startBeat = Number.NaN;
    return this.warm.finish(this.model.features(phrase), phrase.lengthBeats);
  }
}
