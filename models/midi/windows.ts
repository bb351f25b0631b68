/**
 * Cutting a long phrase into consecutive 2-bar windows and joining windows
 * back, on the phrase's beat clock.
 */
import type { Phrase } from '../../protocol/phrase.ts';
import { STEPS_PER_BEAT, WINDOW_BEATS } from '../representation/grid.ts';

/**
 * Consecutive 2-bar windows of a phrase (8 beats each, the last one padded),
 * each shifted to start at 0. A note starting within half a step before a
 * window's start belongs to that window (it quantises onto its first step),
 * so played-early hits are not lost.
 */
export function cutWindows(phrase: Phrase): Phrase[] {
  const count = Math.max(1, Math.ceil(phrase.lengthBeats / WINDOW_BEATS - 1e-9));
  const halfStepBeats = 0.5 / STEPS_PER_BEAT;
  const windows: Phrase[] = [];
  for (let w = 0; w < count; w++) {
    const start = w * WINDOW_BEATS;
    const notes = phrase.notes
      .filter((n) => n.startBeats >= start - halfStepBeats && n.startBeats < start + WINDOW_BEATS - halfStepBeats)
      .map((n) => ({ ...n, startBeats: n.startBeats - start }));
    windows.push({ ...phrase, notes, lengthBeats: WINDOW_BEATS });
  }
  return windows;
}
