/**
 * The processor ↔ worker protocol: a MessageChannel between the audio thread
 * and the model worker, so phrases and generated events never pass through
 * the main thread. Batched: never a message per 128-sample block.
 */

/** Processor → worker. */
export type ProcessorToWorker =
  | { type: 'hello'; sampleRate: number; instanceId: string }
  | { type: 'ping'; id: number; audioTimeS: number };

/** Worker → processor. */
export type WorkerToProcessor =
  | { type: 'ready' }
  | { type: 'pong'; id: number };
