/**
 * The Deep Improv audio processor: the plugin's audio-thread half, built as
 * its own module (dist/processor.js) and loaded with
 * `audioWorklet.addModule(new URL('./processor.js', import.meta.url))`.
 *
 * A thin WAM shell over the plain audio core (dsp/core/audio-core.ts). Per
 * 128-sample block it copies the input to the output bit for bit (zero
 * latency), hands the core the events due in this block in time order (MIDI
 * thru re-emits each incoming MIDI event object with its own time, so a
 * receiver places it at the same sample frame), and lets the core do the rest.
 * It owns what is WAM's or AudioWorklet's: the SDK's event queue and
 * parameter state, the port to the node, the MessageChannel to the worker,
 * `emitEvents`, registration.
 *
 * Boundary: every event and parameter update is checked where it enters
 * (dsp/events/event-check.ts) and refused ones are counted, so the core
 * only ever sees well-formed input. Real-time rules: `process()` never throws
 * (a last-resort catch counts what slipped through, after the audio has
 * passed) and allocates nothing per block; the SDK's own `process()` builds
 * slice objects every block, so it is replaced here.
 *
 * [audio-thread]
 */
import type { WamEvent, WamMidiData, WamParameterData, WamParameterDataMap, WamTransportData } from '@webaudiomodules/api';
import { MODULE_ID } from '../protocol/module-id.ts';
import { PARAMETER_INDEX, PARAMETERS } from '../protocol/parameters.ts';
import { isEnvelope, type NodeToProcessor, type ProcessorToNode } from '../protocol/node-processor.ts';
import type { ProcessorToWorker, WorkerToProcessor } from '../protocol/processor-worker.ts';
import { AudioCore } from './core/audio-core.ts';
import type { CoreHost } from './core/core-host.ts';
import { QUANTUM } from './core/response-planner.ts';
import { checkEvent, checkParameterUpdate, EventFault } from './events/event-check.ts';
import { loadWamScope } from './wam-scope.ts';

const { WamProcessor, WamParameterInfo } = loadWamScope(MODULE_ID);

/** Processors alive in this AudioWorkletGlobalScope (all instances of this version). */
let liveProcessors = 0;

/** Object.prototype's own keys when this module loaded: the debug reply names any added since (prototype pollution in the shared scope). */
const PROTOTYPE_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));

const byTime = (a: { event: WamEvent }, b: { event: WamEvent }): number => (a.event.time ?? 0) - (b.event.time ?? 0);

/** An SDK request on the port (`{ id, request: 'verb/noun', content }`). */
interface SdkRequest { id: number; request: string; content?: { event?: unknown } }

function isSdkRequest(data: unknown): data is SdkRequest {
  return typeof data === 'object' && data !== null && typeof (data as SdkRequest).request === 'string';
}

class DeepImprovProcessor extends WamProcessor implements CoreHost {
  private workerPort: MessagePort | null = null;
  private readonly core = new AudioCore(sampleRate, this);
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

  // ── CoreHost ──────────────────────────────────────────────────────────

  get workerConnected(): boolean {
    return this.workerPort !== null;
  }

  toNode(message: ProcessorToNode, transfer?: Transferable[]): void {
    if (transfer) this.port.postMessage({ di: message }, transfer);
    else this.port.postMessage({ di: message });
  }

  toWorker(message: ProcessorToWorker, transfer?: Transferable[]): void {
    const port = this.workerPort;
    if (!port) return;
    if (transfer) port.postMessage(message, transfer);
    else port.postMessage(message);
  }

  /**
   * Sends one MIDI message downstream. emitEvents hands the event object to
   * other plugins, which may keep it, so each emitted event is a fresh
   * `{ type, time, data: { bytes } }`: the one allocation the WAM API forces
   * on the per-event output path.
   */
  emitMidi(frame: number, status: number, data1: number, data2: number): void {
    this.emitEvents({ type: 'wam-midi', time: frame / sampleRate, data: { bytes: [status, data1, data2] } });
  }

  // ── The node's and the SDK's messages ─────────────────────────────────

  override async _onMessage(message: MessageEvent): Promise<void> {
    const data: unknown = message.data;
    if (isEnvelope<NodeToProcessor>(data)) {
      this.onNodeMessage(data.di);
      return;
    }
    if (!isSdkRequest(data)) {
      if (typeof data === 'object' && data !== null && (data as { destroy?: unknown }).destroy) this.destroy();
      return;
    }
    if (data.request === 'add/event' && !this.admit(data.content?.event)) {
      // Refused at the door, never queued; answered so the node forgets it.
      this.port.postMessage({ id: data.id, response: data.request });
      return;
    }
    try {
      await super._onMessage(message);
    } catch {
      // The SDK answers only when its handler completes: answer here, so no promise hangs.
      this.core.counters.messageErrors++;
      this.port.postMessage({ id: data.id, response: data.request, content: 'error' });
    }
  }

