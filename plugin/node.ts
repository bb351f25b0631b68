/**
 * The Deep Improv audio node (main thread): the WAM node hosts talk to.
 * It owns the processor (through the SDK's port protocol), the model worker
 * (through {@link WorkerClient}) and the direct MessageChannel between them,
 * holds the validated plugin state, and is the only API the GUI uses. Its
 * Web MIDI side is {@link NodeMidi}, its session-log side {@link NodeSessionLog},
 * what it tells its listeners {@link NodeEventsBase} (plugin/node-events.ts).
 */
import type { WamParameterDataMap, WebAudioModule } from '@webaudiomodules/api';
import type { SessionLogApi } from '../log/api.ts';
import { isEnvelope, type NodeToProcessor, type ProcessorToNode } from '../protocol/node-processor.ts';
import type { WorkerRequest, WorkerResults, WorkerStatus, WorkerToNode } from '../protocol/node-worker.ts';
import { VERSION } from '../protocol/module-id.ts';
import { NodeEventsBase } from './node-events.ts';
import { workerStatusChange, type DebugInfo, type ModelOp } from './node-types.ts';
import type { MidiPortInfo } from './midi/web-midi-bridge.ts';
import { NodeMidi } from './midi/node-midi.ts';
import { NodeSessionLog } from './node-log.ts';
import { ProcessorRequests } from './processor-requests.ts';
import { isParameterId, MODEL_NAMES, PARAMETERS, coerceParameterValue, type ParameterValues } from '../protocol/parameters.ts';
import { PresetService } from './presets/service.ts';
import type { ReplayHandle } from './replay.ts';
import { defaultState } from './state/defaults.ts';
import type { PluginState } from './state/schema.ts';
import { validateState } from './state/validate.ts';
import { WorkerClient } from './worker-client.ts';

export type { DebugInfo, ModelOp, NodeEvents, PartStatus, PluginStatus } from './node-types.ts';

/** Milliseconds the plugin waits for the worker before reporting it as failed. Audio keeps passing either way. */
const WORKER_READY_TIMEOUT_MS = 20_000;

export class DeepImprovNode extends NodeEventsBase {
  private readonly workerClient: WorkerClient;
  private readonly midi: NodeMidi;
  private readonly log: NodeSessionLog;
  private readonly requests = new ProcessorRequests((message) => this.sendToProcessor(message));
  private state: PluginState = defaultState();
  /** The performer's latest phrase, kept with an anchor captured from it. */
  private lastPhrase: PluginState['anchors'][number]['phrase'] = null;
  /** The presets service, made on first use of {@link presets}. */
  private presetService: PresetService | null = null;
  private disposed = false;

