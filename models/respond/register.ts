/**
 * Keeping a melodic answer in the call's register and free of stray leaps:
 * the model's decoder sometimes jumps an octave or more, and answers a high
 * call low. Each note keeps its pitch class; only its octave is chosen.
 */

/** How far from the call's mean pitch an answer may go, in semitones (an octave). */
export const REGISTER_SEMITONES = 12;
/** Larger intervals than this between consecutive notes are leaps (a fifth). */
export const MAX_STEP_SEMITONES = 7;

/**
 * The range an answer keeps to: the call's register (its mean pitch ± an
 * octave) within the pitch-range parameter's `[low, high]`; the parameter's
 * range alone when there is no call or the two do not overlap by an octave
 * (the parameter moves the answer then).
 */
export function answerRange(callMeanPitch: number | null, low: number, high: number): [number, number] {
  if (callMeanPitch === null || !Number.isFinite(callMeanPitch)) return [low, high];
  const lo = Math.max(low, Math.ceil(callMeanPitch - REGISTER_SEMITONES));
  const hi = Math.min(high, Math.floor(callMeanPitch + REGISTER_SEMITONES));
  return hi - lo >= 11 ? [lo, hi] : [low, high];
}

/**
 * The octave of `pitch` to play in `[lo, hi]`: the pitch itself when it lies
 * there and is no leap (> {@link MAX_STEP_SEMITONES}) from `previous`;
 * otherwise, of its octaves in range, the nearest to `previous` (without a
 * previous note, the nearest to the pitch itself). When no octave fits, the
 * pitch folded towards the range (the caller drops it if still outside).
 */
export function placeOctave(pitch: number, previous: number | null, lo: number, hi: number): number {
  if (pitch >= lo && pitch <= hi && (previous === null || Math.abs(pitch - previous) <= MAX_STEP_SEMITONES)) return pitch;
  const target = previous ?? pitch;
  let best = Number.NaN;
  for (let p = pitch - 12 * Math.ceil((pitch - lo) / 12); p <= hi; p += 12) {
    if (p < lo) continue;
    if (Number.isNaN(best) || Math.abs(p - target) < Math.abs(best - target) || (Math.abs(p - target) === Math.abs(best - target) && Math.abs(p - pitch) < Math.abs(best - pitch))) best = p;
  }
  if (!Number.isNaN(best)) return best;
  let folded = pitch;
  while (folded < lo) folded += 12;
  while (folded > hi) folded -= 12;
  return folded;
}
