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
  /** Events dropped because a preallocated queue was full. */
  droppedEvents: number;
  /** Responses that came back from the worker after their start and were moved to the next bar line or beat. */
  deferredResponses: number;
  /** Window events skipped because their window's music came back after they were due. */
  skippedLateEvents: number;
  /** Requests the worker could not answer. */
  failedRequests: number;
}

/** Node → processor. */
export type NodeToProcessor =
  | { type: 'connect-worker'; port: MessagePort }
  | { type: 'panic' }
  | { type: 'seed'; seed: number }
  | { type: 'debug'; id: number };

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
}

/** Output events the processor has scheduled, sent once per response. */
export interface PlannedReport {
  type: 'planned';
  /** Packed audio frame, status, data1, data2 per event. */
  events: Float64Array;
  /** Beat of the response start and the tempo it was planned at. */
  startBeat: number;
  tempoBpm: number;
  sampleRate: number;
}

/** Processor → node. */
export type ProcessorToNode =
  | { type: 'ready'; name: string; sampleRate: number }
  | { type: 'debug-reply'; id: number; liveProcessors: number; queuedEvents: number; counters: ProcessorCounters }
  | { type: 'stats'; counters: ProcessorCounters }
  | PhraseReport
  | PlannedReport
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
