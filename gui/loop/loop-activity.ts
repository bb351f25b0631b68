/**
 * What the plugin is doing, for the loop panel's state pill, worked out
 * from the node's events on the audio clock (seconds of
 * `BaseAudioContext.currentTime`):
 *
 * - `listening`: the performer is playing a phrase (notes arrived since the
 *   last phrase ended);
 * - `thinking`: a music request went to the worker and its answer is not
 *   planned yet;
 * - `answering`: planned music is playing, or is about to (between the
 *   reply and the last note's end);
 * - `waiting`: armed, nothing of the above;
 * - `off`: output disarmed and nobody playing.
 *
 * Answering wins over thinking (window modes ask for the next window while
 * the current one plays), thinking over listening. Pure data, no timers:
 * the owner asks {@link LoopActivity.state} with the current time.
 */
import { PERFORMER_EVENT_STRIDE, type MusicRequestedReport, type MusicUnansweredReport, type PerformerNotesReport, type PlannedReport } from './loop-host.ts';

/** The pill's states. */
export type LoopActivityState = 'off' | 'waiting' | 'listening' | 'thinking' | 'answering';

/** Options of {@link LoopActivity}. */
export interface LoopActivityOptions {
  /** A phrase that never closes stops counting as being played after this much silence, seconds. Default 8. */
  listeningTimeoutS: number;
  /** A request whose answer never comes is forgotten this long after the music was wanted, seconds. Default 4. */
  thinkingTimeoutS: number;
}

const DEFAULTS: LoopActivityOptions = { listeningTimeoutS: 8, thinkingTimeoutS: 4 };

interface Pending {
  id: number;
  targetStartTimeS: number;
}

export class LoopActivity {
  readonly options: LoopActivityOptions;
  /** Requests sent and not settled, oldest first (the worker answers in order). */
  private pending: Pending[] = [];
  /** Audio-clock time of the performer's latest note event, or -Infinity. */
  private lastPerformerS = Number.NEGATIVE_INFINITY;
  /** True from a performer note until the phrase report that closes it. */
  private recording = false;
  /** Audio-clock span of the planned music still to play. */
  private answerEndS = Number.NEGATIVE_INFINITY;

  constructor(options: Partial<LoopActivityOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** The performer played (note-ons start a phrase; note-offs keep it going). */
  performerNotes(report: PerformerNotesReport): void {
    if (report.count <= 0) return;
    this.recording = true;
    this.lastPerformerS = Math.max(this.lastPerformerS, report.events[(report.count - 1) * PERFORMER_EVENT_STRIDE] / report.sampleRate);
  }

  /** A phrase ended (its report arrived). */
  phraseEnded(): void {
    this.recording = false;
  }

  /** The processor asked the worker for music. */
  requested(report: MusicRequestedReport): void {
    this.pending.push({ id: report.id, targetStartTimeS: report.targetStartTimeS });
  }

  /** A request will not be planned: it and any older one are settled. */
  unanswered(report: MusicUnansweredReport): void {
    this.pending = this.pending.filter((p) => p.id > report.id);
  }

  /** Music was planned: it answers the oldest pending request; answering lasts until its last event. */
  planned(report: PlannedReport): void {
    this.pending.shift();
    for (let i = 0; i + 3 < report.events.length; i += 4) this.answerEndS = Math.max(this.answerEndS, report.events[i] / report.sampleRate);
  }

  /** Output was cancelled at `nowS`: no answer plays and none is awaited. */
  cancel(nowS: number): void {
    this.pending = [];
    this.answerEndS = Math.min(this.answerEndS, nowS);
  }

  /**
   * The state at audio-clock time `nowS`.
   * @param armed whether output is armed (the `armed` parameter).
   */
  state(nowS: number, armed: boolean): LoopActivityState {
    this.pending = this.pending.filter((p) => nowS <= p.targetStartTimeS + this.options.thinkingTimeoutS);
    if (this.recording && nowS - this.lastPerformerS > this.options.listeningTimeoutS) this.recording = false;
    if (nowS < this.answerEndS) return 'answering';
    if (this.pending.length > 0) return 'thinking';
    if (this.recording) return 'listening';
    return armed ? 'waiting' : 'off';
  }
}
