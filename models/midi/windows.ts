/**
 * Cutting a long phrase into 2-bar windows on the phrase's beat clock.
 */
import { WINDOW_LOOK_BACK_BEATS, type Beats, type Phrase } from '../../protocol/phrase.ts';
import { WINDOW_BEATS } from '../representation/grid.ts';

/** One window of a phrase: where it starts in the phrase, and its notes shifted to start at 0. */
export interface PhraseWindow {
  /** Start of the window in the phrase, in beats (a multiple of 8). */
  startBeats: Beats;
  /** The window's notes, shifted by `-startBeats`; `lengthBeats` is 8. */
  phrase: Phrase;
}

/**
 * The 2-bar windows of a phrase (8 beats each, on the grid 0, 8, 16, …)
 * that hold at least one note, in order; empty windows are skipped, so the
 * count is at most the note count whatever the phrase's length. A note
 * starting within half a step before a window's start
 * ({@link WINDOW_LOOK_BACK_BEATS}) belongs to that window (it quantises onto
 * its first step), so played-early hits are not lost;
 * notes before −½ step or in the last half step of the phrase are dropped.
 */
export function cutWindows(phrase: Phrase): PhraseWindow[] {
  const count = Math.max(1, Math.ceil(phrase.lengthBeats / WINDOW_BEATS - 1e-9));
  const byWindow = new Map<number, Phrase['notes']>();
  for (const n of phrase.notes) {
    const w = Math.floor((n.startBeats + WINDOW_LOOK_BACK_BEATS) / WINDOW_BEATS);
    if (w < 0 || w >= count) continue;
    let notes = byWindow.get(w);
    if (!notes) byWindow.set(w, (notes = []));
    notes.push({ ...n, startBeats: n.startBeats - w * WINDOW_BEATS });
  }
  return [...byWindow.keys()]
    .sort((a, b) => a - b)
    .map((w) => ({ startBeats: w * WINDOW_BEATS, phrase: { ...phrase, notes: byWindow.get(w)!, lengthBeats: WINDOW_BEATS } }));
}
