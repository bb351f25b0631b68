/**
 * The key of a phrase from its notes: Krumhansl–Schmuckler key finding with
 * the Krumhansl & Kessler (1982) probe-tone profiles (C. Krumhansl,
 * "Cognitive Foundations of Musical Pitch", 1990). The pitch-class histogram,
 * each note weighted by its duration, is correlated (Pearson) with the 24
 * rotated profiles; the best match is the key. Key indices follow the audio
 * key tracker's (dsp/features/key-tracker.ts): 0–11 = C … B major, 12–23 =
 * C … B minor, −1 unknown.
 */
import type { PhraseNote } from '../../protocol/phrase.ts';

const MAJOR = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
const MINOR = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];

/** Pitch classes of a major key, relative to its tonic. */
const MAJOR_SCALE = [0, 2, 4, 5, 7, 9, 11];
/** Pitch classes of a minor key, relative to its tonic: natural minor with the raised 6th and 7th of the melodic and harmonic forms. */
const MINOR_SCALE = [0, 2, 3, 5, 7, 8, 9, 10, 11];

function correlation(a: readonly number[], b: readonly number[]): number {
  const ma = a.reduce((s, v) => s + v, 0) / a.length;
  const mb = b.reduce((s, v) => s + v, 0) / b.length;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - ma) * (b[i]! - mb);
    da += (a[i]! - ma) ** 2;
    db += (b[i]! - mb) ** 2;
  }
  return da > 0 && db > 0 ? num / Math.sqrt(da * db) : 0;
}

/**
 * The Krumhansl–Schmuckler key of notes (durations in beats weight them;
 * drum notes make no sense here). Ties go to the lower index (major before
 * minor, C first).
 * @returns a key index 0–23, or −1 when there are no notes.
 */
export function keyOfNotes(notes: readonly PhraseNote[]): number {
  const histogram = new Array<number>(12).fill(0);
  for (const n of notes) histogram[((Math.round(n.pitch) % 12) + 12) % 12] += Math.max(n.durationBeats, 1e-3);
  if (histogram.every((v) => v === 0)) return -1;
  let best = -1;
  let bestScore = -Infinity;
  for (let key = 0; key < 24; key++) {
    const profile = key < 12 ? MAJOR : MINOR;
    const tonic = key % 12;
    const rotated = Array.from({ length: 12 }, (_, pc) => profile[(pc - tonic + 12) % 12]!);
    const score = correlation(histogram, rotated);
    if (score > bestScore + 1e-12) {
      bestScore = score;
      best = key;
    }
  }
  return best;
}

/** Whether a pitch lies in a key (see {@link keyOfNotes} for indices; minor keys admit the raised 6th and 7th). */
export function inKey(pitch: number, key: number): boolean {
  if (key < 0) return false;
  const relative = (((Math.round(pitch) - (key % 12)) % 12) + 12) % 12;
  return (key < 12 ? MAJOR_SCALE : MINOR_SCALE).includes(relative);
}
