/**
 * Musical statistics of answers: what a musician hears in the MIDI, measured
 * on exchanges (a call, the answer to it, and the window that really came
 * next). Pure functions on {@link Phrase}s, so answers, calls and baselines
 * are measured alike:
 *
 * - `in_key`: share of notes in the Krumhansl–Schmuckler key of the call
 *   (models/respond/key.ts); melody only.
 * - `leap_share`: share of intervals between consecutive melody notes larger
 *   than a fifth (> 7 semitones); the line is read monophonically (of notes
 *   starting on one 16th step, the highest).
 * - `range`: highest minus lowest pitch of a window, semitones; mean over windows.
 * - `in_register`: share of answer notes within an octave of the call's mean pitch; melody only.
 * - `pitch_shift`: mean absolute difference between the answer's and the call's mean pitch, semitones; melody only.
 * - `notes_per_bar`: notes (hits) per bar.
 * - `velocity_sd`: standard deviation of MIDI velocities within a window; mean over windows of ≥ 2 notes.
 * - `timing_sd_ms`: standard deviation, within a window, of each onset's
 *   offset from its nearest 16th step, in milliseconds at the window's tempo; mean over windows of ≥ 2 notes.
 * - `copy_share`: share of answer notes that equal a call note in onset step and pitch (drums: drum class).
 * - `f1_to_call`: F1 of the answer's (step, pitch) onsets against the call's; mean over exchanges.
 * - `continue_f1`: F1 of the answer to window k against the real window k+1;
 *   `repeat_f1` the same for window k itself (the "play it again" guess).
 *
 * Shares are pooled (sums over all windows, then divided); per-window
 * figures are averaged over the windows that have them. A figure that does
 * not apply (no notes, drums for pitch figures) is null.
 */
import type { Phrase, PhraseNote } from '../../protocol/phrase.ts';
import { drumClassOf } from '../representation/drums.ts';
import { STEPS_PER_BEAT } from '../representation/grid.ts';
import { inKey, keyOfNotes } from '../respond/key.ts';

/** A leap is an interval larger than this, in semitones (a perfect fifth). */
export const LEAP_SEMITONES = 7;

/** One call, the answer to it, and the window that followed the call (null at a sequence's end). */
export interface Exchange {
  call: Phrase;
  answer: Phrase;
  next: Phrase | null;
}

/** The statistics of a set of exchanges (see the module doc). */
export interface MusicalStats {
  windows: number;
  notes_per_bar: number;
  velocity_sd: number | null;
  timing_sd_ms: number | null;
  in_key: number | null;
  leap_share: number | null;
  range: number | null;
  in_register: number | null;
  pitch_shift: number | null;
  copy_share: number | null;
  f1_to_call: number | null;
  continue_f1: number | null;
  repeat_f1: number | null;
}

/** Population standard deviation, or null for fewer than 2 values. */
export function standardDeviation(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
}

/** The 16th step an onset falls on (nearest). */
export function onsetStep(note: PhraseNote): number {
  return Math.round(note.startBeats * STEPS_PER_BEAT);
}

/** Offset of an onset from its nearest 16th step, in milliseconds at `tempoBpm`. */
export function gridOffsetMs(note: PhraseNote, tempoBpm: number): number {
  const steps = note.startBeats * STEPS_PER_BEAT;
  return ((steps - Math.round(steps)) * 60000) / tempoBpm / STEPS_PER_BEAT;
}

/** A melody line read monophonically: of notes starting on one step, the highest; sorted by start. */
export function melodyLine(notes: readonly PhraseNote[]): PhraseNote[] {
  const byStep = new Map<number, PhraseNote>();
  for (const n of notes) {
    const s = onsetStep(n);
    const held = byStep.get(s);
    if (!held || n.pitch > held.pitch) byStep.set(s, n);
  }
  return [...byStep.entries()].sort((a, b) => a[0] - b[0]).map(([, n]) => n);
}

