/**
 * The node ↔ processor protocol (the AudioWorkletNode's port), beside the WAM
 * SDK's own request/response messages. Our messages travel wrapped as
 * `{ di: message }` so the SDK's handler ignores them and ours ignores the
 * SDK's. Replies find their request by `id`.
 */

/** Counters the processor keeps about problems it absorbed instead of throwing. */
export interface ProcessorCounters {
  /** Input samples that were NaN or ±Infinity (analysed as 0; passed through untouched). */
  nonFiniteSamples: number;
  /** Scheduled output events whose time had already passed when processed. */
  lateEvents: number;
  /** Incoming MIDI messages that were malformed (wrong length, bad status byte). */
  malformedMidi: number;
  /** Events dropped because a preallocated queue was full, or refused by the phrase recorder (a beat that is not finite). */
  droppedEvents: number;
  /** Responses that came back from the worker after their start and were moved to the next bar line or beat. */
  deferredResponses: number;
  /** Window events skipped because their window's music came back after they were due. */
  skippedLateEvents: number;
  /** Requests the worker could not answer. */
  failedRequests: number;
  /** Events and parameter updates refused where they entered the processor, by reason (MIDI with bad bytes counts as malformedMidi). */
  rejected: RejectedCounts;
  /** Blocks in which something unexpected threw inside `process()` (the audio still passed through). */
  processErrors: number;
  /** Messages from the node that threw in the processor's handler (answered with an error, never left hanging). */
  messageErrors: number;
}

/** Refused events and parameter updates, by reason (see dsp/events/event-check.ts). */
export interface RejectedCounts {
  /** Not an object, or an event type the processor does not handle. */
  unknownType: number;
  /** A time that is not a finite number. */
  badTime: number;
  /** Missing data, or data of the wrong shape for the event type. */
  badData: number;
  /** A parameter id that is not one of ours (`__proto__`, `constructor`, a typo). */
  unknownParameter: number;
  /** A parameter value that is not a finite number. */
  badValue: number;
}

/** Every problem the counters record, summed (0 while all is well). */
export function countProblems(c: ProcessorCounters): number {
  const r = c.rejected;
  return c.nonFiniteSamples + c.lateEvents + c.malformedMidi + c.droppedEvents + c.deferredResponses + c.skippedLateEvents
    + c.failedRequests + c.processErrors + c.messageErrors + r.unknownType + r.badTime + r.badData + r.unknownParameter + r.badValue;
}

/** Events and parameter updates refused at the processor's boundary (malformed MIDI included). */
export function countRejected(c: ProcessorCounters): number {
  const r = c.rejected;
  return c.malformedMidi + r.unknownType + r.badTime + r.badData + r.unknownParameter + r.badValue;
}

/** Largest output latency the processor plans for, seconds. */
export const MAX_OUTPUT_LATENCY_S = 1;

/** Node → processor. */
export type NodeToProcessor =
  | { type: 'connect-worker'; port: MessagePort }
  /** Hands a feature batch buffer back to the processor's pool. */
  | { type: 'return-features'; frames: Float32Array }
  | { type: 'panic' }
  | { type: 'seed'; seed: number }
  /**
   * Time the plugin's planned output needs to reach where it plays, seconds
   * (a bridge's round trip to a native host; 0, the default, for a WAM host):
   * phrases are closed and answers planned that much earlier, so they keep
   * their bar line. Clamped to 0 … {@link MAX_OUTPUT_LATENCY_S}; not finite: 0.
   */
  | { type: 'output-latency'; seconds: number }
  /** Sends the feature and log batches still pending (e.g. after an offline render ends), then replies `flushed`. */
  | { type: 'flush'; id: number }
  | { type: 'debug'; id: number };

/**
 * Audio features at about 30 Hz, for the GUI: `frameCount` frames of
 * `featureCount` values (FEATURE_NAMES order) in `frames`, a pooled buffer
 * that the receiver hands back with `return-features`.
 */
export interface FeatureBatch {
  type: 'features';
  frames: Float32Array;
  frameCount: number;
  featureCount: number;
  /** Analysis frame index of the first frame (time = index · hop / sampleRate from the engine start). */
  firstFrameIndex: number;
  /** Audio-clock time of the first frame's start, seconds. */
  firstFrameTimeS: number;
  hopSize: number;
  sampleRate: number;
  /** Tracked tempo (BPM, 0 while unknown), beat phase (0–1) and key (0–11 major, 12–23 minor, -1 for no key). */
  tempoBpm: number;
  beatPhase: number;
  keyIndex: number;
  /** Confidence of the best-matching key, 0–1 (also sent while `keyIndex` is −1: how close a key is). */
  keyConfidence: number;
  /** Notes and drum hits found in the audio since the last batch: pitch, velocity, start time (s), end time (s); null when none. */
  notes: Float64Array | null;
}

