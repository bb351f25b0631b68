/**
 * Drum representation of GrooVAE (Gillick et al., "Learning to Groove with
 * Inverse Sequence Transformations", ICML 2019): General MIDI percussion
 * reduced to the 9 classes of MusicVAE's drum encoder, and per 16th step and
 * class three values: hit (0/1), velocity (0–1) and microtiming offset (the
 * distance to the grid in steps, −0.5…0.5, so the expressive timing is kept).
 */
import type { Phrase, PhraseNote } from '../../protocol/phrase.ts';
import { STEPS_PER_BEAT, WINDOW_STEPS } from './grid.ts';

/** Number of drum classes. */
export const DRUM_CLASSES = 9;
/** Values per step: hits, then velocities, then offsets (9 each). */
export const DRUM_FEATURES = 3 * DRUM_CLASSES;

/** Class names, in class order. */
export const DRUM_CLASS_NAMES = ['kick', 'snare', 'closed-hat', 'open-hat', 'low-tom', 'mid-tom', 'high-tom', 'crash', 'ride'] as const;

/**
 * The General MIDI keys of each class (MusicVAE `DEFAULT_DRUM_TYPE_PITCHES`,
 * which covers the Roland TD-11 keys of the Groove MIDI Dataset). The first key
 * of each list is the one written on the way out.
 */
export const DRUM_CLASS_PITCHES: readonly (readonly number[])[] = [
  [36, 35],
  [38, 27, 28, 31, 32, 33, 34, 37, 39, 40, 56, 65, 66, 75, 85],
  [42, 44, 54, 68, 69, 70, 71, 73, 78, 80, 22],
  [46, 67, 72, 74, 79, 81, 26],
  [45, 29, 41, 43, 61, 64, 84],
  [48, 47, 60, 63, 77, 86, 87],
  [50, 30, 62, 76, 83],
  [49, 52, 55, 57, 58],
  [51, 53, 59, 82],
];

const PITCH_TO_CLASS = new Int8Array(128).fill(-1);
DRUM_CLASS_PITCHES.forEach((pitches, cls) => pitches.forEach((p) => (PITCH_TO_CLASS[p] = cls)));

/** The drum class of a General MIDI key, or −1 when the key is not a mapped drum. */
export function drumClassOf(pitch: number): number {
  return Number.isInteger(pitch) && pitch >= 0 && pitch < 128 ? PITCH_TO_CLASS[pitch]! : -1;
}

/** Nominal length of a written drum hit, in beats (a 32nd note). */
export const DRUM_HIT_BEATS = 0.125;

/**
 * Quantises drum notes onto a grid of `steps` 16th steps, `steps × 27` values
 * (row-major: step, then [hits 9, velocities 9, offsets 9]). A note belongs
 * to its nearest step; when a class is hit twice in one step the louder hit is
 * kept (as GrooVAE does). Notes of unmapped keys and notes outside the grid
 * are dropped.
 * @param notes notes with starts in beats from the grid start.
 * @param steps grid length in steps (default one window, 32).
 */
export function drumsToGrid(notes: readonly PhraseNote[], steps: number = WINDOW_STEPS): Float32Array {
  const grid = new Float32Array(steps * DRUM_FEATURES);
  for (const note of notes) {
    const cls = drumClassOf(note.pitch);
    if (cls < 0) continue;
    const exactSteps = note.startBeats * STEPS_PER_BEAT;
    const step = Math.round(exactSteps);
    if (step < 0 || step >= steps) continue;
    const velocity = Math.min(127, Math.max(1, note.velocity)) / 127;
    const row = step * DRUM_FEATURES;
    if (grid[row + cls] === 1 && grid[row + DRUM_CLASSES + cls]! >= velocity) continue;
    grid[row + cls] = 1;
    grid[row + DRUM_CLASSES + cls] = velocity;
    // Math.round puts exact halves up, so offsets lie in [-0.5, 0.5).
    grid[row + 2 * DRUM_CLASSES + cls] = exactSteps - step;
  }
  return grid;
}

/**
 * Turns a drum grid back into notes (microtiming and velocity restored), in
 * beats from the grid start, sorted by start. A hit is any value ≥ 0.5.
 * @param grid `steps × 27` values as made by {@link drumsToGrid}.
 */
export function gridToDrums(grid: Float32Array): PhraseNote[] {
  const steps = Math.floor(grid.length / DRUM_FEATURES);
  const notes: PhraseNote[] = [];
  for (let step = 0; step < steps; step++) {
    const row = step * DRUM_FEATURES;
    for (let cls = 0; cls < DRUM_CLASSES; cls++) {
      if (grid[row + cls]! < 0.5) continue;
      const offset = Math.min(0.5, Math.max(-0.5, grid[row + 2 * DRUM_CLASSES + cls]!));
      const velocity = Math.round(Math.min(1, Math.max(0, grid[row + DRUM_CLASSES + cls]!)) * 127);
      notes.push({
        pitch: DRUM_CLASS_PITCHES[cls]![0]!,
        velocity: Math.min(127, Math.max(1, velocity)),
        startBeats: Math.max(0, (step + offset) / STEPS_PER_BEAT),
        durationBeats: DRUM_HIT_BEATS,
      });
    }
  }
  return notes.sort((a, b) => a.startBeats - b.startBeats || a.pitch - b.pitch);
}

/** The first window (2 bars) of a drum phrase as a grid. */
export function phraseToDrumGrid(phrase: Phrase): Float32Array {
  return drumsToGrid(phrase.notes, WINDOW_STEPS);
}

/**
 * A drum grid as a 2-bar phrase.
 * @param tempoBpm tempo to record in the phrase (default 120).
 */
export function drumGridToPhrase(grid: Float32Array, tempoBpm = 120, source: Phrase['source'] = 'generated'): Phrase {
  return { source, notes: gridToDrums(grid), lengthBeats: grid.length / DRUM_FEATURES / STEPS_PER_BEAT, tempoBpm, beatsPerBar: 4 };
}
