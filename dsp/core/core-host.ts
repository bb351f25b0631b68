/**
 * What the audio core needs from the thread it runs on: somewhere to send
 * the node's and the worker's messages, and the MIDI output. The WAM
 * processor (dsp/processor.ts) implements it over its port, its worker
 * MessageChannel and `emitEvents`; Node tests implement it with arrays.
 *
 * Messages are structured-cloned (or their buffers transferred) when sent,
 * so the core may reuse a message object for the next send.
 *
 * [audio-thread]
 */
import type { ProcessorToNode } from '../../protocol/node-processor.ts';
import type { ProcessorToWorker } from '../../protocol/processor-worker.ts';
import type { Frames } from '../loop/transport-clock.ts';

export interface CoreHost {
  /** True while a model worker is connected. */
  readonly workerConnected: boolean;
  /** Sends a message to the node (transferring `transfer`). */
  toNode(message: ProcessorToNode, transfer?: Transferable[]): void;
  /** Sends a message to the worker (transferring `transfer`); does nothing while none is connected. */
  toWorker(message: ProcessorToWorker, transfer?: Transferable[]): void;
  /** Sends one short MIDI message to the downstream plugins, at audio frame `frame` (may be fractional; receivers round). */
  emitMidi(frame: Frames, status: number, data1: number, data2: number): void;
}
