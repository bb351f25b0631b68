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
import type { WamEvent, WamMidiData, WamParameterData, WamParameterDataMap, WamTransportData } from '@webaudiomodules/api';
import { MODULE_ID } from '../protocol/module-id.ts';
import { PARAMETER_INDEX, PARAMETERS } from '../protocol/parameters.ts';
import { countProblems, isEnvelope, type NodeToProcessor, type ProcessorCounters, type ProcessorToNode } from '../protocol/node-processor.ts';
import { checkEvent, checkParameterUpdate, EventFault } from './events/event-check.ts';
import { LOG_EVENT, LOG_EVENT_STRIDE, PACKED_EVENT_STRIDE, type GenerationSettings, type MusicReply, type MusicRequestKind, type ProcessorToWorker, type WorkerToProcessor } from '../protocol/processor-worker.ts';
import { LoopController, RequestKind, type LoopSink } from './loop/loop-controller.ts';
import { OutputScheduler, type MidiSink } from './loop/output-scheduler.ts';
import { PhraseRecorder } from './loop/phrase-recorder.ts';
import { TransportClock } from './loop/transport-clock.ts';
import { FeatureEngine } from './features/feature-engine.ts';
import { FEATURE_NAMES } from './features/feature-names.ts';
import type { FeatureSink } from './features/feature-sink.ts';
import { isValidMidiMessage } from './midi/validate.ts';
import { TransferPool } from './stream/transfer-pool.ts';
import { loadWamScope } from './wam-scope.ts';

declare const sampleRate: number;
declare const currentTime: number;
declare const currentFrame: number;
declare function registerProcessor(name: string, ctor: unknown): void;

/** Samples per render quantum (Web Audio fixes it at 128). */
const QUANTUM = 128;

const { WamProcessor, WamParameterInfo } = loadWamScope(MODULE_ID);

/** Processors alive in this AudioWorkletGlobalScope (all instances of this version). */
let liveProcessors = 0;

/** Object.prototype's own keys when this module loaded: the debug reply names any added since (prototype pollution in the shared scope). */
const PROTOTYPE_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Counters are sent to the node when they changed, at most this often, seconds. */
const STATS_INTERVAL_S = 0.5;

/** An SDK request on the port (`{ id, request: 'verb/noun', content }`). */
interface SdkRequest { id: number; request: string; content?: { event?: unknown } }

function isSdkRequest(data: unknown): data is SdkRequest {
  return typeof data === 'object' && data !== null && typeof (data as SdkRequest).request === 'string';
}

const byTime = (a: { event: WamEvent }, b: { event: WamEvent }): number => (a.event.time ?? 0) - (b.event.time ?? 0);

const REQUEST_KINDS: readonly MusicRequestKind[] = ['phrase-only', 'answer', 'window'];
/** Log events per batch at most (a full batch leaves at once). */
const LOG_EVENTS_PER_BATCH = 256;
/** Feature frames per GUI batch at most; batches leave at about 30 Hz. */
const FRAMES_PER_BATCH = 16;
/** Notes or drum hits from the audio kept between two batches. */
const MAX_BATCH_NOTES = 64;
/** Analysis frame and hop, samples (the defaults of the feature engine and of `deep-improv analyze`). */
const FRAME_SIZE = 2048;
const HOP_SIZE = 512;

/** Bars per response, by the `responseBars` choice index. */
const RESPONSE_BARS = [1, 2, 4];
/** Responses must be scheduled at least this many blocks ahead of the current one. */
const MIN_LEAD_BLOCKS = 3;

