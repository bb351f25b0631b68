/**
 * The node ↔ worker protocol (Worker.postMessage). Requests carry an `id`;
 * the worker answers each with exactly one `reply` bearing that id.
 */
import type { Phrase } from './phrase.ts';

/** What the node tells the worker when it starts it. */
export interface WorkerInit {
  /** Absolute URL of the built plugin folder (ends with '/'): weights and wasm are found from here. */
  baseUrl: string;
  instanceId: string;
  sampleRate: number;
  /** The worker's end of the processor ↔ worker MessageChannel. */
  processorPort: MessagePort;
  /** The plugin version, the plugin state at start and host information, for the session log. */
  pluginVersion: string;
  stateAtStart: unknown;
  host: unknown;
  /** Whether to record the session log (default true). */
  logging: boolean;
}

/** Node → worker. */
export type NodeToWorker =
  | { type: 'init'; init: WorkerInit }
  | { type: 'request'; id: number; request: WorkerRequest }
  | { type: 'dispose' };

/** A request the node may make of the worker. */
export type WorkerRequest =
  | { op: 'status' }
  /**
   * Sets the latent-pad anchors of a model: each from its latent, else from
   * its phrase (encoded with the model), else drawn from the prior.
   */
  | { op: 'set-anchors'; model: string; anchors: { latent: number[] | null; phrase: Phrase | null }[] }
  /** Stores the performer's latest latent of a model as pad anchor `index` (0–3); resolves to it. */
  | { op: 'capture-anchor'; model: string; index: number }
  /** The latent-pad anchors of a model. */
  | { op: 'get-anchors'; model: string }
  /** The model operations, on a shipped model by name ('melody' or 'drums'). Latents travel as number arrays. */
  | { op: 'encode'; model: string; phrase: Phrase }
  | { op: 'decode'; model: string; latent: number[]; temperature?: number; seed?: number }
  | { op: 'interpolate'; model: string; from: number[]; to: number[]; t: number }
  | { op: 'sample'; model: string; temperature?: number; seed?: number }
  | { op: 'similar'; model: string; latent: number[]; variation: number; temperature?: number; seed?: number }
  | { op: 'continue'; model: string; phrase: Phrase; temperature?: number; seed?: number }
  /** Writes everything buffered to IndexedDB now (pagehide, visibilitychange). */
  | { op: 'flush-log' }
  /** Adds a marker to the session log at an audio-clock time (seconds). */
  | { op: 'marker'; label: string; audioTimeS: number };

/** The result of each request op. */
export interface WorkerResults {
  'status': WorkerStatus;
  'set-anchors': null;
  'capture-anchor': number[];
  'get-anchors': (number[] | null)[];
  'encode': number[];
  'decode': Phrase;
  'interpolate': number[];
  'sample': { latent: number[]; phrase: Phrase };
  'similar': { latent: number[]; phrase: Phrase };
  'continue': { latent: number[]; phrase: Phrase };
  'flush-log': null;
  'marker': null;
}

/** The session log's state, as the worker reports it (see log/status.ts). */
export interface LogStatusReport {
  state: 'ok' | 'degraded-memory' | 'failed' | 'off';
  message: string;
  sessionId: string | undefined;
}

/** What the worker reports about itself. */
export interface WorkerStatus {
  /** True once the processor port handshake is done. */
  processorConnected: boolean;
  /** Models loaded and warmed up. */
  models: string[];
  /** Models that failed to load, with the reason. */
  modelErrors: Record<string, string>;
  /** Music requests answered and failed. */
  answered: number;
  failed: number;
  /** Time the worker spent computing each of the latest music answers (at most 256, oldest first), ms. */
  answerComputeMs: number[];
  /** Phrase updates used (the phrase so far, warming the latent before the request). */
  phraseUpdates: number;
  /** Answers whose performer latent started from a latent warmed by phrase updates (the others fell back to a bounded encode). */
  warmAnswers: number;
}

/** Worker → node. */
export type WorkerToNode =
  | { type: 'ready'; status: WorkerStatus }
  | { type: 'reply'; id: number; ok: true; result: unknown }
  | { type: 'reply'; id: number; ok: false; error: string }
  | { type: 'error'; message: string }
  | { type: 'log-status'; status: LogStatusReport }
  /** The worker has flushed its log and is about to close itself. */
  | { type: 'closed' };
