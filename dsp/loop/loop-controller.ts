/**
 * The loop controller decides, block by block, when a performer phrase ends
 * and when the plugin must ask the worker for music, and for which window of
 * the beat clock:
 *
 * - While the host transport plays, decisions fall on bar lines. A
 *   call-and-response phrase closes at a bar line once the performer has
 *   been silent for the phrase gap (or has played two bars), and the answer
 *   starts at that bar line. Accompaniment and the latent pad ask for one
 *   window of `responseBars` bars at every window boundary (bar numbers that
 *   are multiples of `responseBars`).
 * - Without a playing transport, the clock runs free at the tempo parameter
 *   (or the tracked tempo). A phrase closes after the phrase gap of silence
 *   and the answer starts on the next beat; accompaniment and pad windows
 *   follow one another from the moment the mode started.
 *
 * A phrase window keeps the downbeat: a note played up to half a 16th step
 * before a bar line (or, free-running, a beat) belongs to the phrase that
 * starts there, on its first step (`WINDOW_LOOK_BACK_BEATS`, the look-back
 * training windows use; see {@link PhraseRecorder.take}).
 *
 * Decisions are taken `leadFrames` before the boundary they concern (or
 * `replyLeadFrames`, when the worker has lately needed longer), so the worker
 * has that long to answer before the music is due, plus `outputLatencyFrames`
 * when what the plugin plans needs time to reach where it plays (a bridge to
 * a native host). A call-and-response phrase that is not over yet when the
 * early decision comes (a note still held, not silent for the gap) is looked
 * at again each block until `leadFrames` (plus the output latency) before
 * the bar line, as the decision always was without the worker's pace.
 * No allocation.
 */
import { WINDOW_LOOK_BACK_BEATS } from '../../protocol/phrase.ts';
import { PhraseRecorder } from './phrase-recorder.ts';
import type { Beats, Frames, TransportClock } from './transport-clock.ts';

/** What a request asks of the worker. */
export const enum RequestKind {
  /** A finished phrase, for the log and the latent only: no music wanted. */
  PhraseOnly = 0,
  /** A finished phrase that wants an answer (call and response). */
  Answer = 1,
  /** The next accompaniment or latent-pad window. */
  Window = 2,
}

/** The mode indices of protocol/parameters.ts's `MODES`. */
export const enum ModeIndex {
  Listen = 0,
  CallResponse = 1,
  Accompany = 2,
  LatentPad = 3,
}

/**
 * True for the modes that play consecutive windows (accompany, latent pad):
 * their music is asked for every window boundary, whatever the performer does,
 * and a window that comes back late keeps its place.
 */
export function isWindowMode(mode: number): boolean {
  return mode === ModeIndex.Accompany || mode === ModeIndex.LatentPad;
}

/** Settings read from the parameters each block. */
export interface LoopSettings {
  mode: number;
  /** Bars per answer or window: 1, 2 or 4. */
  responseBars: number;
  /** Silence that ends a phrase, in beats. */
  silenceGapBeats: number;
}

/** Receives the controller's decisions. */
export interface LoopSink {
  /**
   * A request for the worker. `notes[0 .. count·4)` holds the performer's
   * notes packed (pitch, velocity, start, duration; beats from
   * `phraseStartBeat`). `targetStartBeat`/`targetLengthBeats` give the window
   * the music is for (ignored for PhraseOnly).
   */
  onRequest(
    kind: RequestKind, phraseStartBeat: Beats, phraseLengthBeats: Beats, notes: Float64Array, count: number,
    targetStartBeat: Beats, targetLengthBeats: Beats,
  ): void;
}

/** Longest phrase sent to the model, in bars (the models' window is two bars). */
export const MAX_PHRASE_BARS = 2;

