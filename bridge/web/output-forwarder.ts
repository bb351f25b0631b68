/**
 * The output forwarder: turns what the WAM plays into MIDI_OUT events stamped
 * in song position, early enough for the DAW to play them at their exact
 * sample.
 *
 * The WAM's own MIDI output leaves its processor only about one block ahead,
 * far too late for a socket. But the processor plans each answer (or
 * accompaniment window) whole when the model replies and reports it
 * (`planned`, with every event's page frame). So:
 *
 * - planned events are forwarded at once, converted to song positions;
 * - the live output (captured from the WAM's MIDI output) is forwarded only
 *   when it was not planned: the note-offs that end sounding notes on stop,
 *   mode change or disarm, and panic messages. A live event is recognised as
 *   planned by its page frame and bytes, so nothing is sent twice;
 * - an answer whose first event could not reach the DAW before its song
 *   position moves, whole, to the next bar line that it can reach (as the
 *   plugin itself moves an answer that came back from the model late); a
 *   window (accompaniment, latent pad) keeps its place and skips the notes
 *   that cannot arrive in time, with their note-offs.
 */
import type { PlannedReport } from '../../protocol/node-processor.ts';
import type { Beats } from './timeline.ts';

/** What the forwarder needs to know about time. */
export interface ForwarderTiming {
  /** Song position of a page audio frame now (for live output). */
  beatOfPageFrame(frame: number): Beats;
  /** Song position of a position on the WAM's beat clock (its beats are the time signature's unit). */
  songPositionOfWamBeat(wamBeat: number): Beats;
  /** The earliest song position an event sent now still reaches the DAW in time for. */
  earliestSafeBeat(): Beats;
  /** Bar length, beats. */
  barBeats(): Beats;
}

/**
 * A plan as the processor reports it (protocol `PlannedReport`). Its frames
 * are read on the processor's clock as it was when it planned, not as the
 * page maps frames now: when the page re-anchors the WAM's clock (its lag
 * grew on a busy machine) between the plan and its report, an answer planned
 * on a bar line still goes to the DAW on that bar line.
 */
export type Plan = Pick<PlannedReport, 'events' | 'startBeat' | 'startFrame' | 'tempoBpm' | 'sampleRate'>;

/** One event for the DAW. */
export interface ForwardedEvent {
  beat: Beats;
  data: number[];
}

/** What {@link OutputForwarder.planned} did with a plan. */
export interface PlanOutcome {
  /** Events sent. */
  sent: number;
  /** Bars the plan moved later (answers only). */
  movedBars: number;
  /** Events left out because they could not arrive in time (windows only). */
  skipped: number;
  /** Song position of the first event sent, or NaN when none. */
  firstBeat: Beats;
  /** How far the plan's first event was ahead of the earliest safe position when it came (before any move), beats. */
  marginBeats: Beats;
}

/** Counters of {@link OutputForwarder}. */
export interface ForwarderCounters {
  planned: number;
  live: number;
  duplicatesSkipped: number;
  moved: number;
  skipped: number;
}

/** Planned keys older than this many page frames behind the newest live event are forgotten. */
const KEY_HORIZON_FRAMES = 48000 * 30;

export class OutputForwarder {
  private readonly timing: ForwarderTiming;
  private readonly send: (event: ForwardedEvent) => void;
  /** Planned events not yet seen on the live output: key → count. */
  private readonly expected = new Map<string, number>();
  /** Frame of each expected key, oldest first, for expiry. */
  private readonly expectedOrder: { frame: number; key: string }[] = [];
  readonly counters: ForwarderCounters = { planned: 0, live: 0, duplicatesSkipped: 0, moved: 0, skipped: 0 };

  constructor(timing: ForwarderTiming, send: (event: ForwardedEvent) => void) {
    this.timing = timing;
    this.send = send;
  }

