/**
 * The Deep Improv audio node (main thread): the WAM node hosts talk to.
 * It owns the processor (through the SDK's port protocol), the model worker
 * (through {@link WorkerClient}) and the direct MessageChannel between them,
 * holds the validated plugin state, and is the only API the GUI uses.
 */
import { WamNode } from '@webaudiomodules/sdk';
import type { WamParameterDataMap, WebAudioModule } from '@webaudiomodules/api';
import { isEnvelope, type FeatureBatch, type NodeToProcessor, type PhraseReport, type PlannedReport, type ProcessorCounters, type ProcessorToNode } from '../protocol/node-processor.ts';
import type { LogStatusReport, WorkerRequest, WorkerResults, WorkerStatus, WorkerToNode } from '../protocol/node-worker.ts';

/** The model operations the worker serves. */
export type ModelOp = 'encode' | 'decode' | 'interpolate' | 'sample' | 'similar' | 'continue';
import { VERSION } from '../protocol/module-id.ts';
import { WebMidiBridge, type MidiPortInfo } from './midi/web-midi-bridge.ts';
import { isParameterId, MODEL_NAMES, PARAMETERS, type ParameterValues } from '../protocol/parameters.ts';
import { defaultState } from './state/defaults.ts';
import type { PluginState } from './state/schema.ts';
import { validateState } from './state/validate.ts';
import { replaySession, type ReplayHandle } from './replay.ts';
import { WorkerClient } from './worker-client.ts';
import type { SessionLogApi } from '../log/api.ts';

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
  /** Request-to-reply times of the latest music requests (audio clock, ms, one-block resolution). */
  replyLatenciesMs: number[];
  /** Own keys Object.prototype gained in the audio scope since the processor loaded (empty unless something polluted it). */
  addedPrototypeKeys: string[];
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
  private readonly plannedListeners = new Set<(report: PlannedReport) => void>();
  private readonly phraseListeners = new Set<(report: PhraseReport) => void>();
  private readonly cancelListeners = new Set<() => void>();
  private readonly featureListeners = new Set<(batch: FeatureBatch) => void>();
  private readonly logStatusListeners = new Set<(status: LogStatusReport) => void>();
  private logStatusValue: LogStatusReport = { state: 'off', message: '', sessionId: undefined };
  /** Flushes the session log when the page is hidden or left (a crash then loses at most a second). */
  private readonly flushLog = (): void => {
    if (this.disposed || this.currentStatus.worker !== 'ready') return;
    this.workerClient.request({ op: 'flush-log' }).catch(() => {});
  };
  private readonly midiBridge: WebMidiBridge;
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
      onMessage: (message) => this.onWorkerMessage(message),
    });
    this.midiBridge = new WebMidiBridge({
      context: this.context,
      sendToPlugin: (bytes, timeS) => this.scheduleEvents({ type: 'wam-midi', time: timeS, data: { bytes } }),
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
    this.sendToProcessor({ type: 'seed', seed: this.state.seed });
    this.updateStatus({ processor: 'ready' });
    const channel = new MessageChannel();
    this.sendToProcessor({ type: 'connect-worker', port: channel.port1 }, [channel.port1]);
    const baseUrl = new URL('./', import.meta.url).href;
    this.workerClient.start({
      baseUrl, instanceId: this.instanceId, sampleRate: this.context.sampleRate, processorPort: channel.port2,
      pluginVersion: VERSION, stateAtStart: this.state, host: { userAgent: globalThis.navigator?.userAgent ?? '' }, logging: true,
    });
    if (typeof window !== 'undefined') {
      window.addEventListener('pagehide', this.flushLog);
      document.addEventListener('visibilitychange', this.flushLog);
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`model worker not ready after ${WORKER_READY_TIMEOUT_MS} ms`)), WORKER_READY_TIMEOUT_MS);
    });
    try {
      const status = await Promise.race([this.workerClient.ready, timeout]);
      await this.pushAnchors(this.state);
      const missing = Object.entries(status.modelErrors).map(([name, why]) => `${name}: ${why}`);
      this.updateStatus({ worker: 'ready', message: missing.length ? `Some models could not be loaded (${missing.join('; ')})` : '' });
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
   * Runs a model operation in the worker (encode, decode, interpolate,
   * sample, similar, continue) on a shipped model, e.g.
   * `node.model({ op: 'encode', model: 'melody', phrase })`.
   * @throws Error when the model is not loaded or the input is not what the operation takes.
   */
  model<K extends ModelOp>(request: Extract<WorkerRequest, { op: K }>): Promise<WorkerResults[K]> {
    return this.workerClient.request(request);
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
    this.sendToProcessor({ type: 'seed', seed: next.seed });
    const previous = this.state;
    this.state = next;
    if (this.currentStatus.worker === 'ready') await this.pushAnchors(next).catch((e) => this.updateStatus({ message: String(e) }));
    if (JSON.stringify(previous.devices) !== JSON.stringify(next.devices)) void this.applyDevices(next);
  }

  /** Sends the state's latent-pad anchors to the worker, for the state's model. */
  private async pushAnchors(state: PluginState): Promise<void> {
    const model = MODEL_NAMES[state.parameters.model] ?? MODEL_NAMES[0];
    await this.workerClient.request({ op: 'set-anchors', model, anchors: state.anchors.map((a) => ({ latent: a.latent, phrase: a.phrase })) });
  }

  /** Opens the state's MIDI devices; a missing device is reported, never thrown. */
  private async applyDevices(state: PluginState): Promise<void> {
    try {
      await this.midiBridge.setOutput(state.devices.midiOutputId);
      await this.midiBridge.setInputs(state.devices.midiInputIds);
    } catch (error) {
      this.updateStatus({ message: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Hardware MIDI outputs (asks the browser for MIDI access). */
  midiOutputs(): Promise<MidiPortInfo[]> {
    return this.midiBridge.outputs();
  }

  /** Hardware MIDI inputs (asks the browser for MIDI access). */
  midiInputs(): Promise<MidiPortInfo[]> {
    return this.midiBridge.inputPorts();
  }

  /**
   * Chooses the hardware MIDI output (null: none) and remembers it in the state.
   * @throws Error when Web MIDI is unavailable or the device is gone.
   */
  async setMidiOutput(id: string | null): Promise<void> {
    await this.midiBridge.setOutput(id);
    this.state = { ...this.state, devices: { ...this.state.devices, midiOutputId: id } };
  }

  /**
   * Chooses the hardware MIDI inputs the plugin listens to, and remembers them.
   * @throws Error when Web MIDI is unavailable or a device is gone.
   */
  async setMidiInputs(ids: string[]): Promise<void> {
    await this.midiBridge.setInputs(ids);
    this.state = { ...this.state, devices: { ...this.state.devices, midiInputIds: [...ids] } };
  }

  /**
   * Stores the performer's latest phrase latent as latent-pad anchor `index`
   * (0 bottom-left, 1 bottom-right, 2 top-left, 3 top-right) for the current model.
   * @throws Error when nothing has been played yet.
   */
  async captureAnchor(index: number): Promise<void> {
    const values = await this.getParameterValues(false, 'model');
    const model = MODEL_NAMES[values.model?.value ?? 0] ?? MODEL_NAMES[0];
    const latent = await this.workerClient.request({ op: 'capture-anchor', model, index });
    const anchors = this.state.anchors.map((a, i) => (i === index ? { ...a, latent, phrase: this.lastPhrase } : a)) as PluginState['anchors'];
    this.state = { ...this.state, anchors };
  }

  private lastPhrase: PluginState['anchors'][number]['phrase'] = null;

  /** Calls `listener` with every response the processor schedules; returns the remover. */
  onPlanned(listener: (report: PlannedReport) => void): () => void {
    this.plannedListeners.add(listener);
    return () => this.plannedListeners.delete(listener);
  }

  /** Calls `listener` with every finished performer phrase; returns the remover. */
  onPhrase(listener: (report: PhraseReport) => void): () => void {
    this.phraseListeners.add(listener);
    return () => this.phraseListeners.delete(listener);
  }

  /**
   * Calls `listener` with every feature batch (about 30 Hz). The batch's arrays
   * are only valid during the call: copy what you keep. Returns the remover.
   */
  onFeatures(listener: (batch: FeatureBatch) => void): () => void {
    this.featureListeners.add(listener);
    return () => this.featureListeners.delete(listener);
  }

  private onWorkerMessage(message: WorkerToNode): void {
    if (message.type !== 'log-status') return;
    this.logStatusValue = message.status;
    for (const listener of this.logStatusListeners) listener(message.status);
  }

  /** The session log's state: 'ok', 'degraded-memory' (storage full or failing: newest data kept in memory), 'failed', or 'off'. */
  get logStatus(): LogStatusReport {
    return { ...this.logStatusValue };
  }

  /** Calls `listener` with the log status now and on every change; returns the remover. */
  onLogStatus(listener: (status: LogStatusReport) => void): () => void {
    this.logStatusListeners.add(listener);
    listener(this.logStatus);
    return () => this.logStatusListeners.delete(listener);
  }

  /** Adds a marker to the session log, now. */
  addMarker(label: string): Promise<void> {
    return this.workerClient.request({ op: 'marker', label, audioTimeS: this.context.currentTime }).then(() => undefined);
  }

  /**
   * The stored sessions (list, read, export, import, rename, delete), read
   * straight from IndexedDB. Loaded on first use.
   */
  async sessionLog(): Promise<SessionLogApi> {
    const { LocalSessionLogApi } = await import('../log/api.ts');
    return LocalSessionLogApi.open();
  }

  /** Plays a stored session's performance back through the plugin, from now. */
  replay(sessionId: string): ReplayHandle {
    return replaySession(this, sessionId);
  }

  /** Writes everything the session log holds to IndexedDB now. */
  flushSessionLog(): Promise<void> {
    return this.workerClient.request({ op: 'flush-log' }).then(() => undefined);
  }

  /** Calls `listener` whenever scheduled output is cancelled (stop, mode change, disarm, panic); returns the remover. */
  onCancel(listener: () => void): () => void {
    this.cancelListeners.add(listener);
    return () => this.cancelListeners.delete(listener);
  }

  private async pushParameters(parameters: ParameterValues): Promise<void> {
    const data: Record<string, { id: string; value: number; normalized: boolean }> = {};
    for (const p of PARAMETERS) data[p.id] = { id: p.id, value: parameters[p.id], normalized: false };
    await this.setParameterValues(data);
  }

  /** Sends all-notes-off on every channel, at once. */
  panic(): void {
    this.sendToProcessor({ type: 'panic' });
    this.midiBridge.cancel();
  }

  /**
   * Sends the feature frames and log records the processor still holds (it
   * batches them at about 30 Hz); call it after an offline render.
   */
  flushStreams(): Promise<void> {
    const id = this.nextDebugId++;
    return new Promise((resolve) => {
      this.flushReplies.set(id, resolve);
      this.sendToProcessor({ type: 'flush', id });
    });
  }

  private readonly flushReplies = new Map<number, () => void>();

  /** Counters and instance counts from the processor. */
  debugInfo(): Promise<DebugInfo> {
    const id = this.nextDebugId++;
    return new Promise((resolve) => {
      this.debugReplies.set(id, resolve);
      this.sendToProcessor({ type: 'debug', id });
    });
  }

  // Processor counters (problems absorbed on the audio thread), for the GUI's status line.
  private countersValue: ProcessorCounters | null = null;
  private readonly counterListeners = new Set<(counters: ProcessorCounters) => void>();

  /** The processor's latest counters (refused events, late output, errors absorbed), or null before the first report. */
  get processorCounters(): ProcessorCounters | null {
    return this.countersValue ? structuredClone(this.countersValue) : null;
  }

  /** Calls `listener` whenever the processor reports changed counters (at most about twice a second); returns the remover. */
  onProcessorCounters(listener: (counters: ProcessorCounters) => void): () => void {
    this.counterListeners.add(listener);
    if (this.countersValue) listener(structuredClone(this.countersValue));
    return () => this.counterListeners.delete(listener);
  }

  private updateCounters(counters: ProcessorCounters): void {
    this.countersValue = counters;
    for (const listener of this.counterListeners) listener(structuredClone(counters));
  }

  /**
   * Sets parameter values (plain or normalised, as the SDK's).
   * @throws Error (the promise rejects, nothing is sent) when a key is not a parameter id
   *   (`__proto__`, `constructor`, a typo), an entry's id differs from its key, or a value is not a finite number.
   */
  override async setParameterValues(values: WamParameterDataMap): Promise<void> {
    if (typeof values !== 'object' || values === null) throw new Error(`setParameterValues: expected an object of { id, value, normalized } keyed by parameter id, got ${values === null ? 'null' : typeof values}`);
    for (const key of Object.keys(values)) {
      if (!isParameterId(key)) throw new Error(`setParameterValues: "${key}" is not a parameter id (expected one of ${PARAMETERS.map((p) => p.id).join(', ')})`);
      const entry: unknown = values[key];
      const { id, value } = (typeof entry === 'object' && entry !== null ? entry : {}) as { id?: unknown; value?: unknown };
      if (id !== key) throw new Error(`setParameterValues: the entry under "${key}" must have id "${key}", got ${JSON.stringify(id)}`);
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`setParameterValues: "${key}" needs a finite number, got ${String(value)}`);
    }
    return super.setParameterValues(values);
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
        this.updateCounters(m.counters);
        resolve?.({ liveProcessors: m.liveProcessors, queuedEvents: m.queuedEvents, counters: m.counters, replyLatenciesMs: m.replyLatenciesMs, addedPrototypeKeys: m.addedPrototypeKeys });
        break;
      }
      case 'stats':
        this.updateCounters(m.counters);
        break;
      case 'planned':
        this.midiBridge.play(m.events, m.sampleRate);
        for (const listener of this.plannedListeners) listener(m);
        break;
      case 'phrase': {
        const notes = [];
        for (let i = 0; i + 3 < m.notes.length; i += 4) notes.push({ pitch: m.notes[i], velocity: m.notes[i + 1], startBeats: m.notes[i + 2], durationBeats: m.notes[i + 3] });
        this.lastPhrase = { source: 'host-midi', notes, lengthBeats: m.lengthBeats, tempoBpm: m.tempoBpm, beatsPerBar: m.beatsPerBar };
        for (const listener of this.phraseListeners) listener(m);
        break;
      }
      case 'features':
        for (const listener of this.featureListeners) listener(m);
        // Hand the buffer back to the processor's pool.
        this.sendToProcessor({ type: 'return-features', frames: m.frames }, [m.frames.buffer]);
        break;
      case 'cancelled':
        this.midiBridge.cancel();
        for (const listener of this.cancelListeners) listener();
        break;
      case 'flushed': {
        const resolve = this.flushReplies.get(m.id);
        this.flushReplies.delete(m.id);
        resolve?.();
        break;
      }
      case 'ready':
        break;
    }
  }

  /** Stops the worker and the processor and drops every listener. Safe to call twice. */
  override destroy(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (typeof window !== 'undefined') {
      window.removeEventListener('pagehide', this.flushLog);
      document.removeEventListener('visibilitychange', this.flushLog);
    }
    this.workerClient.dispose();
    this.midiBridge.dispose();
    this.logStatusListeners.clear();
    this.statusListeners.clear();
    this.plannedListeners.clear();
    this.phraseListeners.clear();
    this.cancelListeners.clear();
    this.featureListeners.clear();
    this.counterListeners.clear();
    this.debugReplies.clear();
    for (const resolve of this.flushReplies.values()) resolve();
    this.flushReplies.clear();
    super.destroy();
  }
}