export class LoopController {
  private readonly clock: TransportClock;
  readonly recorder: PhraseRecorder;
  /** How far ahead of a boundary decisions are taken for the worker at least, in frames. */
  readonly leadFrames: Frames;
  /** How long the worker has lately needed to answer, with a margin, in frames (default 0); used when longer than `leadFrames`. */
  replyLeadFrames: Frames = 0;
  /**
   * Time planned output needs to reach where it plays, in frames (default 0):
   * decisions are taken this much earlier still.
   */
  outputLatencyFrames: Frames = 0;
  private readonly packed: Float64Array;
  private lastBoundary = Number.NaN;
  private nextFreeWindow = Number.NaN;
  private lastMode = -1;
  private lastFollowsHost = false;
  // This block's beat and look-ahead, kept in fields: doubles passed to a call that is not inlined are boxed (an allocation per block).
  private beatNow: Beats = 0;
  /** How far before a boundary this block's decisions are taken, beats (`leadFrames` or `replyLeadFrames`, plus the output latency; read by the phrase updates). */
  leadBeats: Beats = 0;
  /** The last moment to decide for a bar line, beats before it (`leadFrames` plus the output latency). */
  private lastLeadBeats: Beats = 0;
  /** See {@link updatePendingStart}. */
  pendingStart: Beats = Number.NaN;

  constructor(clock: TransportClock, recorder: PhraseRecorder, leadFrames: Frames) {
    this.clock = clock;
    this.recorder = recorder;
    this.leadFrames = leadFrames;
    this.packed = new Float64Array(recorder.capacity * 4);
  }

  /** Forgets pending windows (on transport jumps, mode changes). */
  reset(): void {
    this.lastBoundary = Number.NaN;
    this.nextFreeWindow = Number.NaN;
  }

  /** Runs the decisions for the block ending at `blockEndFrame`. */
  tick(blockEndFrame: Frames, settings: LoopSettings, sink: LoopSink): void {
    const clock = this.clock;
    if (settings.mode !== this.lastMode || clock.followsHost !== this.lastFollowsHost) {
      this.lastMode = settings.mode;
      this.lastFollowsHost = clock.followsHost;
      this.reset();
    }
    this.leadBeats = (Math.max(this.leadFrames, this.replyLeadFrames) + this.outputLatencyFrames) / clock.framesPerBeat;
    this.lastLeadBeats = (this.leadFrames + this.outputLatencyFrames) / clock.framesPerBeat;
    this.beatNow = clock.beatAtFrame(blockEndFrame);
    if (clock.followsHost) {
      const boundary = clock.nextBarStart(this.beatNow);
      if (this.beatNow + this.leadBeats >= boundary && boundary !== this.lastBoundary) {
        // Decided, or the last moment for this bar line has come: the next decision is for the next one.
        if (this.atBarLine(boundary, settings, sink) || this.beatNow + this.lastLeadBeats >= boundary) this.lastBoundary = boundary;
      }
      return;
    }
    this.freeRunning(settings, sink);
  }

  /**
   * Sets {@link pendingStart}: the `phraseStartBeat` the next request will
   * carry if the recorded phrase goes on as it is (the start of the window
   * being played; the same expressions as the decisions below), or NaN when it
   * is not known ahead (no notes; no free-running window set yet; a
   * free-running phrase longer than the look-back). Call after {@link tick}.
   * (A field, not a return value: a double returned by a call that is not
   * inlined is boxed, an allocation per block.)
   */
  updatePendingStart(settings: LoopSettings): void {
    const clock = this.clock;
    const bpb = clock.beatsPerBar;
    const lookBack = Math.min(settings.responseBars * bpb, MAX_PHRASE_BARS * bpb);
    const rec = this.recorder;
    if (isWindowMode(settings.mode)) {
      const span = settings.responseBars * bpb;
      this.pendingStart = clock.followsHost ? Math.ceil((this.beatNow + this.leadBeats) / span - 1e-6) * span - lookBack : this.nextFreeWindow - lookBack;
    } else if (rec.noteCount === 0) this.pendingStart = Number.NaN;
    else if (!clock.followsHost) {
      // Free-running, a phrase longer than the look-back starts wherever the playing then is: not known ahead.
      const first = PhraseRecorder.windowStartOf(rec.firstStartBeat, 1);
      this.pendingStart = this.beatNow - MAX_PHRASE_BARS * bpb > first ? Number.NaN : first;
    } else this.pendingStart = Math.max(PhraseRecorder.windowStartOf(rec.firstStartBeat, bpb), clock.nextBarStart(this.beatNow + this.leadBeats) - MAX_PHRASE_BARS * bpb);
  }

