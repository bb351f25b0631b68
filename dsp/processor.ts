/**
 * The Deep Improv audio processor: the plugin's audio-thread half, built as
 * its own module (dist/processor.js) and loaded with
 * `audioWorklet.addModule(new URL('./processor.js', import.meta.url))`.
 *
 * Per 128-sample block it copies the input to the output bit for bit (zero
 * latency), handles the events due in this block at their sample offsets
 * (MIDI thru re-emits each incoming MIDI event with its own time, so a
 * receiver places it at the same sample frame), and talks to the model worker
 * over a direct MessageChannel.
 *
 * Real-time rules: `process()` never throws and allocates nothing after
 * warm-up (the SDK's own `process()` builds slice objects every block, so it
 * is replaced here); problems are counted and reported over the port.
 */
import type { WamEvent, WamMidiData } from '@webaudiomodules/api';
import { MODULE_ID } from '../plugin/descriptor.ts';
import { PARAMETERS } from '../plugin/parameters.ts';
import { isEnvelope, type NodeToProcessor, type ProcessorCounters, type ProcessorToNode } from '../protocol/node-processor.ts';
import type { ProcessorToWorker, WorkerToProcessor } from '../protocol/processor-worker.ts';
import { isValidMidiMessage } from './midi/validate.ts';
import { loadWamScope } from './wam-scope.ts';

declare const sampleRate: number;
declare const currentTime: number;
declare function registerProcessor(name: string, ctor: unknown): void;

/** Samples per render quantum (Web Audio fixes it at 128). */
const QUANTUM = 128;

const { WamProcessor, WamParameterInfo } = loadWamScope(MODULE_ID);

/** Processors alive in this AudioWorkletGlobalScope (all instances of this version). */
let liveProcessors = 0;

const byTime = (a: { event: WamEvent }, b: { event: WamEvent }): number => (a.event.time ?? 0) - (b.event.time ?? 0);

class DeepImprovProcessor extends WamProcessor {
  private workerPort: MessagePort | null = null;
  private readonly counters: ProcessorCounters = { nonFiniteSamples: 0, lateEvents: 0, malformedMidi: 0, droppedEvents: 0 };
  private disposed = false;
  /** Set by the SDK's `scheduleEvents()` when the queue may be out of order (missing from its typings). */
  declare _eventQueueRequiresSort: boolean;

  constructor(options: AudioWorkletNodeOptions) {
    super(options);
    liveProcessors++;
  }

  override _generateWamParameterInfo() {
    const infos: Record<string, InstanceType<typeof WamParameterInfo>> = {};
    for (const p of PARAMETERS) {
      infos[p.id] = new WamParameterInfo(p.id, {
        type: p.type,
        label: p.label,
        defaultValue: p.defaultValue,
        minValue: p.minValue,
        maxValue: p.maxValue,
        choices: p.choices ? [...p.choices] : [],
        units: p.units,
      });
    }
    return infos;
  }

  /** A parameter's current plain value (no allocation). */
  private param(id: string): number {
    return this._parameterState[id].value;
  }

  override async _onMessage(message: MessageEvent): Promise<void> {
    const data: unknown = message.data;
    if (isEnvelope<NodeToProcessor>(data)) {
      this.onNodeMessage(data.di);
      return;
    }
    return super._onMessage(message);
  }

  private post(message: ProcessorToNode): void {
    this.port.postMessage({ di: message });
  }

  private onNodeMessage(message: NodeToProcessor): void {
    switch (message.type) {
      case 'connect-worker':
        this.connectWorker(message.port);
        break;
      case 'panic':
        this.panic();
        break;
      case 'debug':
        this.post({ type: 'debug-reply', id: message.id, liveProcessors, queuedEvents: this._eventQueue.length, counters: { ...this.counters } });
        break;
    }
  }

  private connectWorker(port: MessagePort): void {
    if (this.workerPort) this.workerPort.close();
    this.workerPort = port;
    port.onmessage = (event: MessageEvent<WorkerToProcessor>) => this.onWorkerMessage(event.data);
    const hello: ProcessorToWorker = { type: 'hello', sampleRate, instanceId: this.instanceId };
    port.postMessage(hello);
  }

  private onWorkerMessage(message: WorkerToProcessor): void {
    switch (message.type) {
      case 'ready':
        this.post({ type: 'ready', name: MODULE_ID, sampleRate });
        break;
      case 'pong':
        break;
    }
  }

  /** Sends all-notes-off and all-sound-off on every channel, at once. */
  private panic(): void {
    for (let channel = 0; channel < 16; channel++) {
      this.emitEvents(
        { type: 'wam-midi', time: currentTime, data: { bytes: [0xb0 | channel, 123, 0] } },
        { type: 'wam-midi', time: currentTime, data: { bytes: [0xb0 | channel, 120, 0] } },
      );
    }
  }

  override process(inputs: Float32Array[][], outputs: Float32Array[][], _parameters: Record<string, Float32Array>): boolean {
    if (this._destroyed) return false;
    const input = inputs[0];
    const output = outputs[0];
    // Pass-through first and unconditionally: bit-exact, zero latency.
    if (output) {
      for (let c = 0; c < output.length; c++) {
        const source = input !== undefined && c < input.length ? input[c] : undefined;
        if (source !== undefined) output[c].set(source);
        else output[c].fill(0);
      }
    }
    if (!this._initialized) return true;
    this.processDueEvents();
    return true;
  }

  /** Handles the queued events that fall in this block, in time order. */
  private processDueEvents(): void {
    const queue = this._eventQueue;
    if (queue.length === 0) return;
    if (this._eventQueueRequiresSort) {
      queue.sort(byTime);
      this._eventQueueRequiresSort = false;
    }
    while (queue.length > 0) {
      const pending = queue[0];
      const offsetS = (pending.event.time ?? 0) - currentTime;
      const sampleIndex = offsetS > 0 ? Math.round(offsetS * sampleRate) : 0;
      if (sampleIndex >= QUANTUM) break;
      queue.shift();
      // Events scheduled from the main thread wait for this acknowledgement.
      if (pending.id) this.port.postMessage({ id: pending.id, response: 'add/event' });
      this.handleEvent(pending.event);
    }
  }

  private handleEvent(event: WamEvent): void {
    switch (event.type) {
      case 'wam-midi':
        this.onMidiEvent(event);
        break;
      case 'wam-automation':
        this._setParameterValue(event.data, false);
        break;
      default:
        break;
    }
  }

  private onMidiEvent(event: WamEvent): void {
    const data = event.data as WamMidiData;
    if (!data || !isValidMidiMessage(data.bytes)) {
      this.counters.malformedMidi++;
      return;
    }
    // Re-emit the event object itself: same time, so the receiver places it
    // at the same sample frame, and no copy per event.
    if (this.param('midiThru') >= 0.5) this.emitEvents(event);
  }

  override destroy(): void {
    if (this.disposed) return;
    this.disposed = true;
    liveProcessors--;
    if (this.workerPort) {
      this.workerPort.onmessage = null;
      this.workerPort.close();
      this.workerPort = null;
    }
    super.destroy();
  }
}

try {
  registerProcessor(MODULE_ID, DeepImprovProcessor);
} catch {
  // A second instance in the same audio context loads this module again;
  // the name is already registered with an identical class.
}