/** Leaps (> {@link LEAP_SEMITONES}) and intervals between consecutive notes of a melody line. */
export function leapCounts(notes: readonly PhraseNote[]): { leaps: number; intervals: number } {
  const line = melodyLine(notes);
  let leaps = 0;
  for (let i = 1; i < line.length; i++) if (Math.abs(line[i]!.pitch - line[i - 1]!.pitch) > LEAP_SEMITONES) leaps++;
  return { leaps, intervals: Math.max(0, line.length - 1) };
}

/** Mean pitch of notes, or null without notes. */
export function meanPitch(notes: readonly PhraseNote[]): number | null {
  return notes.length > 0 ? notes.reduce((s, n) => s + n.pitch, 0) / notes.length : null;
}

/** Highest minus lowest pitch, semitones, or null without notes. */
export function pitchRange(notes: readonly PhraseNote[]): number | null {
  if (notes.length === 0) return null;
  let lo = Infinity;
  let hi = -Infinity;
  for (const n of notes) {
    lo = Math.min(lo, n.pitch);
    hi = Math.max(hi, n.pitch);
  }
  return hi - lo;
}

/** The onsets of notes as `step:pitch` keys (drums: `step:class`, unmapped keys by pitch). */
export function onsetKeys(notes: readonly PhraseNote[], drums: boolean): Set<string> {
  const keys = new Set<string>();
  for (const n of notes) {
    const cls = drums ? drumClassOf(n.pitch) : -1;
    keys.add(`${onsetStep(n)}:${cls >= 0 ? `c${cls}` : n.pitch}`);
  }
  return keys;
}

/** F1 of onsets `a` against onsets `b` (1 when both are empty, 0 when one is). */
export function onsetF1(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let both = 0;
  for (const k of a) if (b.has(k)) both++;
  return a.size + b.size > 0 ? (2 * both) / (a.size + b.size) : 0;
}

/** Accumulates exchanges; {@link MusicalAccumulator.summary} gives the statistics. */
export class MusicalAccumulator {
  private readonly drums: boolean;
  private windows = 0;
  private notes = 0;
  private bars = 0;
  private readonly velocitySds: number[] = [];
  private readonly timingSds: number[] = [];
  private inKeyNotes = 0;
  private keyedNotes = 0;
  private leaps = 0;
  private intervals = 0;
  private readonly ranges: number[] = [];
  private inRegister = 0;
  private registerNotes = 0;
  private readonly shifts: number[] = [];
  private copied = 0;
  private onsets = 0;
  private readonly f1s: number[] = [];
  private readonly continueF1s: number[] = [];
  private readonly repeatF1s: number[] = [];

  /** @param drums whether the phrases are drums (pitch figures are then null, onsets compare drum classes). */
  constructor(drums: boolean) {
    this.drums = drums;
  }

  /** Adds one exchange. */
  add({ call, answer, next }: Exchange): void {
    const notes = answer.notes;
    this.windows++;
    this.notes += notes.length;
    this.bars += answer.lengthBeats / answer.beatsPerBar;
    const vsd = standardDeviation(notes.map((n) => n.velocity));
    if (vsd !== null) this.velocitySds.push(vsd);
    const tsd = standardDeviation(notes.map((n) => gridOffsetMs(n, answer.tempoBpm)));
    if (tsd !== null) this.timingSds.push(tsd);
    if (!this.drums) {
      const key = keyOfNotes(call.notes);
      if (key >= 0) {
        this.keyedNotes += notes.length;
        this.inKeyNotes += notes.filter((n) => inKey(n.pitch, key)).length;
      }
      const { leaps, intervals } = leapCounts(notes);
      this.leaps += leaps;
      this.intervals += intervals;
      const range = pitchRange(notes);
      if (range !== null) this.ranges.push(range);
      const centre = meanPitch(call.notes);
      if (centre !== null) {
        this.registerNotes += notes.length;
        this.inRegister += notes.filter((n) => Math.abs(n.pitch - centre) <= 12).length;
        const answerCentre = meanPitch(notes);
        if (answerCentre !== null) this.shifts.push(Math.abs(answerCentre - centre));
      }
    }
    const answerKeys = onsetKeys(notes, this.drums);
    const callKeys = onsetKeys(call.notes, this.drums);
    // Copy share counts distinct onsets (two notes on one step and pitch are one onset).
    for (const k of answerKeys) if (callKeys.has(k)) this.copied++;
    this.onsets += answerKeys.size;
    this.f1s.push(onsetF1(answerKeys, callKeys));
    if (next && next.notes.length > 0) {
      const nextKeys = onsetKeys(next.notes, this.drums);
      this.continueF1s.push(onsetF1(answerKeys, nextKeys));
      this.repeatF1s.push(onsetF1(callKeys, nextKeys));
    }
  }

