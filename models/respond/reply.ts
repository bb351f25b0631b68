/**
 * How an answer relates to the call it replies to (the `reply` parameter,
 * carried to the worker in the request's generation settings):
 *
 * - `variation` (the default): the call's latent moved by
 *   `variation` prior standard deviations at random, decoded — close to the
 *   call at low variation, an echo at 0.
 * - `continuation`: what comes next — the learned latent transition from the
 *   call's last 2 bars (the model's `continue`), decoded.
 * - `contrast`: an answer that differs on purpose — of
 *   {@link CONTRAST_CANDIDATES} latents drawn at least
 *   {@link CONTRAST_MIN_VARIATION} from the call's, the one whose onsets
 *   overlap the call's least, among those about as busy as the call.
 *
 * All three are then shaped alike (feel, register, key lock, density).
 */
import { REPLY_STRATEGIES, type ReplyStrategy } from '../../protocol/parameters.ts';
import type { Phrase } from '../../protocol/phrase.ts';
import { drumClassOf } from '../representation/drums.ts';
import { STEPS_PER_BEAT } from '../representation/grid.ts';

/** The reply strategies, in order: the `reply` parameter's choices (protocol/parameters.ts). */
export { REPLY_STRATEGIES, type ReplyStrategy };

/** The strategy at a `reply` parameter value (an index into {@link REPLY_STRATEGIES}); `variation` for anything else. */
export function replyStrategyAt(index: number): ReplyStrategy {
  return REPLY_STRATEGIES[index] ?? 'variation';
}

/** Candidates a contrasting answer is chosen from. */
export const CONTRAST_CANDIDATES = 4;
/** Smallest distance from the call's latent of a contrasting candidate, in prior standard deviations. */
export const CONTRAST_MIN_VARIATION = 0.6;

function onsets(phrase: Phrase, drums: boolean): Set<string> {
  const keys = new Set<string>();
  for (const n of phrase.notes) keys.add(`${Math.round(n.startBeats * STEPS_PER_BEAT)}:${drums ? drumClassOf(n.pitch) : n.pitch}`);
  return keys;
}

/**
 * How much a candidate answer sounds like the call (lower is more of a
 * contrast): the F1 of their (step, pitch or drum class) onsets, plus a
 * penalty for a note count far from the call's (half the absolute log ratio),
 * so a contrast is not merely emptier or busier.
 */
export function contrastScore(candidate: Phrase, call: Phrase, drums: boolean): number {
  const a = onsets(candidate, drums);
  const b = onsets(call, drums);
  let both = 0;
  for (const k of a) if (b.has(k)) both++;
  const f1 = a.size + b.size > 0 ? (2 * both) / (a.size + b.size) : 1;
  return f1 + 0.5 * Math.abs(Math.log((candidate.notes.length + 1) / (call.notes.length + 1)));
}