class DeepImprovProcessor extends WamProcessor implements LoopSink, MidiSink, FeatureSink {
  private workerPort: MessagePort | null = null;
  private readonly counters: ProcessorCounters = {
    nonFiniteSamples: 0, lateEvents: 0, malformedMidi: 0, droppedEvents: 0, deferredResponses: 0, skippedLateEvents: 0, failedRequests: 0,
    rejected: { unknownType: 0, badTime: 0, badData: 0, unknownParameter: 0, badValue: 0 },
    processErrors: 0, messageErrors: 0,
  };
  /** countProblems() when the node last heard of the counters, and the frame it was sent at. */
  private reportedProblems = 0;
  private lastStatsFrame = 0;
  private readonly clock = new TransportClock(sampleRate);
  private readonly recorder = new PhraseRecorder();
  private readonly scheduler = new OutputScheduler();
  /** Decisions 100 ms (at least 6 blocks) before the boundary they concern. */
  private readonly loop = new LoopController(this.clock, this.recorder, Math.max(6 * QUANTUM, Math.round(0.1 * sampleRate)));
  private readonly loopSettings = { mode: 1, responseBars: 2, silenceGapBeats: 1 };
  /** First frame of the block being processed. */
  private blockFrame = 0;
  private nextRequestId = 1;
  /** Requests of the current mode; replies to older ones are ignored. */
  private firstLiveRequestId = 1;
  private seed = 0x5eed;
  /** Last seen values of the parameters whose change must end sounding notes. */
  private lastMode = -1;
  private lastModel = -1;
  private lastArmed = -1;
  private lastChannel = -1;
  private lastPlaying = false;
  /** The feature engine, or null when this sample rate is outside its range (22.05–192 kHz). */
  private readonly engine: FeatureEngine | null;
  private readonly mono = new Float32Array(QUANTUM);
  /** Audio frame of the engine's first sample. */
  private engineStartFrame = -1;
  /** 8 batches in flight in real time; up to 256 (about 43 s of frames) while an offline render outruns the main thread. */
  private readonly featurePool = new TransferPool(8, FRAMES_PER_BATCH * FEATURE_NAMES.length, 256);
  private batch: Float32Array | null = null;
  private batchCount = 0;
  private batchFirstIndex = 0;
  private lastBatchFrame = 0;
  private lastLogFrame = 0;
  private readonly batchNotes = new Float64Array(MAX_BATCH_NOTES * 4);
  private batchNoteCount = 0;
  /** Feature frames not sent to the GUI because every pooled buffer was out. */
  private skippedGuiFrames = 0;
  // The session-log stream to the worker: features and packed events in pooled buffers.
  private readonly logFeaturePool = new TransferPool(8, FRAMES_PER_BATCH * FEATURE_NAMES.length, 256);
  private readonly logEventPool = new TransferPool<Float64Array>(8, LOG_EVENTS_PER_BATCH * LOG_EVENT_STRIDE, 256, (n) => new Float64Array(n));
  private logFeatures: Float32Array | null = null;
  private logFeatureCount = 0;
  private logFirstIndex = 0;
  private logEvents: Float64Array | null = null;
  private logEventCount = 0;
  /** Records lost because no worker was connected yet or every log buffer was out. */
  private skippedLogRecords = 0;
  /** Audio time each request left, by request id modulo its length. */
  private readonly requestTimes = new Float64Array(1024);
  /** Request-to-reply times on the audio clock, milliseconds (a ring; resolution one 128-frame block). */
  private readonly replyLatencies = new Float32Array(512);
  private replyCount = 0;
  /** Last logged value of each parameter (PARAMETERS order). */
  private readonly loggedParams = new Float64Array(PARAMETERS.length).fill(Number.NaN);
  private disposed = false;
  /** Set by the SDK's `scheduleEvents()` when the queue may be out of order (missing from its typings). */
  declare _eventQueueRequiresSort: boolean;