  /** The statistics so far (figures rounded to 4 decimals). */
  summary(): MusicalStats {
    const mean = (v: readonly number[]): number | null => (v.length > 0 ? round(v.reduce((s, x) => s + x, 0) / v.length) : null);
    const share = (a: number, b: number): number | null => (b > 0 ? round(a / b) : null);
    return {
      windows: this.windows,
      notes_per_bar: this.bars > 0 ? round(this.notes / this.bars) : 0,
      velocity_sd: mean(this.velocitySds),
      timing_sd_ms: mean(this.timingSds),
      in_key: this.drums ? null : share(this.inKeyNotes, this.keyedNotes),
      leap_share: this.drums ? null : share(this.leaps, this.intervals),
      range: this.drums ? null : mean(this.ranges),
      in_register: this.drums ? null : share(this.inRegister, this.registerNotes),
      pitch_shift: this.drums ? null : mean(this.shifts),
      copy_share: share(this.copied, this.onsets),
      f1_to_call: mean(this.f1s),
      continue_f1: mean(this.continueF1s),
      repeat_f1: mean(this.repeatF1s),
    };
  }
}

/** The statistics of exchanges in one call. */
export function musicalStats(exchanges: readonly Exchange[], drums: boolean): MusicalStats {
  const acc = new MusicalAccumulator(drums);
  for (const e of exchanges) acc.add(e);
  return acc.summary();
}

function round(v: number): number {
  return Math.round(v * 1e4) / 1e4;
}

/**
 * The first-order Markov baseline: a chain over the call's 16th steps (a
 * state is the set of onsets on a step, pitches or drum classes, with their
 * velocities, offsets and lengths; an empty step is a state too), fitted on
 * the call's transitions and walked from the call's first step for the
 * window's length. A state never left in the call jumps to a random step.
 * @param random uniform numbers in [0, 1).
 */
export function markovAnswer(call: Phrase, random: () => number, drums: boolean): Phrase {
  const steps = Math.round(call.lengthBeats * STEPS_PER_BEAT);
  const byStep: PhraseNote[][] = Array.from({ length: steps }, () => []);
  for (const n of call.notes) {
    const s = onsetStep(n);
    if (s >= 0 && s < steps) byStep[s]!.push(n);
  }
  const signature = (list: readonly PhraseNote[]): string => list.map((n) => (drums ? drumClassOf(n.pitch) : n.pitch)).sort((a, b) => a - b).join(',');
  const successors = new Map<string, number[]>();
  for (let s = 0; s + 1 < steps; s++) {
    const key = signature(byStep[s]!);
    const list = successors.get(key) ?? [];
    list.push(s + 1);
    successors.set(key, list);
  }
  const notes: PhraseNote[] = [];
  let source = 0;
  for (let t = 0; t < steps; t++) {
    for (const n of byStep[source]!) notes.push({ ...n, startBeats: n.startBeats + (t - source) / STEPS_PER_BEAT });
    const next = successors.get(signature(byStep[source]!));
    source = next ? next[Math.floor(random() * next.length)]! : Math.floor(random() * steps);
  }
  return { ...call, source: 'generated', notes };
}
