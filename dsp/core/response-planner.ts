/**
 * The response planner: turns the loop controller's decisions into music
 * requests for the worker (and phrase reports for the node), and the
 * worker's replies into scheduled output on the audio clock.
 *
 * Late replies (the worker answered after the music's planned start):
 * - call and response: the whole answer moves later, to the next bar line
 *   (host transport) or the next beat (free clock), counted as deferred;
 * - accompaniment and latent pad: the window keeps its place (the next window
 *   follows it); only the events already due are skipped, with the note-offs
 *   of the skipped note-ons, so no note-off arrives without its note-on.
 *
 * Allocation: one array per request (the performer's notes, transferred to
 * the worker and shown to the node) and one per reply (the planned events,
 * transferred to the node); nothing per event.
 *
 * [audio-thread]
 */
import type { MusicRequestedReport, MusicUnansweredReport, PlannedReport, PhraseReport, ProcessorCounters } from '../../protocol/node-processor.ts';
import { PARAMETER_INDEX as P } from '../../protocol/parameters.ts';
import { PACKED_EVENT_STRIDE, type MusicReply, type MusicRequest, type MusicRequestKind } from '../../protocol/processor-worker.ts';
import { isWindowMode, RequestKind, type LoopSink } from '../loop/loop-controller.ts';
import type { OutputScheduler } from '../loop/output-scheduler.ts';
import type { Beats, Frames, TransportClock } from '../loop/transport-clock.ts';
import type { CoreHost } from './core-host.ts';

/** Samples per render quantum (Web Audio fixes it at 128). */
export const QUANTUM = 128;
/** Replies must be scheduled at least this many blocks ahead of the current one. */
export const MIN_LEAD_BLOCKS = 3;

/** Replies the planner remembers for {@link ResponsePlanner.slowestRecentReplyFrames}. */
export const RECENT_REPLIES = 16;

const REQUEST_KINDS: readonly MusicRequestKind[] = ['phrase-only', 'answer', 'window'];

/** Where the planner reads what it needs besides its own state. */
export interface PlannerContext {
  readonly clock: TransportClock;
  readonly scheduler: OutputScheduler;
  /** Parameter values, PARAMETERS order. */
  readonly params: Float64Array;
  readonly counters: ProcessorCounters;
  readonly host: CoreHost;
  readonly sampleRate: number;
  /** The detected key (0–11 major, 12–23 minor, -1 unknown). */
  detectedKey(): number;
}

export class ResponsePlanner implements LoopSink {
  private readonly ctx: PlannerContext;
  /** Audio frame of the block being processed (set by the core each block). */
  nowFrame: Frames = 0;
  /** Seed of the preset; each request derives its own from it. */
  seed = 0x5eed;
  private nextRequestId = 1;
  /** Requests of the current mode and model; replies to older ones are ignored. */
  private firstLiveRequestId = 1;
  /** Audio frame each request left at, by request id modulo its length. */
  private readonly requestFrames = new Float64Array(1024);
  /** Request-to-reply times on the audio clock, milliseconds (a ring; resolution one block). */
  private readonly replyLatencies = new Float32Array(512);
  private replyCount = 0;
  /** Request-to-reply times of the latest {@link RECENT_REPLIES} replies, frames (a ring). */
  private readonly recentReplies = new Float64Array(RECENT_REPLIES);
  /** The slowest of the latest replies, request to reply on the audio clock, frames (0 before the first reply). */
  slowestRecentReplyFrames: Frames = 0;
  /** Planned events of one reply: frame, status, data1, data2 (the scheduler's capacity at most). */
  private readonly planned: Float64Array;
  /** Note-ons skipped in the reply being planned, by channel·128 + pitch, and the keys set (to clear them after). */
  private readonly skipped = new Uint8Array(16 * 128);
  private readonly skippedKeys = new Uint16Array(16 * 128);
  // Message objects reused for every send (sending clones them).
  private readonly request: MusicRequest;
  private readonly phrase: PhraseReport = { type: 'phrase', notes: new Float64Array(0), startBeat: 0, lengthBeats: 0, startTimeS: 0, tempoBpm: 0, beatsPerBar: 4 };
  private readonly report: PlannedReport = { type: 'planned', events: new Float64Array(0), startBeat: 0, tempoBpm: 0, sampleRate: 0, startFrame: 0 };
  private readonly requested: MusicRequestedReport = { type: 'music-requested', id: 0, kind: 'answer', targetStartTimeS: 0 };
  private readonly unanswered: MusicUnansweredReport = { type: 'music-unanswered', id: 0, reason: 'failed' };
  private readonly transfer: Transferable[] = [new ArrayBuffer(0)];

