/**
 * The node ↔ worker protocol (Worker.postMessage). Requests carry an `id`;
 * the worker answers each with exactly one `reply` bearing that id.
 */

/** What the node tells the worker when it starts it. */
export interface WorkerInit {
  /** Absolute URL of the built plugin folder (ends with '/'): weights and wasm are found from here. */
  baseUrl: string;
  instanceId: string;
  sampleRate: number;
  /** The worker's end of the processor ↔ worker MessageChannel. */
  processorPort: MessagePort;
}

/** Node → worker. */
export type NodeToWorker =
  | { type: 'init'; init: WorkerInit }
  | { type: 'request'; id: number; request: WorkerRequest }
  | { type: 'dispose' };

/** A request the node may make of the worker. */
export type WorkerRequest =
  | { op: 'status' };

/** The result of each request op. */
export interface WorkerResults {
  status: WorkerStatus;
}

/** What the worker reports about itself. */
export interface WorkerStatus {
  /** True once the processor port handshake is done. */
  processorConnected: boolean;
  /** Models loaded and warmed up. */
  models: string[];
}

/** Worker → node. */
export type WorkerToNode =
  | { type: 'ready'; status: WorkerStatus }
  | { type: 'reply'; id: number; ok: true; result: unknown }
  | { type: 'reply'; id: number; ok: false; error: string }
  | { type: 'error'; message: string };
