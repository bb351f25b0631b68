/**
 * Axis ticks for the session browser's plots: time in seconds from the
 * session start (labelled `m:ss`, or `s.s s` for short sessions) and pitch
 * (labelled with note names, C4 = MIDI 60). Pure functions of the range and
 * the space they have, in CSS pixels.
 */
import { formatDuration } from './format.ts';

/** One tick: where along its axis (CSS pixels from the plot's left or top edge) and its label. */
export interface AxisTick {
  position: number;
  label: string;
}

/** Time steps a tick may take, seconds. */
const TIME_STEPS_S = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200];
/** Pitch steps a tick may take, semitones (divisors and multiples of an octave, so C is always labelled). */
const PITCH_STEPS = [1, 2, 3, 4, 6, 12, 24, 36];
/** Least distance between two time labels, CSS pixels. */
export const MIN_TIME_TICK_PX = 56;
/** Least distance between two pitch labels, CSS pixels. */
export const MIN_PITCH_TICK_PX = 13;

const NOTE_NAMES = ['C', 'C♯', 'D', 'D♯', 'E', 'F', 'F♯', 'G', 'G♯', 'A', 'A♯', 'B'];

/** A MIDI pitch as a note name with its octave (60 → `C4`, 61 → `C♯4`). */
export function pitchName(pitch: number): string {
  return `${NOTE_NAMES[((pitch % 12) + 12) % 12]}${Math.floor(pitch / 12) - 1}`;
}

/** A time tick's label: `m:ss` from a one-second step on, else seconds with one decimal. */
export function timeLabel(seconds: number, stepS: number): string {
  return stepS >= 1 ? formatDuration(seconds + 1e-9) : `${seconds.toFixed(1)} s`;
}

/**
 * Ticks from 0 to `durationS` over `widthPx`, the smallest step that keeps
 * labels {@link MIN_TIME_TICK_PX} apart.
 */
export function timeTicks(durationS: number, widthPx: number): AxisTick[] {
  const span = durationS > 0 ? durationS : 1;
  const step = TIME_STEPS_S.find((s) => (s / span) * widthPx >= MIN_TIME_TICK_PX) ?? Math.ceil(span / 3600) * 3600;
  const ticks: AxisTick[] = [];
  for (let i = 0; i * step <= span + 1e-9; i++) {
    const t = i * step;
    ticks.push({ position: (t / span) * widthPx, label: timeLabel(t, step) });
  }
  return ticks;
}

/**
 * Ticks for the pitches `low`…`high` drawn as rows of `rowHeightPx`, bottom
 * to top (position is the row's vertical centre from the top). The step is
 * the smallest that keeps labels {@link MIN_PITCH_TICK_PX} apart; every C is
 * among them.
 */
export function pitchTicks(low: number, high: number, rowHeightPx: number): AxisTick[] {
  const step = PITCH_STEPS.find((s) => s * rowHeightPx >= MIN_PITCH_TICK_PX) ?? 48;
  const ticks: AxisTick[] = [];
  for (let p = low; p <= high; p++) {
    if (p % step !== 0) continue;
    ticks.push({ position: (high - p + 0.5) * rowHeightPx, label: pitchName(p) });
  }
  return ticks;
}