/** Performer notes of a finished phrase, for the GUI's piano roll. */
export interface PhraseReport {
  type: 'phrase';
  /** Packed pitch, velocity, start, duration (beats from startBeat). */
  notes: Float64Array;
  startBeat: number;
  lengthBeats: number;
  /** Audio-clock time of startBeat, seconds. */
  startTimeS: number;
  tempoBpm: number;
  /** Beats per bar of the transport the phrase was played in. */
  beatsPerBar: number;
}

/** Output events the processor has scheduled, sent once per response. */
export interface PlannedReport {
  type: 'planned';
  /** Packed audio frame, status, data1, data2 per event. */
  events: Float64Array;
  /** Beat of the response start and the tempo it was planned at (beats per minute of the processor's clock). */
  startBeat: number;
  tempoBpm: number;
  sampleRate: number;
  /**
   * Audio frame of `startBeat` on the processor's clock when it planned (not
   * rounded): an event's beat is `startBeat + (frame − startFrame) ·
   * tempoBpm / 60 / sampleRate`, whatever the clock was told since.
   */
  startFrame: number;
}

/**
 * The performer's notes as they arrive (MIDI in on the input channel, and
 * notes and drum hits found in the audio), for the GUI's live roll: read
 * from the session-log batches, so sent with them (about 30 Hz, while a
 * worker is connected), only when there are any. The processor reuses the
 * message and its array (sending clones them): only the first `count`
 * events are valid.
 */
export interface PerformerNotesReport {
  type: 'performer-notes';
  /** Packed audio frame (divide by `sampleRate` for audio-clock seconds), pitch, velocity (0: note-off) per event. */
  events: Float64Array;
  /** Events in `events`. */
  count: number;
  /** Sample rate of the frames, Hz. */
  sampleRate: number;
}

/** Values per event in {@link PerformerNotesReport.events}. */
export const PERFORMER_EVENT_STRIDE = 3;

/** The processor asked the worker for music (an answer to a phrase, or the next window). */
export interface MusicRequestedReport {
  type: 'music-requested';
  /** Request id (the worker answers requests in order: the next {@link PlannedReport} or {@link MusicUnansweredReport} settles the oldest). */
  id: number;
  kind: 'answer' | 'window';
  /** Audio-clock time the music is wanted from, seconds. */
  targetStartTimeS: number;
}

/** A music request that will not be planned: the worker failed, or the reply came after a mode or model change, or after disarm. */
export interface MusicUnansweredReport {
  type: 'music-unanswered';
  id: number;
  reason: 'failed' | 'stale' | 'disarmed';
}

/** The beat clock as the processor sees it at one audio frame (for diagnostics and tests). */
export interface TransportReport {
  /** Audio frame the report is for (the processor's current frame). */
  frame: number;
  /** Beat position at `frame`. */
  beat: number;
  /** Tempo, BPM. */
  tempoBpm: number;
  beatsPerBar: number;
  /** True while a transport (the host's, or MIDI clock) plays and phrases follow its bars. */
  following: boolean;
  /** Audio frame (fractional) of the first bar line after `frame`. */
  nextBarFrame: number;
}

/** Processor → node. */
export type ProcessorToNode =
  | { type: 'ready'; name: string; sampleRate: number }
  | {
    type: 'debug-reply'; id: number; liveProcessors: number; queuedEvents: number; counters: ProcessorCounters;
    /** Request-to-reply times of the latest music requests, on the audio clock, milliseconds (one-block resolution). */
    replyLatenciesMs: number[];
    /** Own keys Object.prototype gained in the audio scope since the processor module loaded (empty unless something polluted it). */
    addedPrototypeKeys: string[];
    /** The beat clock now. */
    transport: TransportReport;
  }
  /** The counters, sent when they changed, at most about twice a second (and on `flush`). */
  | { type: 'stats'; counters: ProcessorCounters }
  | { type: 'flushed'; id: number }
  | PhraseReport
  | PlannedReport
  | PerformerNotesReport
  | MusicRequestedReport
  | MusicUnansweredReport
  | FeatureBatch
  /** Scheduled output was cancelled and sounding notes ended (stop, mode change, disarm, panic). */
  | { type: 'cancelled' };

/** The envelope on the port. */
export interface Envelope<T> {
  di: T;
}

/** True when a port message is one of ours (not the SDK's). */
export function isEnvelope<T>(data: unknown): data is Envelope<T> {
  return typeof data === 'object' && data !== null && 'di' in data;
}
