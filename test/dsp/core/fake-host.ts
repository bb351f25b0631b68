/**
 * A CoreHost for Node tests: keeps a structured clone of every message (as
 * postMessage would), the MIDI sent downstream, and hands pooled buffers
 * back as the node and the worker do. Not a test file itself.
 */
import type { CoreHost } from '../../../dsp/core/core-host.ts';
import type { AudioCore } from '../../../dsp/core/audio-core.ts';
import type { ProcessorToNode } from '../../../protocol/node-processor.ts';
import type { ProcessorToWorker } from '../../../protocol/processor-worker.ts';

export class FakeHost implements CoreHost {
  workerConnected = true;
  core: AudioCore | null = null;
  readonly toNodeMessages: ProcessorToNode[] = [];
  readonly toWorkerMessages: ProcessorToWorker[] = [];
  readonly midi: [number, number, number, number][] = [];

  toNode(message: ProcessorToNode): void {
    this.toNodeMessages.push(structuredClone(message));
    if (message.type === 'features') this.core?.onNodeMessage({ type: 'return-features', frames: message.frames }, 0);
  }

  toWorker(message: ProcessorToWorker): void {
    if (!this.workerConnected) return;
    this.toWorkerMessages.push(structuredClone(message));
    if (message.type === 'log-batch') this.core?.onWorkerMessage({ type: 'return-log-buffers', features: message.features, events: message.events }, 0, 'test');
  }

  emitMidi(frame: number, status: number, data1: number, data2: number): void {
    this.midi.push([frame, status, data1, data2]);
  }

  /** Messages of one type sent to the node. */
  node<T extends ProcessorToNode['type']>(type: T): Extract<ProcessorToNode, { type: T }>[] {
    return this.toNodeMessages.filter((m): m is Extract<ProcessorToNode, { type: T }> => m.type === type);
  }

  /** Messages of one type sent to the worker. */
  worker<T extends ProcessorToWorker['type']>(type: T): Extract<ProcessorToWorker, { type: T }>[] {
    return this.toWorkerMessages.filter((m): m is Extract<ProcessorToWorker, { type: T }> => m.type === type);
  }
}