  /** Loads the processor module (one real module, found next to this file). */
  static override async addModules(audioContext: BaseAudioContext, _moduleId: string): Promise<void> {
    await audioContext.audioWorklet.addModule(new URL('./processor.js', import.meta.url));
  }

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
    this.midi = new NodeMidi({
      context: this.context,
      scheduleEvents: (...events) => this.scheduleEvents(...events),
      reportError: (message) => this.updateStatus({ message }),
    });
    this.log = new NodeSessionLog(this.workerClient, {
      context: this.context,
      scheduleEvents: (...events) => this.scheduleEvents(...events),
      workerRunning: () => this.workerRunning(),
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
    this.log.watchPage();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`model worker not ready after ${WORKER_READY_TIMEOUT_MS} ms`)), WORKER_READY_TIMEOUT_MS);
    });
    try {
      const status = await Promise.race([this.workerClient.ready, timeout]);
      await this.pushAnchors(this.state);
      this.updateStatus(workerStatusChange(status));
    } catch (error) {
      this.updateStatus({ worker: 'error', message: error instanceof Error ? error.message : String(error) });
    } finally {
      clearTimeout(timer);
    }
  }

  // ---- parameters ------------------------------------------------------------------------------

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

  // ---- models ---------------------------------------------------------------------------------

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

  // ---- state ----------------------------------------------------------------------------------

  /**
   * The complete plugin state, as plain JSON: everything needed to restore
   * the plugin (hosts store it opaquely).
   */
  override async getState(): Promise<PluginState> {
    const values = await this.getParameterValues(false);
    const parameters: ParameterValues = { ...this.state.parameters };
    for (const p of PARAMETERS) {
      const entry = values[p.id];
      // The processor's values may carry float32 rounding or automation in between: keep the state valid.
      if (entry && Number.isFinite(entry.value)) parameters[p.id] = coerceParameterValue(p, entry.value);
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
    if (this.workerRunning()) await this.pushAnchors(next).catch((e) => this.updateStatus({ message: String(e) }));
    if (JSON.stringify(previous.devices) !== JSON.stringify(next.devices)) void this.midi.applyDevices(next.devices);
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

  /** Sends the state's latent-pad anchors to the worker, for the state's model. */
  private async pushAnchors(state: PluginState): Promise<void> {
    const model = MODEL_NAMES[state.parameters.model] ?? MODEL_NAMES[0];
    await this.workerClient.request({ op: 'set-anchors', model, anchors: state.anchors.map((a) => ({ latent: a.latent, phrase: a.phrase })) });
  }

  private async pushParameters(parameters: ParameterValues): Promise<void> {
    const data: Record<string, { id: string; value: number; normalized: boolean }> = {};
    for (const p of PARAMETERS) data[p.id] = { id: p.id, value: parameters[p.id], normalized: false };
    await this.setParameterValues(data);
  }

  /**
   * The presets service for this plugin (factory and user presets, preset
   * files, share links), made on first use and released by {@link destroy}.
   * The GUI's preset bar does everything through it.
   */
  get presets(): PresetService {
    this.presetService ??= new PresetService(this);
    return this.presetService;
  }

  // ---- Web MIDI -------------------------------------------------------------------------------

  /** Hardware MIDI outputs (asks the browser for MIDI access). */
  midiOutputs(): Promise<MidiPortInfo[]> {
    return this.midi.outputs();
  }

  /** Hardware MIDI inputs (asks the browser for MIDI access). */
  midiInputs(): Promise<MidiPortInfo[]> {
    return this.midi.inputs();
  }

  /**
   * Chooses the hardware MIDI output (null: none) and remembers it in the state.
   * @throws Error when Web MIDI is unavailable or the device is gone.
   */
  async setMidiOutput(id: string | null): Promise<void> {
    await this.midi.setOutput(id);
    this.state = { ...this.state, devices: { ...this.state.devices, midiOutputId: id } };
  }

  /**
   * Chooses the hardware MIDI inputs the plugin listens to, and remembers them.
   * @throws Error when Web MIDI is unavailable or a device is gone.
   */
  async setMidiInputs(ids: string[]): Promise<void> {
    await this.midi.setInputs(ids);
    this.state = { ...this.state, devices: { ...this.state.devices, midiInputIds: [...ids] } };
  }

  /** Sends all-notes-off on every channel, at once. */
  panic(): void {
    this.sendToProcessor({ type: 'panic' });
    this.midi.cancel();
  }

  // ---- session log ----------------------------------------------------------------------------

  /** Adds a marker to the session log, now. */
  addMarker(label: string): Promise<void> {
    return this.log.addMarker(label, this.context.currentTime);
  }

  /**
   * The stored sessions (list, read, export, import, rename, delete), read
   * straight from IndexedDB. Loaded on first use.
   */
  async sessionLog(): Promise<SessionLogApi> {
    return this.log.open();
  }

  /** Plays a stored session's performance back through the plugin, from now. */
  replay(sessionId: string): ReplayHandle {
    return this.log.replay(sessionId);
  }

  /** Writes everything the session log holds to IndexedDB now. */
  flushSessionLog(): Promise<void> {
    return this.log.flush();
  }

  // ---- processor requests ---------------------------------------------------------------------

  /**
   * Sends the feature frames and log records the processor still holds (it
   * batches them at about 30 Hz); call it after an offline render. Resolves
   * at once on a destroyed node (there is nothing left to send).
   */
  flushStreams(): Promise<void> {
    return this.requests.flush();
  }

  /**
   * Counters and instance counts from the processor.
   * @throws Error (the promise rejects) when the node is destroyed before the processor answers, or already was.
   */
  debugInfo(): Promise<DebugInfo> {
    return this.requests.debug();
  }

  /**
   * Tells the processor how long its planned output takes to reach where it
   * plays, seconds (default 0; at most 1): a host that forwards the planned
   * answers over a link (the CLAP bridge's round trip) sets it, and phrases
   * are then closed and answers planned that much earlier, on the same bar line.
   * @throws RangeError when `seconds` is not a finite number ≥ 0.
   */
  setOutputLatency(seconds: number): void {
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
      throw new RangeError(`output latency must be a finite number of seconds ≥ 0, got ${String(seconds)}`);
    }
    if (this.disposed) return;
    this.sendToProcessor({ type: 'output-latency', seconds });
  }

  private sendToProcessor(message: NodeToProcessor, transfer: Transferable[] = []): void {
    this.port.postMessage({ di: message }, transfer);
  }

  private onWorkerMessage(message: WorkerToNode): void {
    if (message.type === 'log-status') this.updateLogStatus(message.status);
  }

  override _onMessage(message: MessageEvent): void {
    const data: unknown = message.data;
    if (!isEnvelope<ProcessorToNode>(data)) {
      super._onMessage(message);
      return;
    }
    const m = data.di;
    switch (m.type) {
      case 'debug-reply':
        this.updateCounters(m.counters);
        this.requests.debugAnswered(m.id, { liveProcessors: m.liveProcessors, queuedEvents: m.queuedEvents, counters: m.counters, replyLatenciesMs: m.replyLatenciesMs, addedPrototypeKeys: m.addedPrototypeKeys, transport: m.transport });
        break;
      case 'stats':
        this.updateCounters(m.counters);
        break;
      case 'planned':
        this.midi.play(m.events, m.sampleRate);
        this.events.emit('planned', m);
        break;
      case 'phrase': {
        const notes = [];
        for (let i = 0; i + 3 < m.notes.length; i += 4) notes.push({ pitch: m.notes[i], velocity: m.notes[i + 1], startBeats: m.notes[i + 2], durationBeats: m.notes[i + 3] });
        this.lastPhrase = { source: 'host-midi', notes, lengthBeats: m.lengthBeats, tempoBpm: m.tempoBpm, beatsPerBar: m.beatsPerBar };
        this.events.emit('phrase', m);
        break;
      }
      case 'performer-notes':
        this.events.emit('performerNotes', m);
        break;
      case 'music-requested':
        this.events.emit('musicRequested', m);
        break;
      case 'music-unanswered':
        this.events.emit('musicUnanswered', m);
        break;
      case 'features':
        this.events.emit('features', m);
        // Hand the buffer back to the processor's pool.
        this.sendToProcessor({ type: 'return-features', frames: m.frames }, [m.frames.buffer]);
        break;
      case 'cancelled':
        this.midi.cancel();
        this.events.emit('cancel', undefined);
        break;
      case 'flushed':
        this.requests.flushAnswered(m.id);
        break;
      case 'ready':
      case 'stats':
        break;
    }
  }

  /**
   * Stops the worker and the processor and drops every listener. Pending
   * `debugInfo()` calls reject with a "destroyed" error; pending
   * `flushStreams()` calls resolve (nothing is left to flush). Safe to call twice.
   */
  override destroy(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.log.dispose();
    this.workerClient.dispose();
    this.midi.dispose();
    this.presetService?.dispose();
    this.events.clear();
    this.requests.dispose();
    super.destroy();
  }
}
