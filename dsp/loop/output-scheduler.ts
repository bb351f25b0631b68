/**
 * The output scheduler: a preallocated, time-ordered queue of MIDI events on
 * the audio clock. Each block the processor drains the events due before a
 * horizon one block ahead (receivers place an event at
 * `round((time − currentTime) · sampleRate)` within their block, so it must
 * arrive before its block starts). It counts the notes it has started so it
 * can always end them: cancelling emits a note-off for every sounding note,
 * so no note is left hanging on stop, mode change, disarm or destroy.
 * No allocation after construction.
 */
import type { Frames } from './transport-clock.ts';

/** Receives drained events. */
export interface MidiSink {
  /** An event at audio frame `frame` (may be fractional; receivers round). */
  emitMidi(frame: Frames, status: number, data1: number, data2: number): void;
}

export class OutputScheduler {
  readonly capacity: number;
  private readonly frame: Float64Array;
  private readonly bytes: Uint8Array;
  private count = 0;
  /** Sounding notes per channel × pitch (note-ons emitted minus note-offs emitted). */
  private readonly sounding = new Uint8Array(16 * 128);
  private soundingTotal = 0;
  /** Events refused because the queue was full. */
  dropped = 0;
  /** Events drained after their frame had already passed. */
  late = 0;

  constructor(capacity = 4096) {
    this.capacity = capacity;
    this.frame = new Float64Array(capacity);
    this.bytes = new Uint8Array(capacity * 3);
  }

  /** Events waiting. */
  get queued(): number {
    return this.count;
  }

  /** Notes started and not yet ended. */
  get soundingNotes(): number {
    return this.soundingTotal;
  }

  /** Frame of the last queued event, or -Infinity when empty. */
  get lastFrame(): Frames {
    return this.count > 0 ? this.frame[this.count - 1] : -Infinity;
  }

  /**
   * Queues an event. Events at the same frame keep their insertion order,
   * except that a note-off sorts before a note-on at the same frame (so a
   * repeated pitch restarts instead of being cut).
   * @returns false when the queue is full (the event is dropped and counted).
   */
  add(frame: Frames, status: number, data1: number, data2: number): boolean {
    if (this.count === this.capacity) {
      this.dropped++;
      return false;
    }
    const off = isNoteOff(status, data2);
    // Binary search for the insertion point.
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const f = this.frame[mid];
      const before = f < frame || (f === frame && !(off && !isNoteOff(this.bytes[mid * 3], this.bytes[mid * 3 + 2])));
      if (before) lo = mid + 1;
      else hi = mid;
    }
    if (lo < this.count) {
      this.frame.copyWithin(lo + 1, lo, this.count);
      this.bytes.copyWithin((lo + 1) * 3, lo * 3, this.count * 3);
    }
    this.frame[lo] = frame;
    this.bytes[lo * 3] = status;
    this.bytes[lo * 3 + 1] = data1;
    this.bytes[lo * 3 + 2] = data2;
    this.count++;
    return true;
  }

  /**
   * Emits, in order, every event due before `horizon` and removes it.
   * `now` is the current block's first frame: an event before it is late
   * (still emitted, and counted).
   */
  drain(now: Frames, horizon: Frames, sink: MidiSink): void {
    let n = 0;
    while (n < this.count && this.frame[n] < horizon) {
      const status = this.bytes[n * 3];
      const d1 = this.bytes[n * 3 + 1];
      const d2 = this.bytes[n * 3 + 2];
      if (this.frame[n] < now) this.late++;
      this.track(status, d1, d2);
      sink.emitMidi(this.frame[n], status, d1, d2);
      n++;
    }
    if (n > 0) {
      this.frame.copyWithin(0, n, this.count);
      this.bytes.copyWithin(0, n * 3, this.count * 3);
      this.count -= n;
    }
  }

  /**
   * Drops every queued event and ends every sounding note at `frame`.
   * Used on stop, mode change, disarm, bypass, channel change and destroy.
   */
  cancelAll(frame: Frames, sink: MidiSink): void {
    this.count = 0;
    if (this.soundingTotal === 0) return;
    for (let i = 0; i < this.sounding.length; i++) {
      let n = this.sounding[i];
      while (n > 0) {
        sink.emitMidi(frame, 0x80 | (i >> 7), i & 127, 0);
        n--;
      }
      this.sounding[i] = 0;
    }
    this.soundingTotal = 0;
  }

  private track(status: number, d1: number, d2: number): void {
    const kind = status & 0xf0;
    const key = ((status & 0x0f) << 7) | (d1 & 127);
    if (kind === 0x90 && d2 > 0) {
      if (this.sounding[key] < 255) {
        this.sounding[key]++;
        this.soundingTotal++;
      }
    } else if (isNoteOff(status, d2) && this.sounding[key] > 0) {
      this.sounding[key]--;
      this.soundingTotal--;
    }
  }
}

function isNoteOff(status: number, velocity: number): boolean {
  const kind = status & 0xf0;
  return kind === 0x80 || (kind === 0x90 && velocity === 0);
}
