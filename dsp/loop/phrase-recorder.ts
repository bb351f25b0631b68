/**
 * Records the performer's notes (from MIDI, or from notes and drum hits found
 * in the audio) on the beat clock, in preallocated arrays, and hands out the
 * notes of a window as a packed array. No allocation after construction.
 */
import { WINDOW_LOOK_BACK_BEATS } from '../../protocol/phrase.ts';
import type { Beats } from './transport-clock.ts';

/** Numbers per note in a packed phrase: pitch, velocity, start (beats from the window start), duration (beats). */
export const PACKED_NOTE_STRIDE = 4;

/** Nominal length of a drum hit, in beats (a 32nd note). */
export const DRUM_HIT_BEATS = 0.125;

export class PhraseRecorder {
  /** Most notes held at once; older notes are dropped first when full. */
  readonly capacity: number;
  private readonly pitch: Int16Array;
  private readonly velocity: Uint8Array;
  private readonly start: Float64Array;
  /** End beat, or NaN while the note is held. */
  private readonly end: Float64Array;
  private count = 0;
  private held = 0;
  /** Beat of the latest note-on or note-off (a late arrival recorded at its own earlier beat does not move it back), or -Infinity. */
  lastActivityBeat: Beats = -Infinity;
  /** Notes dropped because the recorder was full. */
  dropped = 0;
  /** Note-ons, note-offs and hits refused because their beat was not finite (a NaN beat would stall phrase detection for good). */
  refused = 0;

  constructor(capacity = 1024) {
    this.capacity = capacity;
    this.pitch = new Int16Array(capacity);
    this.velocity = new Uint8Array(capacity);
    this.start = new Float64Array(capacity);
    this.end = new Float64Array(capacity);
  }

  /** Notes recorded and not yet taken. */
  get noteCount(): number {
    return this.count;
  }

  /** Notes still held. */
  get heldCount(): number {
    return this.held;
  }

  /** Start beat of the earliest recorded note, or NaN when empty. */
  get firstStartBeat(): Beats {
    return this.count > 0 ? this.start[0] : Number.NaN;
  }

  /** Start beat of the latest recorded note, or NaN when empty. */
  get lastStartBeat(): Beats {
    let last = Number.NaN;
    for (let i = 0; i < this.count; i++) if (i === 0 || this.start[i] > last) last = this.start[i];
    return last;
  }

  /**
   * The start of the window (a multiple of `gridBeats`: a bar, or a beat)
   * that a note starting at `beat` belongs to: the grid line at or before it,
   * or the next one when the note starts at most {@link WINDOW_LOOK_BACK_BEATS}
   * before that line (a downbeat played a little early, or a rounding error).
   */
  static windowStartOf(beat: Beats, gridBeats: Beats): Beats {
    return Math.floor((beat + WINDOW_LOOK_BACK_BEATS) / gridBeats) * gridBeats;
  }

  /** A note starts at `beat`; refused (and counted) when `beat` is not finite. */
  noteOn(pitch: number, velocity: number, beat: Beats): void {
    if (!Number.isFinite(beat)) {
      this.refused++;
      return;
    }
    if (this.count === this.capacity) this.removeAt(0, true);
    const i = this.count++;
    this.pitch[i] = pitch;
    this.velocity[i] = velocity;
    this.start[i] = beat;
    this.end[i] = Number.NaN;
    this.held++;
    this.lastActivityBeat = Math.max(this.lastActivityBeat, beat);
  }

  /** The oldest held note of `pitch` ends at `beat`; refused (and counted) when `beat` is not finite. */
  noteOff(pitch: number, beat: Beats): void {
    if (!Number.isFinite(beat)) {
      this.refused++;
      return;
    }
    // The oldest held note of this pitch ends (MIDI note-off semantics).
    for (let i = 0; i < this.count; i++) {
      if (this.pitch[i] === pitch && Number.isNaN(this.end[i])) {
        this.end[i] = Math.max(beat, this.start[i]);
        this.held--;
        this.lastActivityBeat = Math.max(this.lastActivityBeat, beat);
        return;
      }
    }
  }

