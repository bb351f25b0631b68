/**
 * The Deep Improv audio node (main thread): the WAM node hosts talk to.
 * It owns the processor (through the SDK's port protocol), the model worker
 * (through {@link WorkerClient}) and the direct MessageChannel between them,
 * holds the validated plugin state, and is the only API the GUI uses.
 */
import { WamNode } from '@webaudiomodules/sdk';
import type { WebAudioModule } from '@webaudiomodules/api';
import { isEnvelope, type NodeToProcessor, type ProcessorCounters, type ProcessorToNode } from '../protocol/node-processor.ts';
import type { WorkerStatus } from '../protocol/node-worker.ts';
import { PARAMETERS, type ParameterValues } from './parameters.ts';
import { defaultState } from './state/defaults.ts';
import type { PluginState } from './state/schema.ts';
import { validateState } from './state/validate.ts';
import { WorkerClient } from './worker-client.ts';

/** Readiness of one part of the plugin. */
export type PartStatus = 'loading' | 'ready' | 'error';

/** What the GUI's status line shows. */
export interface PluginStatus {
  processor: PartStatus;
  worker: PartStatus;
  /** The last error, if any, in words for the user. */
  message: string;
}

/** What {@link DeepImprovNode.debugInfo} reports (for tests and diagnostics). */
export interface DebugInfo {
  /** Processors of this plugin version alive in the audio context. */
  liveProcessors: number;
  queuedEvents: number;
  counters: ProcessorCounters;
}

/** Milliseconds the plugin waits for the worker before reporting it as failed. Audio keeps passing either way. */
const WORKER_READY_TIMEOUT_MS = 20_000;

export class DeepImprovNode extends WamNode {
  /** Loads the processor module (one real module, found next to this file). */
  static override async addModules(audioContext: BaseAudioContext, _moduleId: string): Promise<void> {
    await audioContext.audioWorklet.addModule(new URL('./processor.js', import.meta.url));
  }

  private readonly workerClient: WorkerClient;
  private state: PluginState = defaultState();
  private currentStatus: PluginStatus = { processor: 'loading', worker: 'loading', message: '' };
  private readonly statusListeners = new Set<(status: PluginStatus) => void>();
  private readonly debugReplies = new Map<number, (info: DebugInfo) => void>();
  private nextDebugId = 1;
  private disposed = false;

  constructor(module: WebAudioModule) {
    super(module, {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      outputChannelCount: [2],
      channelCount: 2,
      channelCountMode: 'explicit',
      channelInterpretation: 'speakers',
    });
    this.workerClient = new WorkerClient({
      workerUrl: new URL('./worker.js', import.meta.url),
      onError: (message) => this.updateStatus({ worker: 'error', message }),
    });
  }

  /**
   * Initialises the processor, starts the worker and connects the two.
   * Resolves when the processor is ready and the worker is ready or has failed
   * (a failed worker leaves audio and MIDI thru working; the status says why).
   */
  async setup(initialState?: unknown): Promise<void> {
    if (initialState !== undefined) this.state = validateState(initialState);
    await this._initialize();
    await this.pushParameters(this.state.parameters);
    this.updateStatus({ processor: 'ready' });
    const channel = new MessageChannel();
    this.sendToProcessor({ type: 'connect-worker', port: channel.port1 }, [channel.port1]);
    const baseUrl = new URL('./', import.meta.url).href;
    this.workerClient.start({ baseUrl, instanceId: this.instanceId, sampleRate: this.context.sampleRate, processorPort: channel.port2 });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`model worker not ready after ${WORKER_READY_TIMEOUT_MS} ms`)), WORKER_READY_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.workerClient.ready, timeout]);
      this.updateStatus({ worker: 'ready' });
    } catch (error) {
      this.updateStatus({ worker: 'error', message: error instanceof Error ? error.message : String(error) });
    } finally {
      clearTimeout(timer);
    }
  }

  /** The current status. */
  get status(): PluginStatus {
    return { ...this.currentStatus };
  }

  /** Calls `listener` with the status now and on every change; returns the function that removes it. */
  onStatus(listener: (status: PluginStatus) => void): () => void {
    this.statusListeners.add(listener);
    listener(this.status);
    return () => this.statusListeners.delete(listener);
  }

  private updateStatus(change: Partial<PluginStatus>): void {
    this.currentStatus = { ...this.currentStatus, ...change };
    for (const listener of this.statusListeners) listener(this.status);
  }

  /** Asks the worker for its status. */
  workerStatus(): Promise<WorkerStatus> {
    return this.workerClient.request({ op: 'status' });
  }

  /**
   * The complete plugin state, as plain JSON: everything needed to restore
   * the plugin (hosts store it opaquely).
   */
  override async getState(): Promise<PluginState> {
    const values = await this.getParameterValues(false);
    const parameters: ParameterValues = { ...this.state.parameters };
    for (const p of PARAMETERS) {
      const entry = values[p.id];
      if (entry && Number.isFinite(entry.value)) parameters[p.id] = entry.value;
    }
    this.state = { ...this.state, parameters };
    return structuredClone(this.state);
  }

  /**
   * Restores a state from {@link getState}, a preset, or an older version.
   * Anything a user may hand it is validated first.
   * @throws StateError (from plugin/state) naming what was wrong; the current state is left untouched.
   */
  override async setState(input: unknown): Promise<void> {
    const next = validateState(input);
    await this.pushParameters(next.parameters);
    this.state = next;
  }

  private async pushParameters(parameters: ParameterValues): Promise<void> {
    const data: Record<string, { id: string; value: number; normalized: boolean }> = {};
    for (const p of PARAMETERS) data[p.id] = { id: p.id, value: parameters[p.id], normalized: false };
    await this.setParameterValues(data);
  }

  /** Sends all-notes-off on every channel, at once. */
  panic(): void {
    this.sendToProcessor({ type: 'panic' });
  }

  /** Counters and instance counts from the processor. */
  debugInfo(): Promise<DebugInfo> {
    const id = this.nextDebugId++;
    return new Promise((resolve) => {
      this.debugReplies.set(id, resolve);
      this.sendToProcessor({ type: 'debug', id });
    });
  }

  private sendToProcessor(message: NodeToProcessor, transfer: Transferable[] = []): void {
    this.port.postMessage({ di: message }, transfer);
  }

  override _onMessage(message: MessageEvent): void {
    const data: unknown = message.data;
    if (!isEnvelope<ProcessorToNode>(data)) {
      super._onMessage(message);
      return;
    }
    const m = data.di;
    switch (m.type) {
      case 'debug-reply': {
        const resolve = this.debugReplies.get(m.id);
        this.debugReplies.delete(m.id);
        resolve?.({ liveProcessors: m.liveProcessors, queuedEvents: m.queuedEvents, counters: m.counters });
        break;
      }
      case 'ready':
      case 'stats':
        break;
    }
  }

  /** Stops the worker and the processor and drops every listener. Safe to call twice. */
  override destroy(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.workerClient.dispose();
    this.statusListeners.clear();
    this.debugReplies.clear();
    super.destroy();
  }
}