  constructor(options: AudioWorkletNodeOptions) {
    super(options);
    liveProcessors++;
    let engine: FeatureEngine | null = null;
    try {
      engine = new FeatureEngine({ sampleRate, frameSize: FRAME_SIZE, hopSize: HOP_SIZE });
    } catch {
      // Outside the engine's sample-rate range: audio and MIDI still work, without analysis.
    }
    this.engine = engine;
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
      this.counters.messageErrors++;
      this.port.postMessage({ id: data.id, response: data.request, content: 'error' });
    }
  }

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
    const r = this.counters.rejected;
    switch (fault) {
      case EventFault.UnknownType: r.unknownType++; break;
      case EventFault.BadTime: r.badTime++; break;
      case EventFault.BadData: r.badData++; break;
      case EventFault.MalformedMidi: this.counters.malformedMidi++; break;
      case EventFault.UnknownParameter: r.unknownParameter++; break;
      case EventFault.BadValue: r.badValue++; break;
      default: break;
    }
  }

  /** Every parameter update (automation events, the SDK's set requests, state) passes here: unknown ids and bad values are ignored and counted. */
  override _setParameterValue(update: WamParameterData, interpolate: boolean): void {
    const fault = checkParameterUpdate(update, PARAMETER_INDEX);
    if (fault !== EventFault.None) {
      this.countFault(fault);
      return;
    }
    super._setParameterValue(update, interpolate);
  }

  override _setParameterValues(updates: WamParameterDataMap, interpolate: boolean): void {
    if (typeof updates !== 'object' || updates === null) {
      this.counters.rejected.badData++;
      return;
    }
    super._setParameterValues(updates, interpolate);
  }

  override _setState(state: unknown): void {
    if (typeof state !== 'object' || state === null) {
      this.counters.rejected.badData++;
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
      case 'return-features':
        this.featurePool.release(message.frames);
        break;
      case 'flush':
        if (this.batchCount > 0) this.sendBatch();
        if (this.logFeatureCount > 0 || this.logEventCount > 0) this.sendLogBatch();
        this.sendStats();
        this.post({ type: 'flushed', id: message.id });
        break;
      case 'seed':
        this.seed = message.seed >>> 0;
        break;
      case 'debug':
        this.post({
          type: 'debug-reply', id: message.id, liveProcessors, queuedEvents: this._eventQueue.length, counters: this.counters,
          addedPrototypeKeys: Object.getOwnPropertyNames(Object.prototype).filter((key) => !PROTOTYPE_KEYS.has(key)),
          replyLatenciesMs: Array.from(this.replyLatencies.subarray(0, Math.min(this.replyCount, this.replyLatencies.length))),
        });
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
      case 'music':
        this.onMusic(message);
        break;
      case 'music-failed':
        this.counters.failedRequests++;
        break;
      case 'return-log-buffers':
        if (message.features) this.logFeaturePool.release(message.features);
        if (message.events) this.logEventPool.release(message.events);
        break;
    }
  }

  /** Sends all-notes-off and all-sound-off on every channel, at once. */
  private panic(): void {
    this.cancelOutput(currentFrame);
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
    try {
      this.blockFrame = currentFrame;
      this.processDueEvents();
      this.analyse(input);
      this.followParameters();
      this.readLoopSettings();
      this.logParameters();
      this.loop.tick(this.blockFrame + QUANTUM, this.loopSettings, this);
      // Emit what falls in the next block: receivers must have it before their block starts.
      this.scheduler.drain(this.blockFrame + QUANTUM, this.blockFrame + 2 * QUANTUM, this);
      if ((this.logEventCount > 0 || this.logFeatureCount > 0) && this.blockFrame - this.lastLogFrame >= sampleRate / 30) this.sendLogBatch();
      this.counters.lateEvents = this.scheduler.late;
      this.counters.droppedEvents = this.scheduler.dropped + this.recorder.dropped + this.recorder.refused;
      if (this.blockFrame - this.lastStatsFrame >= STATS_INTERVAL_S * sampleRate && countProblems(this.counters) !== this.reportedProblems) this.sendStats();
    } catch {
      // Last resort: the audio has passed already; count it and keep going next block.
      this.counters.processErrors++;
    }
    return true;
  }

  /** Sends the counters to the node (on change, at most every STATS_INTERVAL_S; and on flush). */
  private sendStats(): void {
    this.reportedProblems = countProblems(this.counters);
    this.lastStatsFrame = this.blockFrame;
    this.post({ type: 'stats', counters: this.counters });
  }

  /** Feeds the block (mixed to mono) to the feature engine and sends batches at about 30 Hz. */
  private analyse(input: Float32Array[] | undefined): void {
    const engine = this.engine;
    if (!engine || this.param('features') < 0.5) return;
    const mono = this.mono;
    const channels = input ? input.length : 0;
    if (channels === 0) mono.fill(0);
    else {
      mono.set(input![0]);
      for (let c = 1; c < channels; c++) {
        const x = input![c];
        for (let i = 0; i < QUANTUM; i++) mono[i] += x[i];
      }
      if (channels > 1) {
        const scale = 1 / channels;
        for (let i = 0; i < QUANTUM; i++) mono[i] *= scale;
      }
    }
    if (this.engineStartFrame < 0) this.engineStartFrame = this.blockFrame;
    engine.push(mono, 0, QUANTUM, this);
    this.counters.nonFiniteSamples = engine.nonFiniteCount;
    if (this.batchCount > 0 && (this.batchCount === FRAMES_PER_BATCH || this.blockFrame - this.lastBatchFrame >= sampleRate / 30)) this.sendBatch();
  }

  /** FeatureSink: one analysis frame, copied into the pooled batch. */
  onFrame(frameIndex: number, features: Float32Array): void {
    this.logFrame(frameIndex, features);
    if (!this.batch) {
      this.batch = this.featurePool.acquire();
      if (!this.batch) {
        this.skippedGuiFrames++;
        return;
      }
      this.batchCount = 0;
      this.batchFirstIndex = frameIndex;
    }
    this.batch.set(features, this.batchCount * FEATURE_NAMES.length);
    this.batchCount++;
    if (this.batchCount === FRAMES_PER_BATCH) this.sendBatch();
  }

  /** Copies a feature frame into the log stream. */
  private logFrame(frameIndex: number, features: Float32Array): void {
    if (!this.workerPort) {
      this.skippedLogRecords++;
      return;
    }
    if (!this.logFeatures) {
      this.logFeatures = this.logFeaturePool.acquire();
      if (!this.logFeatures) {
        this.skippedLogRecords++;
        return;
      }
      this.logFeatureCount = 0;
      this.logFirstIndex = frameIndex;
    }
    this.logFeatures.set(features, this.logFeatureCount * FEATURE_NAMES.length);
    this.logFeatureCount++;
    if (this.logFeatureCount === FRAMES_PER_BATCH) this.sendLogBatch();
  }

  /** Adds an event to the log stream (see LOG_EVENT for what a, b and c hold). */
  private logEvent(frame: number, kind: number, a: number, b: number, c: number): void {
    if (!this.workerPort) {
      this.skippedLogRecords++;
      return;
    }
    if (!this.logEvents) {
      this.logEvents = this.logEventPool.acquire();
      if (!this.logEvents) {
        this.skippedLogRecords++;
        return;
      }
      this.logEventCount = 0;
    }
    const o = this.logEventCount * LOG_EVENT_STRIDE;
    const e = this.logEvents;
    e[o] = frame;
    e[o + 1] = kind;
    e[o + 2] = a;
    e[o + 3] = b;
    e[o + 4] = c;
    this.logEventCount++;
    if (this.logEventCount === LOG_EVENTS_PER_BATCH) this.sendLogBatch();
  }

  /** Logs the parameters whose value changed since the last block. */
  private logParameters(): void {
    for (let i = 0; i < PARAMETERS.length; i++) {
      const value = this._parameterState[PARAMETERS[i].id].value;
      if (value !== this.loggedParams[i]) {
        this.loggedParams[i] = value;
        this.logEvent(this.blockFrame, LOG_EVENT.PARAM, i, value, 0);
      }
    }
  }

  private sendLogBatch(): void {
    const port = this.workerPort;
    if (!port) return;
    const features = this.logFeatureCount > 0 ? this.logFeatures : null;
    const events = this.logEventCount > 0 ? this.logEvents : null;
    const transfer: ArrayBuffer[] = [];
    if (features) transfer.push(features.buffer as ArrayBuffer);
    if (events) transfer.push(events.buffer as ArrayBuffer);
    port.postMessage({
      type: 'log-batch', audioTimeS: currentTime, engineStartFrame: Math.max(0, this.engineStartFrame),
      features, featureFrameCount: this.logFeatureCount, firstFeatureIndex: this.logFirstIndex, events, eventCount: this.logEventCount,
    }, transfer);
    if (features) this.logFeatures = null;
    if (events) this.logEvents = null;
    this.logFeatureCount = 0;
    this.logEventCount = 0;
    this.lastLogFrame = this.blockFrame;
  }

  /** FeatureSink: a note found in the audio becomes a performer note, like MIDI input. */
  onNote(pitch: number, velocity: number, startSample: number, endSample: number): void {
    const start = this.engineStartFrame + startSample;
    const end = this.engineStartFrame + endSample;
    this.recorder.noteOn(pitch, velocity, this.clock.beatAtFrame(start));
    this.recorder.noteOff(pitch, this.clock.beatAtFrame(end));
    this.keepBatchNote(pitch, velocity, start, end);
    this.logEvent(start, LOG_EVENT.AUDIO_NOTE, pitch, velocity, end - start);
  }

  /** FeatureSink: a drum hit found in the audio becomes a performer hit. */
  onDrumHit(gmPitch: number, velocity: number, sample: number): void {
    const frame = this.engineStartFrame + sample;
    this.recorder.hit(gmPitch, velocity, this.clock.beatAtFrame(frame));
    this.logEvent(frame, LOG_EVENT.DRUM_HIT, gmPitch, velocity, 0);
    this.keepBatchNote(gmPitch, velocity, frame, frame + HOP_SIZE);
  }

  private keepBatchNote(pitch: number, velocity: number, startFrame: number, endFrame: number): void {
    if (this.batchNoteCount === MAX_BATCH_NOTES) return;
    const o = this.batchNoteCount++ * 4;
    this.batchNotes[o] = pitch;
    this.batchNotes[o + 1] = velocity;
    this.batchNotes[o + 2] = startFrame / sampleRate;
    this.batchNotes[o + 3] = endFrame / sampleRate;
  }

  private sendBatch(): void {
    const frames = this.batch;
    const engine = this.engine;
    if (!frames || !engine) return;
    const notes = this.batchNoteCount > 0 ? this.batchNotes.slice(0, this.batchNoteCount * 4) : null;
    this.port.postMessage({
      di: {
        type: 'features', frames, frameCount: this.batchCount, featureCount: FEATURE_NAMES.length,
        firstFrameIndex: this.batchFirstIndex, firstFrameTimeS: (this.engineStartFrame + this.batchFirstIndex * HOP_SIZE) / sampleRate,
        hopSize: HOP_SIZE, sampleRate, tempoBpm: engine.tempoBpm, beatPhase: engine.beatPhase, keyIndex: engine.keyIndex, notes,
      },
    }, [frames.buffer]);
    this.batch = null;
    this.batchCount = 0;
    this.batchNoteCount = 0;
    this.lastBatchFrame = this.blockFrame;
  }

  /** Ends sounding notes when a parameter change would otherwise leave them hanging. */
  private followParameters(): void {
    const mode = this.param('mode');
    const model = this.param('model');
    const armed = this.param('armed') >= 0.5 ? 1 : 0;
    const channel = this.param('midiChannel');
    if (mode !== this.lastMode || model !== this.lastModel || armed !== this.lastArmed || channel !== this.lastChannel) {
      if (this.lastMode !== -1) {
        this.cancelOutput(this.blockFrame);
        if (mode !== this.lastMode || model !== this.lastModel) this.firstLiveRequestId = this.nextRequestId;
      }
      this.lastMode = mode;
      this.lastModel = model;
      this.lastArmed = armed;
      this.lastChannel = channel;
    }
    if (!this.clock.followsHost) {
      const tracked = this.engine ? this.engine.tempoBpm : 0;
      const follow = this.param('followTempo') >= 0.5 && tracked > 0;
      this.clock.setFreeTempo(follow ? tracked : this.param('tempo'), this.blockFrame);
    }
  }

  private readLoopSettings(): void {
    const s = this.loopSettings;
    s.mode = this.param('mode');
    s.responseBars = RESPONSE_BARS[this.param('responseBars')] ?? 2;
    s.silenceGapBeats = this.param('silenceGap');
  }

  /** LoopSink: a phrase ended or a window is due; ask the worker (one message per phrase or window). */
  onRequest(
    kind: RequestKind, phraseStartBeat: number, phraseLengthBeats: number, notes: Float64Array, count: number,
    targetStartBeat: number, targetLengthBeats: number,
  ): void {
    const packed = notes.slice(0, count * 4);
    const tempoBpm = this.clock.tempoBpm;
    const phraseStartTimeS = this.clock.frameAtBeat(phraseStartBeat) / sampleRate;
    if (count > 0) {
      this.post({ type: 'phrase', notes: packed, startBeat: phraseStartBeat, lengthBeats: phraseLengthBeats, startTimeS: phraseStartTimeS, tempoBpm, beatsPerBar: this.clock.beatsPerBar });
    }
    if (!this.workerPort) return;
    const wantsMusic = kind !== RequestKind.PhraseOnly && this.param('armed') >= 0.5;
    const id = this.nextRequestId++;
    this.requestTimes[id % this.requestTimes.length] = currentTime;
    const request: ProcessorToWorker = {
      type: 'music-request',
      id,
      kind: wantsMusic ? REQUEST_KINDS[kind] : 'phrase-only',
      notes: packed.slice(),
      phraseStartBeat,
      phraseLengthBeats,
      targetStartBeat,
      targetLengthBeats,
      tempoBpm,
      beatsPerBar: this.clock.beatsPerBar,
      phraseStartTimeS,
      settings: this.generationSettings(id),
    };
    this.workerPort.postMessage(request, [request.notes.buffer]);
  }

  private generationSettings(requestId: number): GenerationSettings {
    return {
      mode: this.param('mode'),
      model: this.param('model'),
      temperature: this.param('temperature'),
      variation: this.param('variation'),
      density: this.param('density'),
      humanize: this.param('humanize'),
      keyLock: this.param('keyLock'),
      keyRoot: this.param('keyRoot'),
      scale: this.param('scale'),
      detectedKey: this.engine ? this.engine.keyIndex : -1,
      pitchLow: this.param('pitchLow'),
      pitchHigh: this.param('pitchHigh'),
      midiChannel: this.param('midiChannel'),
      padX: this.param('padX'),
      padY: this.param('padY'),
      // One seed per request, derived from the preset's seed, so two instances replay alike.
      seed: (Math.imul(this.seed ^ requestId, 0x9e3779b1) ^ requestId) >>> 0,
    };
  }

  /** Schedules the worker's music on the audio clock, moving it later if it came back too late. */
  private onMusic(reply: MusicReply): void {
    this.replyLatencies[this.replyCount++ % this.replyLatencies.length] = (currentTime - this.requestTimes[reply.id % this.requestTimes.length]) * 1000;
    if (reply.id < this.firstLiveRequestId || this.param('armed') < 0.5) return;
    const clock = this.clock;
    const earliest = currentFrame + MIN_LEAD_BLOCKS * QUANTUM;
    let start = reply.targetStartBeat;
    const isWindow = this.param('mode') >= 2;
    if (!isWindow && clock.frameAtBeat(start) < earliest) {
      const beat = clock.beatAtFrame(earliest);
      start = clock.followsHost ? clock.nextBarStart(beat) : clock.nextBeat(beat);
      this.counters.deferredResponses++;
    }
    const events = reply.events;
    const n = events.length / PACKED_EVENT_STRIDE;
    const planned = new Float64Array(events.length);
    let kept = 0;
    // A window arriving late keeps its place (the next window follows it); only
    // the notes already due are skipped, with their note-offs.
    const skipped = new Set<number>();
    for (let i = 0; i < n; i++) {
      const o = i * PACKED_EVENT_STRIDE;
      const frame = Math.round(clock.frameAtBeat(start + events[o]));
      const status = events[o + 1];
      const key = ((status & 0x0f) << 7) | events[o + 2];
      const isOn = (status & 0xf0) === 0x90 && events[o + 3] > 0;
      if (frame < earliest) {
        if (isOn) skipped.add(key);
        this.counters.skippedLateEvents++;
        continue;
      }
      if (!isOn && skipped.has(key)) {
        skipped.delete(key);
        continue;
      }
      if (!this.scheduler.add(frame, status, events[o + 2], events[o + 3])) continue;
      planned[kept * 4] = frame;
      planned[kept * 4 + 1] = status;
      planned[kept * 4 + 2] = events[o + 2];
      planned[kept * 4 + 3] = events[o + 3];
      kept++;
    }
    const report = planned.slice(0, kept * 4);
    this.port.postMessage({ di: { type: 'planned', events: report, startBeat: start, tempoBpm: clock.tempoBpm, sampleRate } }, [report.buffer]);
  }

  /** Ends every sounding note and drops queued output; tells the node (for hardware outputs). */
  private cancelOutput(frame: number): void {
    this.scheduler.cancelAll(frame, this);
    this.post({ type: 'cancelled' });
  }

  /** MidiSink: sends one scheduled event to the downstream WAMs, at its frame. */
  emitMidi(frame: number, status: number, data1: number, data2: number): void {
    this.logEvent(frame, LOG_EVENT.MIDI_OUT, status, data1, data2);
    this.emitEvents({ type: 'wam-midi', time: frame / sampleRate, data: { bytes: [status, data1, data2] } });
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
      case 'wam-transport':
        this.onTransport(event.data as WamTransportData);
        break;
      case 'wam-sysex': {
        const sysex = event.data as { bytes?: Uint8Array };
        if (sysex && sysex.bytes instanceof Uint8Array && this.workerPort) {
          this.workerPort.postMessage({ type: 'log-sysex', frame: this.blockFrame, direction: 'in', bytes: sysex.bytes.slice(0, 65536) });
        }
        break;
      }
      case 'wam-automation':
        this._setParameterValue(event.data, false);
        break;
      default:
        break;
    }
  }

  private onTransport(transport: WamTransportData): void {
    if (!transport || typeof transport !== 'object') return;
    this.clock.setHostTransport(transport);
    this.workerPort?.postMessage({
      type: 'log-transport', frame: this.blockFrame, playing: transport.playing === true, tempoBpm: Number(transport.tempo) || 0,
      timeSigNumerator: Number(transport.timeSigNumerator) || 0, timeSigDenominator: Number(transport.timeSigDenominator) || 0,
      currentBar: Number(transport.currentBar) || 0, currentBarStartedS: Number(transport.currentBarStarted) || 0,
    });
    const playing = this.clock.followsHost;
    if (this.lastPlaying && !playing) {
      // Stop: end every note at once and start phrases afresh.
      this.cancelOutput(this.blockFrame);
      this.recorder.clear();
    }
    if (playing !== this.lastPlaying) this.loop.reset();
    this.lastPlaying = playing;
  }

  private onMidiEvent(event: WamEvent): void {
    const data = event.data as WamMidiData;
    if (!data || !isValidMidiMessage(data.bytes)) {
      this.counters.malformedMidi++;
      return;
    }
    // Where the event falls on the audio clock (a late event counts from this block's start).
    const exactFrame = Math.max(this.blockFrame, (event.time ?? currentTime) * sampleRate);
    const frame = Math.round(exactFrame);
    const bytes = data.bytes;
    this.logEvent(frame, LOG_EVENT.MIDI_IN, bytes[0], bytes[1] ?? 0, bytes[2] ?? 0);
    this.record(bytes, exactFrame);
    // Re-emit the event object itself: same time, so the receiver places it
    // at the same sample frame, and no copy per event.
    if (this.param('midiThru') >= 0.5) {
      this.emitEvents(event);
      this.logEvent(frame, LOG_EVENT.MIDI_THRU, bytes[0], bytes[1] ?? 0, bytes[2] ?? 0);
    }
  }

  /** Adds a performer note-on/off to the phrase recorder, on the beat clock. */
  private record(bytes: ArrayLike<number>, frame: number): void {
    const kind = bytes[0] & 0xf0;
    if (kind !== 0x90 && kind !== 0x80) return;
    const wanted = this.param('inputChannel');
    if (wanted !== 0 && (bytes[0] & 0x0f) + 1 !== wanted) return;
    const beat = this.clock.beatAtFrame(frame);
    if (kind === 0x90 && bytes[2] > 0) this.recorder.noteOn(bytes[1], bytes[2], beat);
    else this.recorder.noteOff(bytes[1], beat);
  }

  override destroy(): void {
    if (this.disposed) return;
    this.disposed = true;
    liveProcessors--;
    // No note may hang at a receiver: end them while the event graph still connects us.
    this.scheduler.cancelAll(currentFrame, this);
    // What was heard last reaches the log before the port closes.
    this.sendLogBatch();
    this.workerPort?.postMessage({ type: 'bye' });
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