  /** A drum hit: a short note that needs no note-off. */
  hit(pitch: number, velocity: number, beat: Beats): void {
    if (!Number.isFinite(beat)) {
      this.refused++;
      return;
    }
    this.noteOn(pitch, velocity, beat);
    this.noteOff(pitch, beat + DRUM_HIT_BEATS);
  }

  /**
   * Writes the notes of the window [fromBeat, toBeat) into `out` (packed,
   * starts relative to `fromBeat`, held notes cut at `toBeat`) and returns
   * how many were written (at most `out.length / 4`). A window's notes are
   * those that start in [fromBeat − look-back, toBeat − look-back), with
   * {@link WINDOW_LOOK_BACK_BEATS} as in training: a note up to half a 16th
   * step before `fromBeat` is written with its negative start (it lands on
   * the first step, its offset kept as microtiming), and one that close
   * before `toBeat` is left for the next window. Written notes that have
   * ended by `toBeat` are then forgotten, and so are notes that start before
   * the window.
   */
  take(fromBeat: Beats, toBeat: Beats, out: Float64Array): number {
    const max = Math.floor(out.length / PACKED_NOTE_STRIDE);
    const first = fromBeat - WINDOW_LOOK_BACK_BEATS;
    const next = toBeat - WINDOW_LOOK_BACK_BEATS;
    let written = 0;
    for (let i = 0; i < this.count; i++) {
      const s = this.start[i];
      if (s < first || s >= next || written >= max) continue;
      const e = Number.isNaN(this.end[i]) ? toBeat : Math.min(this.end[i], toBeat);
      const o = written * PACKED_NOTE_STRIDE;
      out[o] = this.pitch[i];
      out[o + 1] = this.velocity[i];
      out[o + 2] = s - fromBeat;
      out[o + 3] = Math.max(e - s, 1e-3);
      written++;
    }
    for (let i = this.count - 1; i >= 0; i--) {
      const s = this.start[i];
      const ended = s < next && !Number.isNaN(this.end[i]) && this.end[i] <= toBeat;
      if (ended || s < first) this.removeAt(i, false);
    }
    return written;
  }

  /**
   * Writes the notes that start in [fromBeat, toBeat) into `out` as
   * {@link take} does (held notes cut at `toBeat`), forgetting nothing;
   * returns how many were written. Allocates nothing per note (it runs while
   * the phrase is played, dsp/core/phrase-updates.ts).
   */
  peek(fromBeat: Beats, toBeat: Beats, out: Float64Array): number {
    const max = Math.floor(out.length / PACKED_NOTE_STRIDE);
    let written = 0;
    for (let i = 0; i < this.count && written < max; i++) {
      const s = this.start[i];
      if (s < fromBeat || s >= toBeat) continue;
      const o = written * PACKED_NOTE_STRIDE;
      out[o] = this.pitch[i];
      out[o + 1] = this.velocity[i];
      out[o + 2] = s - fromBeat;
      // Float arithmetic into the output only: a conditional choosing between the argument and a double would box the double, once per note.
      out[o + 3] = toBeat - s;
      const end = this.end[i];
      if (end === end && end < toBeat) out[o + 3] = end - s;
      if (out[o + 3] < 1e-3) out[o + 3] = 1e-3;
      written++;
    }
    return written;
  }

  /** Forgets every note. */
  clear(): void {
    this.count = 0;
    this.held = 0;
    this.lastActivityBeat = -Infinity;
  }

  private removeAt(index: number, countAsDropped: boolean): void {
    if (Number.isNaN(this.end[index])) this.held--;
    if (countAsDropped) this.dropped++;
    const n = this.count - index - 1;
    if (n > 0) {
      this.pitch.copyWithin(index, index + 1, this.count);
      this.velocity.copyWithin(index, index + 1, this.count);
      this.start.copyWithin(index, index + 1, this.count);
      this.end.copyWithin(index, index + 1, this.count);
    }
    this.count--;
  }
}