  /**
   * Forwards a plan (the processor's `planned` report). `isAnswer`: a
   * call-and-response answer (may move to a later bar) rather than a window.
   */
  planned(plan: Plan, isAnswer: boolean): PlanOutcome {
    const { events } = plan;
    const n = Math.floor(events.length / 4);
    const beats = new Float64Array(n);
    const wamBeatsPerFrame = plan.tempoBpm / 60 / plan.sampleRate;
    let first = Infinity;
    for (let i = 0; i < n; i++) {
      const frame = events[i * 4];
      this.expect(frame, events[i * 4 + 1], events[i * 4 + 2], events[i * 4 + 3]);
      beats[i] = this.timing.songPositionOfWamBeat(plan.startBeat + (frame - plan.startFrame) * wamBeatsPerFrame);
      first = Math.min(first, beats[i]);
    }
    const outcome: PlanOutcome = { sent: 0, movedBars: 0, skipped: 0, firstBeat: Number.NaN, marginBeats: Number.NaN };
    if (n === 0) return outcome;
    const earliest = this.timing.earliestSafeBeat();
    outcome.marginBeats = first - earliest;
    let shift = 0;
    if (isAnswer && first < earliest) {
      const bar = this.timing.barBeats();
      outcome.movedBars = Math.ceil((earliest - first) / bar - 1e-9);
      shift = outcome.movedBars * bar;
      this.counters.moved++;
    }
    const skippedNotes = new Set<number>();
    for (let i = 0; i < n; i++) {
      const status = events[i * 4 + 1];
      const d1 = events[i * 4 + 2];
      const d2 = events[i * 4 + 3];
      const beat = beats[i] + shift;
      const kind = status & 0xf0;
      const note = ((status & 0x0f) << 7) | (d1 & 0x7f);
      const isOn = kind === 0x90 && d2 > 0;
      const isOff = kind === 0x80 || (kind === 0x90 && d2 === 0);
      if (!isAnswer && beat < earliest && !isOff) {
        if (isOn) skippedNotes.add(note);
        outcome.skipped++;
        continue;
      }
      if (isOff && skippedNotes.delete(note)) {
        outcome.skipped++;
        continue;
      }
      this.send({ beat, data: midiBytes(status, d1, d2) });
      if (Number.isNaN(outcome.firstBeat)) outcome.firstBeat = beat;
      outcome.sent++;
    }
    this.counters.planned += outcome.sent;
    this.counters.skipped += outcome.skipped;
    return outcome;
  }

  /**
   * An event of the WAM's live MIDI output at page frame `frame`: sent unless
   * it was planned (and so already sent). @returns true when it was sent.
   */
  live(frame: number, bytes: ArrayLike<number>): boolean {
    const status = bytes[0] ?? 0;
    const d1 = bytes[1] ?? 0;
    const d2 = bytes[2] ?? 0;
    this.expire(frame - KEY_HORIZON_FRAMES);
    const key = keyOf(Math.round(frame), status, d1, d2);
    const count = this.expected.get(key);
    if (count !== undefined) {
      if (count <= 1) this.expected.delete(key);
      else this.expected.set(key, count - 1);
      this.counters.duplicatesSkipped++;
      return false;
    }
    const data: number[] = [];
    for (let i = 0; i < Math.min(3, bytes.length); i++) data.push(bytes[i]);
    if (data.length === 0) return false;
    this.send({ beat: this.timing.beatOfPageFrame(frame), data });
    this.counters.live++;
    return true;
  }

  /** Planned events still expected on the live output. */
  get pendingCount(): number {
    let total = 0;
    for (const c of this.expected.values()) total += c;
    return total;
  }

  /** Forgets every expected event (a new connection or a new WAM). */
  clear(): void {
    this.expected.clear();
    this.expectedOrder.length = 0;
  }

  private expect(frame: number, status: number, d1: number, d2: number): void {
    const key = keyOf(Math.round(frame), status, d1, d2);
    this.expected.set(key, (this.expected.get(key) ?? 0) + 1);
    this.expectedOrder.push({ frame, key });
  }

  private expire(beforeFrame: number): void {
    let drop = 0;
    while (drop < this.expectedOrder.length && this.expectedOrder[drop].frame < beforeFrame) {
      const { key } = this.expectedOrder[drop];
      const count = this.expected.get(key);
      if (count !== undefined) {
        if (count <= 1) this.expected.delete(key);
        else this.expected.set(key, count - 1);
      }
      drop++;
    }
    if (drop > 0) this.expectedOrder.splice(0, drop);
  }
}

function keyOf(frame: number, status: number, d1: number, d2: number): string {
  return `${frame}:${status}:${d1}:${d2}`;
}

/** The bytes of a message with this status: 2 for program change and channel pressure, else 3. */
function midiBytes(status: number, d1: number, d2: number): number[] {
  const kind = status & 0xf0;
  return kind === 0xc0 || kind === 0xd0 ? [status, d1] : [status, d1, d2];
}