  constructor(ctx: PlannerContext) {
    this.ctx = ctx;
    this.planned = new Float64Array(ctx.scheduler.capacity * 4);
    this.request = {
      type: 'music-request', id: 0, kind: 'phrase-only', notes: new Float64Array(0), phraseStartBeat: 0, phraseLengthBeats: 0,
      targetStartBeat: 0, targetLengthBeats: 0, tempoBpm: 0, beatsPerBar: 4, phraseStartTimeS: 0,
      settings: {
        mode: 0, model: 0, temperature: 0, variation: 0, reply: 0, density: 0, humanize: 0, keyLock: 0, keyRoot: 0, scale: 0,
        detectedKey: -1, pitchLow: 0, pitchHigh: 0, midiChannel: 1, padX: 0, padY: 0, seed: 0,
      },
    };
  }

  /** Replies to requests made before now are ignored from now on (the mode or the model changed, or the transport stopped). */
  invalidateRequests(): void {
    this.firstLiveRequestId = this.nextRequestId;
  }

  /** Request-to-reply times of the latest replies, milliseconds (a copy; for diagnostics, not the audio path). */
  latenciesMs(): number[] {
    return Array.from(this.replyLatencies.subarray(0, Math.min(this.replyCount, this.replyLatencies.length)));
  }

  /** LoopSink: a phrase ended or a window is due; tells the node and asks the worker (one message each per phrase or window). */
  onRequest(
    kind: RequestKind, phraseStartBeat: Beats, phraseLengthBeats: Beats, notes: Float64Array, count: number,
    targetStartBeat: Beats, targetLengthBeats: Beats,
  ): void {
    const { clock, host, params, sampleRate } = this.ctx;
    // The one allocation per request: the notes travel by transfer.
    const packed = notes.slice(0, count * 4);
    const tempoBpm = clock.tempoBpm;
    const phraseStartTimeS = clock.frameAtBeat(phraseStartBeat) / sampleRate;
    if (count > 0) {
      const phrase = this.phrase;
      phrase.notes = packed;
      phrase.startBeat = phraseStartBeat;
      phrase.lengthBeats = phraseLengthBeats;
      phrase.startTimeS = phraseStartTimeS;
      phrase.tempoBpm = tempoBpm;
      phrase.beatsPerBar = clock.beatsPerBar;
      host.toNode(phrase);
    }
    if (!host.workerConnected) return;
    const wantsMusic = kind !== RequestKind.PhraseOnly && params[P.armed] >= 0.5;
    const id = this.nextRequestId++;
    this.requestFrames[id % this.requestFrames.length] = this.nowFrame;
    const r = this.request;
    r.id = id;
    r.kind = wantsMusic ? REQUEST_KINDS[kind] : 'phrase-only';
    r.notes = packed;
    r.phraseStartBeat = phraseStartBeat;
    r.phraseLengthBeats = phraseLengthBeats;
    r.targetStartBeat = targetStartBeat;
    r.targetLengthBeats = targetLengthBeats;
    r.tempoBpm = tempoBpm;
    r.beatsPerBar = clock.beatsPerBar;
    r.phraseStartTimeS = phraseStartTimeS;
    const s = r.settings;
    s.mode = params[P.mode];
    s.model = params[P.model];
    s.temperature = params[P.temperature];
    s.variation = params[P.variation];
    s.reply = params[P.reply];
    s.density = params[P.density];
    s.humanize = params[P.humanize];
    s.keyLock = params[P.keyLock];
    s.keyRoot = params[P.keyRoot];
    s.scale = params[P.scale];
    s.detectedKey = this.ctx.detectedKey();
    s.pitchLow = params[P.pitchLow];
    s.pitchHigh = params[P.pitchHigh];
    s.midiChannel = params[P.midiChannel];
    s.padX = params[P.padX];
    s.padY = params[P.padY];
    // One seed per request, derived from the preset's seed, so two instances replay alike.
    s.seed = (Math.imul(this.seed ^ id, 0x9e3779b1) ^ id) >>> 0;
    this.transfer[0] = packed.buffer;
    host.toWorker(r, this.transfer);
    if (wantsMusic) {
      // The GUI shows that the plugin is thinking until the answer is planned.
      const m = this.requested;
      m.id = id;
      m.kind = kind === RequestKind.Answer ? 'answer' : 'window';
      m.targetStartTimeS = clock.frameAtBeat(targetStartBeat) / sampleRate;
      host.toNode(m);
    }
  }

