/**
 * Phrase updates: while a phrase is being recorded, sends the worker the
 * notes played so far at each update point of the phrase
 * (protocol/update-points.ts: each whole beat, and each step of a bar's last
 * beat while it leaves `STEP_UPDATE_MARGIN_S` before the decision for the
 * bar line; from the start the coming request will carry,
 * `LoopController.updatePendingStart`), so it can search
 * for the phrase's latent before the request comes (anytime encoding;
 * models/respond/anytime.ts). At most one update is in flight: the next is
 * sent only once the worker has handed the previous one's buffer back. Nothing
 * is sent while no phrase is pending or no note has been played in it.
 *
 * Allocation: none per block or per update — one notes buffer goes to the
 * worker and comes back (a new one only when a worker connects and the last
 * one did not come back).
 *
 * [audio-thread]
 */
import { PARAMETER_INDEX as P } from '../../protocol/parameters.ts';
import { barLineAfter, isStepUpdate, isUpdatePoint, STEP_UPDATE_MARGIN_S, UPDATE_STEPS_PER_BEAT } from '../../protocol/update-points.ts';
import type { PhraseUpdate } from '../../protocol/processor-worker.ts';
import type { LoopController, LoopSettings } from '../loop/loop-controller.ts';
import { PACKED_NOTE_STRIDE, type PhraseRecorder } from '../loop/phrase-recorder.ts';
import type { Beats, Frames, TransportClock } from '../loop/transport-clock.ts';
import type { CoreHost } from './core-host.ts';

/** Beats of a phrase the models read (their window: 2 bars of 4/4); no update is sent past it. */
export const UPDATE_WINDOW_BEATS = 8;

export class PhraseUpdates {
  private readonly clock: TransportClock;
  private readonly loop: LoopController;
  private readonly recorder: PhraseRecorder;
  private readonly host: CoreHost;
  private readonly params: Float64Array;
  /** The notes buffer, or null while it is with the worker. */
  private buffer: Float64Array | null;
  private nextId = 1;
  /** True once the connected worker said it is ready (its models loaded). */
  private ready = false;
  /** Phrase start and update point (steps) of the last update sent. */
  private lastStart: Beats = Number.NaN;
  private lastPoint = 0;
  /** This block's beat, the pending phrase's start and how much of it is played, beats (fields: see {@link tick}). */
  private beatNow: Beats = 0;
  private start: Beats = 0;
  private played: Beats = 0;
  /** Updates sent (for tests and diagnostics). */
  sent = 0;
  /** True until the current phrase's first update has gone. */
  private first = true;
  private readonly message: PhraseUpdate = {
    type: 'phrase-update', id: 0, model: 0, notes: new Float64Array(0), noteCount: 0, phraseStartBeat: 0, playedBeats: 0, first: true, tempoBpm: 0, beatsPerBar: 4,
  };
  private readonly transfer: Transferable[] = [new ArrayBuffer(0)];

  /** @param params the parameter values (PARAMETERS order): the model is read from them. */
  constructor(clock: TransportClock, loop: LoopController, recorder: PhraseRecorder, host: CoreHost, params: Float64Array) {
    this.clock = clock;
    this.loop = loop;
    this.recorder = recorder;
    this.host = host;
    this.params = params;
    this.buffer = new Float64Array(recorder.capacity * PACKED_NOTE_STRIDE);
  }

  /** True while an update is with the worker. */
  get inFlight(): boolean {
    return this.buffer === null;
  }

  /**
   * After the loop's decisions for the block ending at `blockEndFrame`: sends
   * an update when a new update point of the pending phrase has been played
   * (or, when one was in flight then, as soon as it is answered), the phrase
   * holds notes, and none is in flight. All in one method that runs every
   * block, so that the optimizing compiler has it, sending branch included:
   * the same code in a function called once a beat would box its doubles.
   */
  tick(blockEndFrame: Frames, settings: LoopSettings): void {
    const buffer = this.buffer;
    if (buffer === null || !this.ready || !this.host.workerConnected) return;
    // Doubles live in fields, not in arguments or return values of calls that may not be inlined.
    this.beatNow = this.clock.beatAtFrame(blockEndFrame);
    this.loop.updatePendingStart(settings);
    this.start = this.loop.pendingStart;
    if (!(this.start === this.start)) return;
    this.played = this.beatNow - this.start;
    const step = Math.floor(this.played * UPDATE_STEPS_PER_BEAT + 1e-6);
    // The latest update point played: this step when it is one, else the whole beat before it.
    const point = isUpdatePoint(step) ? step : step - (step % UPDATE_STEPS_PER_BEAT);
    // Another phrase: another start, or the same start again (the transport went back).
    if (!(Math.abs(this.start - this.lastStart) <= 1e-6) || point < this.lastPoint) {
      this.lastStart = this.start;
      this.lastPoint = 0;
      this.first = true;
    }
    if (point <= this.lastPoint || point < UPDATE_STEPS_PER_BEAT || point > UPDATE_WINDOW_BEATS * UPDATE_STEPS_PER_BEAT) return;
    // A step update goes only while it leaves the margin before the decision for the bar line after it
    // (update-points.ts `stepUpdateInTime`, its comparison inline: doubles passed to a call that is not inlined
    // are boxed; the bar line is a whole number of beats, which is not).
    if (isStepUpdate(point) && barLineAfter(point) - this.loop.leadBeats - this.played < (STEP_UPDATE_MARGIN_S * this.clock.tempoBpm) / 60) return;
    // Nothing played in the phrase yet: the next block looks again.
    const count = this.recorder.peek(this.start, this.beatNow, buffer);
    if (count === 0) return;
    this.lastPoint = point;
    const m = this.message;
    m.id = this.nextId++;
    m.model = this.params[P.model];
    m.notes = buffer;
    m.noteCount = count;
    m.phraseStartBeat = this.start;
    m.playedBeats = this.played;
    m.first = this.first;
    this.first = false;
    m.tempoBpm = this.clock.tempoBpm;
    m.beatsPerBar = this.clock.beatsPerBar;
    this.buffer = null;
    this.sent++;
    this.transfer[0] = buffer.buffer;
    this.host.toWorker(m, this.transfer);
  }

  /** The worker used update `id` (or could not): its buffer comes back. Answers to an older update are ignored. */
  onUpdated(id: number, notes: Float64Array): void {
    if (this.buffer !== null || id !== this.nextId - 1) return;
    if (notes instanceof Float64Array && notes.length === this.recorder.capacity * PACKED_NOTE_STRIDE) this.buffer = notes;
  }

  /** The worker is ready (it connected, its models loaded); an update still out with a previous worker will not come back. */
  onWorkerReady(): void {
    this.ready = true;
    if (this.buffer === null) this.buffer = new Float64Array(this.recorder.capacity * PACKED_NOTE_STRIDE);
    this.reset();
  }

  /** The transport moved (see `AudioCore.transport`): the next update starts a new phrase. */
  reset(): void {
    this.lastStart = Number.NaN;
    this.lastPoint = 0;
    this.first = true;
  }
}
