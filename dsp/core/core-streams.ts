/**
 * The audio core's outgoing streams, batched at about 30 Hz in pooled,
 * transferred buffers (one {@link PooledBatcher} each): feature frames and
 * the notes found in the audio for the GUI (to the node), feature frames and
 * packed events for the session log (to the worker), and the performer's
 * notes read from those log events (to the node, in one reused message). Message objects and
 * transfer lists are reused (sending clones them), so nothing is allocated
 * per block; the notes found in the audio are copied once per GUI batch that
 * has any.
 *
 * [audio-thread]
 */
import { PERFORMER_EVENT_STRIDE, type FeatureBatch, type PerformerNotesReport } from '../../protocol/node-processor.ts';
import { ANALYSIS_HOP_SIZE } from '../../protocol/features.ts';
import { PARAMETER_INDEX as P } from '../../protocol/parameters.ts';
import { LOG_EVENT, LOG_EVENT_STRIDE, type LogBatch } from '../../protocol/processor-worker.ts';
import type { FeatureEngine } from '../features/feature-engine.ts';
import { FEATURE_NAMES } from '../features/feature-names.ts';
import type { Frames } from '../loop/transport-clock.ts';
import { PooledBatcher } from '../stream/pooled-batcher.ts';
import type { CoreHost } from './core-host.ts';

/** Log events per batch at most (a full batch leaves at once). */
const LOG_EVENTS_PER_BATCH = 256;
/** Feature frames per batch at most. */
const FRAMES_PER_BATCH = 16;
/** Notes or drum hits from the audio kept between two GUI batches. */
const MAX_BATCH_NOTES = 64;
/** Performer note-ons and note-offs kept between two GUI reports (a full report leaves at once). */
const MAX_PERFORMER_EVENTS = 64;
/** Streams leave at about this rate, Hz. */
export const STREAM_RATE_HZ = 30;

const EMPTY_F32 = new Float32Array(0);

export class CoreStreams {
  private readonly host: CoreHost;
  private readonly sampleRate: number;
  private readonly params: Float64Array;
  // The GUI stream: 8 batches in flight in real time; up to 256 (about 43 s of frames) while an offline render outruns the main thread.
  private readonly guiFrames = new PooledBatcher(FEATURE_NAMES.length, FRAMES_PER_BATCH, 8, 256);
  private readonly batchNotes = new Float64Array(MAX_BATCH_NOTES * 4);
  private batchNoteCount = 0;
  private lastGuiFrame = 0;
  // The performer's notes as they are played, for the GUI's live roll: one reused message (sending clones it).
  private readonly performer: PerformerNotesReport = {
    type: 'performer-notes', events: new Float64Array(MAX_PERFORMER_EVENTS * PERFORMER_EVENT_STRIDE), count: 0, sampleRate: 0,
  };
  // The session-log stream: features and packed events.
  private readonly logFrames = new PooledBatcher(FEATURE_NAMES.length, FRAMES_PER_BATCH, 8, 256);
  private readonly logEvents = new PooledBatcher<Float64Array>(LOG_EVENT_STRIDE, LOG_EVENTS_PER_BATCH, 8, 256, (n) => new Float64Array(n));
  /** Log records lost because no worker was connected yet. */
  private unlogged = 0;
  private lastLogFrame = 0;
  /** Audio frame of the feature engine's first sample (-1 until it starts). */
  engineStartFrame = -1;
  /** Frame of the block being processed (set by the core). */
  blockFrame = 0;
  private readonly featureBatch: FeatureBatch;
  private readonly logBatch: LogBatch = {
    type: 'log-batch', audioTimeS: 0, engineStartFrame: 0, features: null, featureFrameCount: 0, firstFeatureIndex: 0, events: null, eventCount: 0,
  };
  private readonly oneTransfer: Transferable[] = [new ArrayBuffer(0)];
  private readonly twoTransfers: Transferable[] = [new ArrayBuffer(0), new ArrayBuffer(0)];