  private onNodeMessage(message: NodeToProcessor): void {
    switch (message.type) {
      case 'connect-worker':
        this.connectWorker(message.port);
        break;
      case 'debug':
        this.toNode({
          type: 'debug-reply', id: message.id, liveProcessors, queuedEvents: this._eventQueue.length, counters: this.core.counters,
          replyLatenciesMs: this.core.planner.latenciesMs(),
          addedPrototypeKeys: Object.getOwnPropertyNames(Object.prototype).filter((key) => !PROTOTYPE_KEYS.has(key)),
          transport: this.core.transportReport(currentFrame),
        });
        break;
      default:
        this.core.onNodeMessage(message, currentFrame);
        break;
    }
  }

  private connectWorker(port: MessagePort): void {
    if (this.workerPort) this.workerPort.close();
    this.workerPort = port;
    port.onmessage = (event: MessageEvent<WorkerToProcessor>) => this.core.onWorkerMessage(event.data, currentFrame, MODULE_ID);
    this.toWorker({ type: 'hello', sampleRate, instanceId: this.instanceId });
  }

  // ── The boundary: events and parameter updates are checked as they enter ──

  /**
   * Events from upstream WAMs (the SDK's emitEvents calls this on the audio
   * thread): each is checked before it is queued; refused ones are counted.
   * The queue entry `{ id, event }` is the SDK's own queue format (one object
   * per event, as the SDK's own scheduleEvents allocates).
   */
  override scheduleEvents(...events: WamEvent[]): void {
    const queue = this._eventQueue;
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      if (this.admit(event)) queue.push({ id: 0, event });
    }
    this._eventQueueRequiresSort = queue.length > 1;
  }

  /** True when `event` may be queued; otherwise counts why it was refused. */
  private admit(event: unknown): event is WamEvent {
    const fault = checkEvent(event, PARAMETER_INDEX);
    if (fault === EventFault.None) return true;
    this.countFault(fault);
    return false;
  }

  private countFault(fault: EventFault): void {
    const c = this.core.counters;
    const r = c.rejected;
    switch (fault) {
      case EventFault.UnknownType: r.unknownType++; break;
      case EventFault.BadTime: r.badTime++; break;
      case EventFault.BadData: r.badData++; break;
      case EventFault.MalformedMidi: c.malformedMidi++; break;
      case EventFault.UnknownParameter: r.unknownParameter++; break;
      case EventFault.BadValue: r.badValue++; break;
      default: break;
    }
  }

  /**
   * Every parameter update (automation events, the SDK's set requests, state)
   * passes here: unknown ids and bad values are ignored and counted; accepted
   * values reach the core as the SDK's parameter holds them.
   */
  override _setParameterValue(update: WamParameterData, interpolate: boolean): void {
    const fault = checkParameterUpdate(update, PARAMETER_INDEX);
    if (fault !== EventFault.None) {
      this.countFault(fault);
      return;
    }
    super._setParameterValue(update, interpolate);
    const parameter = this._parameterState[update.id];
    if (parameter) this.core.parameters.set(PARAMETER_INDEX[update.id], parameter.value);
  }

  override _setParameterValues(updates: WamParameterDataMap, interpolate: boolean): void {
    if (typeof updates !== 'object' || updates === null) {
      this.core.counters.rejected.badData++;
      return;
    }
    super._setParameterValues(updates, interpolate);
  }

  override _setState(state: unknown): void {
    if (typeof state !== 'object' || state === null) {
      this.core.counters.rejected.badData++;
      return;
    }
    super._setState(state);
  }

  /** Values of the asked ids that are ours (others are left out); all values when none are asked. */
  override _getParameterValues(normalized: boolean, parameterIds?: string[]): WamParameterDataMap {
    if (!Array.isArray(parameterIds) || parameterIds.length === 0) return super._getParameterValues(normalized);
    const ours = parameterIds.filter((id) => typeof id === 'string' && Object.hasOwn(PARAMETER_INDEX, id));
    return ours.length > 0 ? super._getParameterValues(normalized, ours) : {};
  }

  // ── The block ─────────────────────────────────────────────────────────

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
    try {
      this.core.beginBlock(currentFrame);
      this.processDueEvents();
      this.core.endBlock(input);
    } catch {
      // Last resort: the audio has passed already; count it and keep going next block.
      this.core.counters.processErrors++;
    }
    return true;
  }

  /** Hands the queued events that fall in this block to the core, in time order. */
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

  /** One checked event (see admit()). */
  private handleEvent(event: WamEvent): void {
    switch (event.type) {
      case 'wam-midi':
        // Re-emit the event object itself: same time, so the receiver places it at the same frame, and no copy per event.
        if (this.core.midiIn((event.data as WamMidiData).bytes, event.time)) this.emitEvents(event);
        break;
      case 'wam-transport':
        this.core.transport(event.data as WamTransportData);
        break;
      case 'wam-sysex':
        this.core.sysex((event.data as { bytes: Uint8Array }).bytes);
        break;
      case 'wam-automation':
        this._setParameterValue(event.data, false);
        break;
      default:
        break;
    }
  }

  override destroy(): void {
    if (this.disposed) return;
    this.disposed = true;
    liveProcessors--;
    this.core.destroy(currentFrame);
    this.toWorker({ type: 'bye' });
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
