/**
 * The model worker's entry (dist/worker.js): loads the shipped models
 * (relative to the plugin's URL), answers the processor's music requests over
 * their direct MessageChannel, and serves the node's requests. Started by
 * plugin/worker-client.ts from a Blob that imports this module's URL.
 */
import { MODEL_NAMES, type ModelName } from '../protocol/parameters.ts';
import type { NodeToWorker, WorkerInit, WorkerRequest, WorkerResults, WorkerStatus, WorkerToNode } from '../protocol/node-worker.ts';
import type { MusicRequest, PhraseUpdate, ProcessorToWorker, WorkerToProcessor } from '../protocol/processor-worker.ts';
import { Responder } from './respond/responder.ts';
import { SessionRecorder } from './session-recorder.ts';
import { loadModel, type ModelRuntime } from './runtime/index.ts';
import type { Phrase } from '../protocol/phrase.ts';

const scope = globalThis as unknown as DedicatedWorkerGlobalScope;

let processorPort: MessagePort | null = null;
const status: WorkerStatus = { processorConnected: false, models: [], modelErrors: {}, answered: 0, failed: 0, answerComputeMs: [], phraseUpdates: 0, warmAnswers: 0 };
/** How many compute times {@link WorkerStatus.answerComputeMs} keeps. */
const COMPUTE_TIMES_KEPT = 256;
const models: Partial<Record<ModelName, ModelRuntime>> = {};
const responder = new Responder(models);
let modelsLoaded: Promise<void> = Promise.resolve();
let processorHello = false;
let recorder: SessionRecorder | null = null;
let recorderReady: Promise<void> = Promise.resolve();
let sampleRate = 48000;
/** Resolves when the processor says goodbye (its last log batch has arrived). */
let processorGone: () => void = () => {};
const processorBye = new Promise<void>((resolve) => { processorGone = resolve; });

function toNode(message: WorkerToNode): void {
  scope.postMessage(message);
}

function toProcessor(message: WorkerToProcessor, transfer: Transferable[] = []): void {
  processorPort?.postMessage(message, transfer);
}

/** Loads every shipped model; a model that fails is reported, the others still serve. */
async function loadModels(baseUrl: string): Promise<void> {
  const weightsUrl = new URL('weights/', baseUrl);
  await Promise.all(MODEL_NAMES.map(async (name) => {
    try {
      const runtime = await loadModel({ name, baseUrl: weightsUrl });
      // Warm up: the first calls pay for lazily built tables.
      runtime.decode(runtime.encode(runtime.sample({ seed: 1 }).phrase));
      models[name] = runtime;
      status.models.push(name);
    } catch (error) {
      status.modelErrors[name] = error instanceof Error ? error.message : String(error);
    }
  }));
}

function announceReady(): void {
  if (!processorHello) return;
  toProcessor({ type: 'ready' });
  toNode({ type: 'ready', status: structuredClone(status) });
}

async function onMusicRequest(request: MusicRequest): Promise<void> {
  await modelsLoaded;
  try {
    const t0 = performance.now();
    const response = responder.respond(request);
    const elapsedMs = performance.now() - t0;
    status.answered++;
    if (response.warmStart) status.warmAnswers++;
    if (status.answerComputeMs.push(elapsedMs) > COMPUTE_TIMES_KEPT) status.answerComputeMs.shift();
    // The music goes first; logging the call must not delay it.
    if (response.events) {
      const events = response.events;
      toProcessor({ type: 'music', id: request.id, targetStartBeat: request.targetStartBeat, targetLengthBeats: request.targetLengthBeats, events }, [events.buffer]);
    }
    recorder?.onModelCall(request.phraseStartTimeS, response.model, request.kind, response.playedLatent ?? response.performerLatent, elapsedMs, response.input, null);
  } catch (error) {
    status.failed++;
    const message = error instanceof Error ? error.message : String(error);
    toProcessor({ type: 'music-failed', id: request.id, error: message });
    toNode({ type: 'error', message: `could not answer a phrase: ${message}` });
  }
}

/** Warms the model's latent on the phrase so far (models/respond/anytime.ts), then hands the notes buffer back. */
async function onPhraseUpdate(update: PhraseUpdate): Promise<void> {
  await modelsLoaded;
  try {
    if (responder.update(update) > 0) status.phraseUpdates++;
  } catch (error) {
    toNode({ type: 'error', message: `could not use a phrase update: ${error instanceof Error ? error.message : String(error)}` });
  } finally {
    toProcessor({ type: 'phrase-updated', id: update.id, notes: update.notes }, [update.notes.buffer]);
  }
}

function onProcessorMessage(message: ProcessorToWorker): void {
  switch (message.type) {
    case 'hello':
      status.processorConnected = true;
      processorHello = true;
      void modelsLoaded.then(announceReady);
      break;
    case 'music-request':
      void onMusicRequest(message);
      break;
    case 'phrase-update':
      void onPhraseUpdate(message);
      break;
    case 'log-batch':
      recorder?.onBatch(message);
      toProcessor({ type: 'return-log-buffers', features: message.features, events: message.events },
        [message.features?.buffer, message.events?.buffer].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer));
      break;
    case 'log-transport': {
      const { frame, type: _type, ...data } = message;
      recorder?.onTransport(frame, data);
      break;
    }
    case 'log-sysex':
      recorder?.onSysex(message.frame, message.direction, message.bytes);
      break;
    case 'bye':
      processorGone();
      break;
  }
}