  /** The worker could not answer request `id`: tells the node. */
  onFailed(id: number): void {
    this.sendUnanswered(id, 'failed');
  }

  private sendUnanswered(id: number, reason: MusicUnansweredReport['reason']): void {
    const m = this.unanswered;
    m.id = id;
    m.reason = reason;
    this.ctx.host.toNode(m);
  }

  /**
   * Schedules the worker's music on the audio clock (see the file comment for
   * late replies) and reports what was planned to the node.
   * @param nowFrame the audio frame of the next block to render.
   */
  onMusic(reply: MusicReply, nowFrame: Frames): void {
    const { clock, scheduler, params, counters, host, sampleRate } = this.ctx;
    const replyFrames = nowFrame - this.requestFrames[reply.id % this.requestFrames.length];
    this.replyLatencies[this.replyCount % this.replyLatencies.length] = (replyFrames / sampleRate) * 1000;
    this.recentReplies[this.replyCount % RECENT_REPLIES] = replyFrames;
    this.replyCount++;
    let slowest = 0;
    for (let i = 0; i < RECENT_REPLIES; i++) slowest = Math.max(slowest, this.recentReplies[i]);
    this.slowestRecentReplyFrames = slowest;
    if (reply.id < this.firstLiveRequestId || params[P.armed] < 0.5) {
      this.sendUnanswered(reply.id, reply.id < this.firstLiveRequestId ? 'stale' : 'disarmed');
      return;
    }
    const earliest = nowFrame + MIN_LEAD_BLOCKS * QUANTUM;
    let start = reply.targetStartBeat;
    if (!isWindowMode(params[P.mode]) && clock.frameAtBeat(start) < earliest) {
      const beat = clock.beatAtFrame(earliest);
      start = clock.followsHost ? clock.nextBarStart(beat) : clock.nextBeat(beat);
      counters.deferredResponses++;
    }
    const events = reply.events;
    const n = Math.floor(events.length / PACKED_EVENT_STRIDE);
    const planned = this.planned;
    const skipped = this.skipped;
    let skippedCount = 0;
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const o = i * PACKED_EVENT_STRIDE;
      const frame = Math.round(clock.frameAtBeat(start + events[o]));
      const status = events[o + 1];
      const data1 = events[o + 2];
      const data2 = events[o + 3];
      const key = ((status & 0x0f) << 7) | (data1 & 0x7f);
      const isOn = (status & 0xf0) === 0x90 && data2 > 0;
      if (frame < earliest) {
        if (isOn && skipped[key] === 0) {
          skipped[key] = 1;
          this.skippedKeys[skippedCount++] = key;
        }
        counters.skippedLateEvents++;
        continue;
      }
      if (!isOn && skipped[key] === 1) {
        // The note-off of a skipped note-on: dropped too.
        skipped[key] = 0;
        continue;
      }
      if (!scheduler.add(frame, status, data1, data2) || kept * 4 >= planned.length) continue;
      planned[kept * 4] = frame;
      planned[kept * 4 + 1] = status;
      planned[kept * 4 + 2] = data1;
      planned[kept * 4 + 3] = data2;
      kept++;
    }
    for (let i = 0; i < skippedCount; i++) skipped[this.skippedKeys[i]] = 0;
    // The one allocation per reply: the report travels by transfer.
    const report = this.report;
    report.events = planned.slice(0, kept * 4);
    report.startBeat = start;
    report.startFrame = clock.frameAtBeat(start);
    report.tempoBpm = clock.tempoBpm;
    report.sampleRate = sampleRate;
    this.transfer[0] = report.events.buffer;
    host.toNode(report, this.transfer);
  }
}