  /**
   * @param params the parameter values (PARAMETERS order), read for the input channel.
   */
  constructor(host: CoreHost, sampleRate: number, params: Float64Array) {
    this.host = host;
    this.sampleRate = sampleRate;
    this.params = params;
    this.performer.sampleRate = sampleRate;
    this.featureBatch = {
      type: 'features', frames: EMPTY_F32, frameCount: 0, featureCount: FEATURE_NAMES.length, firstFrameIndex: 0, firstFrameTimeS: 0,
      hopSize: ANALYSIS_HOP_SIZE, sampleRate, tempoBpm: 0, beatPhase: 0, keyIndex: -1, keyConfidence: 0, notes: null,
    };
  }

  /** Log records lost so far (no worker connected yet, or every log buffer out). */
  get skippedLogRecords(): number {
    return this.unlogged + this.logFrames.skipped + this.logEvents.skipped;
  }

  /** Feature frames not sent to the GUI because every pooled buffer was out. */
  get skippedGuiFrames(): number {
    return this.guiFrames.skipped;
  }

  /** One analysis frame, into the GUI and log batches; a full batch leaves at once. */
  frame(frameIndex: number, features: Float32Array, engine: FeatureEngine): void {
    if (!this.host.workerConnected) this.unlogged++;
    else {
      const log = this.logFrames;
      const buffer = log.reserve(frameIndex);
      if (buffer) {
        buffer.set(features, log.writeOffset);
        if (log.full) this.sendLog();
      }
    }
    const gui = this.guiFrames;
    const buffer = gui.reserve(frameIndex);
    if (!buffer) return;
    buffer.set(features, gui.writeOffset);
    if (gui.full) this.sendFeatures(engine);
  }

  /** A note or drum hit found in the audio, for the GUI's next batch (dropped past 64 per batch). */
  note(pitch: number, velocity: number, startFrame: Frames, endFrame: Frames): void {
    if (this.batchNoteCount === MAX_BATCH_NOTES) return;
    const o = this.batchNoteCount++ * 4;
    this.batchNotes[o] = pitch;
    this.batchNotes[o + 1] = velocity;
    this.batchNotes[o + 2] = startFrame / this.sampleRate;
    this.batchNotes[o + 3] = endFrame / this.sampleRate;
  }

  /** An event for the log (see LOG_EVENT for what a, b and c hold); a full batch leaves at once. */
  logEvent(frame: Frames, kind: number, a: number, b: number, c: number): void {
    if (!this.host.workerConnected) {
      this.unlogged++;
      return;
    }
    const log = this.logEvents;
    const e = log.reserve();
    if (!e) return;
    const o = log.writeOffset;
    e[o] = frame;
    e[o + 1] = kind;
    e[o + 2] = a;
    e[o + 3] = b;
    e[o + 4] = c;
    if (log.full) this.sendLog();
  }

  /** Sends the GUI batch when due (about 30 Hz); call after the engine has run this block. */
  afterAnalysis(engine: FeatureEngine): void {
    if (this.guiFrames.count > 0 && this.blockFrame - this.lastGuiFrame >= this.sampleRate / STREAM_RATE_HZ) this.sendFeatures(engine);
  }

  /** Sends the log batch (and the performer's notes in it) when due (about 30 Hz). */
  afterBlock(): void {
    if ((this.logEvents.count > 0 || this.logFrames.count > 0) && this.blockFrame - this.lastLogFrame >= this.sampleRate / STREAM_RATE_HZ) this.sendLog();
  }

  /** Sends whatever is pending now. */
  flush(engine: FeatureEngine | null): void {
    if (engine && this.guiFrames.count > 0) this.sendFeatures(engine);
    if (this.logFrames.count > 0 || this.logEvents.count > 0) this.sendLog();
  }

  /** A GUI buffer handed back by the node. */
  releaseFeatures(frames: Float32Array): void {
    this.guiFrames.release(frames);
  }

  /** Log buffers handed back by the worker. */
  releaseLog(features: Float32Array | null, events: Float64Array | null): void {
    if (features) this.logFrames.release(features);
    if (events) this.logEvents.release(events);
  }

