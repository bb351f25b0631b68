/**
 * The rows a roll draws its notes in, top to bottom: piano keys (one row per
 * semitone, labelled at each C) or, with the drum model, the drum model's
 * named lanes (kick, snare, closed hat, …; protocol/drum-lanes.ts), plus an
 * "other" lane only when a hit's key belongs to no lane. Pure layout, no
 * drawing.
 */
import { DRUM_LANES, drumLaneOf } from '../../protocol/drum-lanes.ts';
import { midiNoteName } from './parameter-format.ts';

/** Pitch classes of the black keys (their rows are shaded). */
const BLACK_KEYS = new Set([1, 3, 6, 8, 10]);
/** Fewest semitones shown, so a short phrase does not fill the height with three fat rows. */
export const MIN_PITCH_SPAN = 24;

/** One row's label. */
export interface RowLabel {
  /** Row index, 0 at the top. */
  row: number;
  text: string;
  /** Lane id for drum lanes ('snare'), the note name for keys ('C4'). */
  id: string;
}

/** How pitches map to rows. */
export interface RollRows {
  kind: 'keys' | 'drums';
  /** Rows, top to bottom. */
  count: number;
  /** The labels the gutter shows. */
  labels: RowLabel[];
  /** Row of a pitch (0 at the top), or -1 when it is not shown. */
  rowOf(pitch: number): number;
  /** True for rows drawn shaded (black keys; every other drum lane). */
  shaded(row: number): boolean;
  /** True when a separator line goes under the row (below each C; between drum lanes). */
  lineBelow(row: number): boolean;
}

/** Piano-key rows covering `pitches` (two octaves at least, centred on middle C when empty). */
export function keyRows(pitches: Iterable<number>): RollRows {
  let low = 127;
  let high = 0;
  for (const p of pitches) {
    if (p < low) low = p;
    if (p > high) high = p;
  }
  if (low > high) {
    low = 48;
    high = 48 + MIN_PITCH_SPAN;
  } else {
    low -= 2;
    high += 2;
    if (high - low < MIN_PITCH_SPAN) {
      const middle = (low + high) / 2;
      low = Math.round(middle - MIN_PITCH_SPAN / 2);
      high = low + MIN_PITCH_SPAN;
    }
    low = Math.max(0, low);
    high = Math.min(127, high);
  }
  const labels: RowLabel[] = [];
  for (let p = low; p <= high; p++) if (p % 12 === 0) labels.push({ row: high - p, text: midiNoteName(p), id: midiNoteName(p) });
  return {
    kind: 'keys',
    count: high - low + 1,
    labels,
    rowOf: (pitch) => (pitch >= low && pitch <= high ? high - pitch : -1),
    shaded: (row) => BLACK_KEYS.has((high - row) % 12),
    lineBelow: (row) => (high - row) % 12 === 0,
  };
}

/** The drum model's lanes, and an "other" lane at the bottom when some pitch in `pitches` is in none. */
export function drumRows(pitches: Iterable<number>): RollRows {
  let other = false;
  for (const p of pitches) if (drumLaneOf(p) < 0) other = true;
  const labels: RowLabel[] = DRUM_LANES.map((lane, row) => ({ row, text: lane.label, id: lane.id }));
  if (other) labels.push({ row: DRUM_LANES.length, text: 'other', id: 'other' });
  return {
    kind: 'drums',
    count: labels.length,
    labels,
    rowOf: (pitch) => {
      const lane = drumLaneOf(pitch);
      return lane >= 0 ? lane : other ? DRUM_LANES.length : -1;
    },
    shaded: (row) => row % 2 === 1,
    lineBelow: () => true,
  };
}