function init(message: WorkerInit): void {
  sampleRate = message.sampleRate;
  processorPort = message.processorPort;
  processorPort.onmessage = (event: MessageEvent<ProcessorToWorker>) => onProcessorMessage(event.data);
  if (message.logging) {
    recorderReady = SessionRecorder.open(
      { instanceId: message.instanceId, sampleRate, pluginVersion: message.pluginVersion, stateAtStart: message.stateAtStart, host: message.host },
      (s) => toNode({ type: 'log-status', status: { state: s.state, message: s.message, sessionId: s.sessionId } }),
    ).then((r) => { recorder = r; }).catch((error: unknown) => {
      toNode({ type: 'log-status', status: { state: 'failed', message: `The session log could not start: ${error instanceof Error ? error.message : String(error)}`, sessionId: undefined } });
    });
  }
  // The session log must not delay the models; each is awaited where it is needed.
  modelsLoaded = loadModels(message.baseUrl);
}

function modelName(name: string): ModelName {
  if (!(MODEL_NAMES as readonly string[]).includes(name)) throw new Error(`unknown model '${name}': expected one of ${MODEL_NAMES.join(', ')}`);
  return name as ModelName;
}

/** A loaded model by name. @throws Error naming the model when it is unknown or failed to load. */
async function loaded(name: string): Promise<ModelRuntime> {
  const model = modelName(name);
  await modelsLoaded;
  const runtime = models[model];
  if (!runtime) throw new Error(`model '${model}' is not loaded: ${status.modelErrors[model] ?? 'unknown reason'}`);
  return runtime;
}

const generated = (g: { z: Float32Array; phrase: Phrase }) => ({ latent: Array.from(g.z), phrase: g.phrase });

async function handle(request: WorkerRequest): Promise<WorkerResults[WorkerRequest['op']]> {
  switch (request.op) {
    case 'encode':
      return Array.from((await loaded(request.model)).encode(request.phrase));
    case 'decode':
      return (await loaded(request.model)).decode(Float32Array.from(request.latent), { temperature: request.temperature, seed: request.seed });
    case 'interpolate':
      return Array.from((await loaded(request.model)).interpolate(Float32Array.from(request.from), Float32Array.from(request.to), request.t));
    case 'sample':
      return generated((await loaded(request.model)).sample({ temperature: request.temperature, seed: request.seed }));
    case 'similar':
      return generated((await loaded(request.model)).similar(Float32Array.from(request.latent), request.variation, { temperature: request.temperature, seed: request.seed }));
    case 'continue':
      return generated((await loaded(request.model)).continue(request.phrase, { temperature: request.temperature, seed: request.seed }));
    case 'status':
      return structuredClone(status);
    case 'set-anchors': {
      const name = modelName(request.model);
      await modelsLoaded;
      const model = models[name];
      responder.setAnchors(name, request.anchors.map((a) => {
        if (a.latent) return Float32Array.from(a.latent);
        if (a.phrase && model && a.phrase.notes.length > 0) return model.encode(a.phrase);
        return null;
      }));
      return null;
    }
    case 'capture-anchor': {
      const name = modelName(request.model);
      if (!(request.index >= 0 && request.index <= 3)) throw new Error(`anchor index must be 0–3, got ${request.index}`);
      const latest = responder.latestLatent(name);
      if (!latest) throw new Error(`no phrase has been played for the ${name} model yet`);
      const anchors = responder.getAnchors(name);
      anchors[request.index] = latest;
      responder.setAnchors(name, anchors);
      return Array.from(latest);
    }
    case 'get-anchors':
      return responder.getAnchors(modelName(request.model)).map((a) => (a ? Array.from(a) : null));
    case 'flush-log':
      await recorderReady;
      await recorder?.flush();
      return null;
    case 'marker':
      await recorderReady;
      recorder?.marker(String(request.label).slice(0, 256), request.audioTimeS);
      return null;
  }
}

scope.onmessage = async (event: MessageEvent<NodeToWorker>) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      init(message.init);
      break;
    case 'request':
      try {
        toNode({ type: 'reply', id: message.id, ok: true, result: await handle(message.request) });
      } catch (error) {
        toNode({ type: 'reply', id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) });
      }
      break;
    case 'dispose':
      for (const model of Object.values(models)) model?.dispose();
      // Nothing recorded may be lost: take the processor's last batch, flush and
      // close the log, then say so and close.
      try {
        await Promise.race([processorBye, new Promise((resolve) => setTimeout(resolve, 250))]);
        processorPort?.close();
        processorPort = null;
        await recorderReady;
        await recorder?.close();
      } finally {
        toNode({ type: 'closed' });
        scope.close();
      }
      break;
  }
};
