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
}

/** Node → processor. */
export type NodeToProcessor =
  | { type: 'connect-worker'; port: MessagePort }
  | { type: 'panic' }
  | { type: 'debug'; id: number };

/** Processor → node. */
export type ProcessorToNode =
  | { type: 'ready'; name: string; sampleRate: number }
  | { type: 'debug-reply'; id: number; liveProcessors: number; queuedEvents: number; counters: ProcessorCounters }
  | { type: 'stats'; counters: ProcessorCounters };

/** The envelope on the port. */
export interface Envelope<T> {
  di: T;
}

/** True when a port message is one of ours (not the SDK's). */
export function isEnvelope<T>(data: unknown): data is Envelope<T> {
  return typeof data === 'object' && data !== null && 'di' in data;
}