  /** The decision for the bar line at `bar`; false when a phrase may still end in time for it (look again next block). */
  private atBarLine(bar: Beats, settings: LoopSettings, sink: LoopSink): boolean {
    const bpb = this.clock.beatsPerBar;
    const windowBeats = settings.responseBars * bpb;
    if (isWindowMode(settings.mode)) {
      const barIndex = Math.round(bar / bpb);
      if (barIndex % settings.responseBars !== 0) return true;
      const from = bar - Math.min(windowBeats, MAX_PHRASE_BARS * bpb);
      const count = this.recorder.take(from, bar, this.packed);
      sink.onRequest(RequestKind.Window, from, bar - from, this.packed, count, bar, windowBeats);
      return true;
    }
    const rec = this.recorder;
    if (rec.noteCount === 0) return false;
    const phraseStart = PhraseRecorder.windowStartOf(rec.firstStartBeat, bpb);
    const silentLongEnough = rec.heldCount === 0 && bar - rec.lastActivityBeat >= settings.silenceGapBeats;
    const longEnough = bar - phraseStart >= MAX_PHRASE_BARS * bpb;
    if (!silentLongEnough && !longEnough) return false;
    const from = Math.max(phraseStart, bar - MAX_PHRASE_BARS * bpb);
    const count = rec.take(from, bar, this.packed);
    if (count === 0) return true;
    const kind = settings.mode === ModeIndex.CallResponse ? RequestKind.Answer : RequestKind.PhraseOnly;
    sink.onRequest(kind, from, bar - from, this.packed, count, bar, windowBeats);
    return true;
  }

  private freeRunning(settings: LoopSettings, sink: LoopSink): void {
    const clock = this.clock;
    const beatNow = this.beatNow;
    const leadBeats = this.leadBeats;
    const windowBeats = settings.responseBars * clock.beatsPerBar;
    if (isWindowMode(settings.mode)) {
      if (Number.isNaN(this.nextFreeWindow)) this.nextFreeWindow = clock.nextBeat(beatNow + leadBeats);
      if (beatNow + leadBeats < this.nextFreeWindow) return;
      const start = this.nextFreeWindow;
      const from = start - Math.min(windowBeats, MAX_PHRASE_BARS * clock.beatsPerBar);
      const count = this.recorder.take(from, start, this.packed);
      sink.onRequest(RequestKind.Window, from, start - from, this.packed, count, start, windowBeats);
      this.nextFreeWindow = start + windowBeats;
      return;
    }
    const rec = this.recorder;
    if (rec.noteCount === 0 || rec.heldCount > 0) return;
    if (beatNow - rec.lastActivityBeat < settings.silenceGapBeats) return;
    const from = Math.max(PhraseRecorder.windowStartOf(rec.firstStartBeat, 1), beatNow - MAX_PHRASE_BARS * clock.beatsPerBar);
    // A whole beat that holds every note's start (with the look-back) and its release (within the look-back: a release just after a beat ends there).
    const end = Math.max(from + 1, PhraseRecorder.windowStartOf(rec.lastStartBeat, 1) + 1, Math.ceil(rec.lastActivityBeat - WINDOW_LOOK_BACK_BEATS));
    const count = rec.take(from, end, this.packed);
    rec.clear();
    if (count === 0) return;
    const kind = settings.mode === ModeIndex.CallResponse ? RequestKind.Answer : RequestKind.PhraseOnly;
    sink.onRequest(kind, from, end - from, this.packed, count, clock.nextBeat(beatNow + leadBeats), windowBeats);
  }
}