  private sendFeatures(engine: FeatureEngine): void {
    const firstIndex = this.guiFrames.firstIndex;
    const frameCount = this.guiFrames.count;
    const frames = this.guiFrames.take();
    if (!frames) return;
    const m = this.featureBatch;
    m.frames = frames;
    m.frameCount = frameCount;
    m.firstFrameIndex = firstIndex;
    m.firstFrameTimeS = (this.engineStartFrame + firstIndex * ANALYSIS_HOP_SIZE) / this.sampleRate;
    m.tempoBpm = engine.tempoBpm;
    m.beatPhase = engine.beatPhase;
    m.keyIndex = engine.keyIndex;
    m.keyConfidence = engine.keyConfidence;
    // Notes found in the audio are rare: copied only into a batch that has some.
    m.notes = this.batchNoteCount > 0 ? this.batchNotes.slice(0, this.batchNoteCount * 4) : null;
    this.oneTransfer[0] = frames.buffer;
    this.host.toNode(m, this.oneTransfer);
    m.frames = EMPTY_F32;
    m.notes = null;
    this.batchNoteCount = 0;
    this.lastGuiFrame = this.blockFrame;
  }

  /**
   * Copies the performer's notes out of a log batch's events into
   * performer-notes reports (MIDI note-ons and note-offs on the input
   * channel; notes and drum hits found in the audio as a note-on and its
   * note-off), sent when full and at the end. At most 30 times a second, never per block.
   */
  private sendPerformerNotes(events: Float64Array, eventCount: number): void {
    const m = this.performer;
    const wanted = this.params[P.inputChannel];
    for (let i = 0; i < eventCount; i++) {
      const o = i * LOG_EVENT_STRIDE;
      const frame = events[o];
      const kind = events[o + 1];
      if (kind === LOG_EVENT.MIDI_IN) {
        const status = events[o + 2];
        const type = status & 0xf0;
        if ((type !== 0x90 && type !== 0x80) || (wanted !== 0 && (status & 0x0f) + 1 !== wanted)) continue;
        this.addPerformer(frame, events[o + 3], type === 0x90 ? events[o + 4] : 0);
      } else if (kind === LOG_EVENT.AUDIO_NOTE || kind === LOG_EVENT.DRUM_HIT) {
        this.addPerformer(frame, events[o + 2], events[o + 3]);
        this.addPerformer(frame + (kind === LOG_EVENT.AUDIO_NOTE ? events[o + 4] : ANALYSIS_HOP_SIZE), events[o + 2], 0);
      }
    }
    if (m.count > 0) this.sendPerformer();
  }

  private addPerformer(frame: Frames, pitch: number, velocity: number): void {
    const m = this.performer;
    const o = m.count++ * PERFORMER_EVENT_STRIDE;
    m.events[o] = frame;
    m.events[o + 1] = pitch;
    m.events[o + 2] = velocity;
    if (m.count === MAX_PERFORMER_EVENTS) this.sendPerformer();
  }

  private sendPerformer(): void {
    this.host.toNode(this.performer);
    this.performer.count = 0;
  }

  /**
   * Sends the log batch (nothing while no worker is connected), and the
   * performer's notes it holds to the node: every performer note is a log
   * event, so they leave at the log's rate.
   */
  sendLog(): void {
    if (!this.host.workerConnected) return;
    const m = this.logBatch;
    m.audioTimeS = this.blockFrame / this.sampleRate;
    m.engineStartFrame = Math.max(0, this.engineStartFrame);
    m.featureFrameCount = this.logFrames.count;
    m.firstFeatureIndex = this.logFrames.firstIndex;
    m.eventCount = this.logEvents.count;
    const features = this.logFrames.take();
    const events = this.logEvents.take();
    if (events) this.sendPerformerNotes(events, m.eventCount);
    m.features = features;
    m.events = events;
    let transfer: Transferable[] | undefined;
    if (features && events) {
      this.twoTransfers[0] = features.buffer;
      this.twoTransfers[1] = events.buffer;
      transfer = this.twoTransfers;
    } else if (features || events) {
      this.oneTransfer[0] = (features ?? events)!.buffer;
      transfer = this.oneTransfer;
    }
    this.host.toWorker(m, transfer);
    m.features = null;
    m.events = null;
    this.lastLogFrame = this.blockFrame;
  }
}
