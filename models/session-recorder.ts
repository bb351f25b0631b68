/**
 * The worker's bridge to the session log: turns the processor's log batches
 * (features and packed events), transports, sysex and the worker's own model
 * calls into log records, with audio-clock and wall-clock times. It starts the
 * session on the first batch (when the feature engine's origin is known) and
 * never throws into the worker: the log reports problems through its status.
 */
import { FEATURE_NAMES } from '../dsp/features/feature-names.ts';
import { midiMessageLength } from '../dsp/midi/validate.ts';
import { PARAMETERS } from '../protocol/parameters.ts';
import type { LogBatch } from '../protocol/processor-worker.ts';
import { LOG_EVENT, LOG_EVENT_STRIDE } from '../protocol/processor-worker.ts';
import type { Phrase } from '../protocol/phrase.ts';
import { ANALYSIS_HOP_SIZE } from '../protocol/features.ts';
import { SessionLog, type LogStatus } from '../log/index.ts';

/** What the recorder needs to describe the session. */
export interface RecorderInfo {
  instanceId: string;
  sampleRate: number;
  pluginVersion: string;
  stateAtStart: unknown;
  host: unknown;
}

/** Audio time of the earliest thing a batch carries (its first feature frame or event), at most its send time, seconds. */
export function earliestInBatch(batch: LogBatch, sampleRate: number): number {
  let frame = batch.audioTimeS * sampleRate;
  if (batch.features && batch.featureFrameCount > 0) frame = Math.min(frame, batch.engineStartFrame + batch.firstFeatureIndex * ANALYSIS_HOP_SIZE);
  if (batch.events) for (let i = 0; i < batch.eventCount; i++) frame = Math.min(frame, batch.events[i * LOG_EVENT_STRIDE]);
  return frame / sampleRate;
}

export class SessionRecorder {
  private readonly log: SessionLog;
  private readonly info: RecorderInfo;
  private started: Promise<string> | null = null;
  /** Wall clock (ms) and audio clock (s) of the first batch: the two clocks' pairing. */
  private wallAtAudio0 = 0;
  private audio0 = 0;
  /** Records that came before the session started (transport, sysex, model calls, markers): appended once it starts. */
  private readonly early: (() => void)[] = [];

  private constructor(log: SessionLog, info: RecorderInfo) {
    this.log = log;
    this.info = info;
  }

  /** Opens the log database (never rejects for storage problems: the log degrades to memory and says so). */
  static async open(info: RecorderInfo, onStatus: (status: LogStatus) => void): Promise<SessionRecorder> {
    const log = await SessionLog.open({});
    log.onStatus(onStatus);
    return new SessionRecorder(log, info);
  }

  private timing(frame: number) {
    const audioTimeS = frame / this.info.sampleRate;
    return { audioTimeS, frame, wallTimeMs: this.wallAtAudio0 + (audioTimeS - this.audio0) * 1000 };
  }

  /** Records one batch from the processor. */
  onBatch(batch: LogBatch): void {
    if (!this.started) {
      this.audio0 = batch.audioTimeS;
      this.wallAtAudio0 = Date.now();
      // The session starts at its first record: the batch is sent after the frames and events it carries.
      const startS = earliestInBatch(batch, this.info.sampleRate);
      this.started = this.log.start({
        wallStartMs: this.wallAtAudio0 - (batch.audioTimeS - startS) * 1000,
        audioStartTimeS: startS,
        sampleRateHz: this.info.sampleRate,
        pluginVersion: this.info.pluginVersion,
        host: this.info.host,
        stateAtStart: this.info.stateAtStart,
        instanceId: this.info.instanceId,
        features: { names: [...FEATURE_NAMES], hopSamples: ANALYSIS_HOP_SIZE, sampleRateHz: this.info.sampleRate, originFrame: batch.engineStartFrame },
      });
      this.started.catch(() => {});
      for (const append of this.early.splice(0)) append();
    }
    if (batch.features && batch.featureFrameCount > 0) this.log.appendFeatures(batch.firstFeatureIndex, batch.features, batch.featureFrameCount);
    const events = batch.events;
    if (!events) return;
    for (let i = 0; i < batch.eventCount; i++) {
      const o = i * LOG_EVENT_STRIDE;
      const frame = events[o];
      const kind = events[o + 1];
      const a = events[o + 2];
      const b = events[o + 3];
      const c = events[o + 4];
      const t = this.timing(frame);
      switch (kind) {
        case LOG_EVENT.MIDI_IN:
        case LOG_EVENT.MIDI_OUT:
        case LOG_EVENT.MIDI_THRU: {
          const length = midiMessageLength(a) || 3;
          const bytes = Uint8Array.from([a, b, c].slice(0, length));
          const direction = kind === LOG_EVENT.MIDI_IN ? 'in' : 'out';
          const source = kind === LOG_EVENT.MIDI_IN ? 'host' : kind === LOG_EVENT.MIDI_OUT ? 'generated' : 'thru';
          this.log.append({ kind: 'midi', ...t, direction, source, bytes });
          break;
        }
        case LOG_EVENT.AUDIO_NOTE:
          this.log.append({ kind: 'note', ...t, source: 'audio-notes', pitch: a, velocity: b, durationS: c / this.info.sampleRate });
          break;
        case LOG_EVENT.DRUM_HIT:
          this.log.append({ kind: 'note', ...t, source: 'audio-drums', pitch: a, velocity: b, durationS: 0 });
          break;
        case LOG_EVENT.PARAM: {
          const spec = PARAMETERS[a];
          if (spec) this.log.append({ kind: 'param', ...t, id: spec.id, value: b });
          break;
        }
      }
    }
  }

  /** Runs `append` now, or once the session has started (at most 1,000 kept before). */
  private whenStarted(append: () => void): void {
    if (this.started) append();
    else if (this.early.length < 1000) this.early.push(append);
  }

  /** Records a transport change. */
  onTransport(frame: number, data: { playing: boolean; tempoBpm: number; timeSigNumerator: number; timeSigDenominator: number; currentBar: number; currentBarStartedS: number }): void {
    this.whenStarted(() => this.log.append({ kind: 'transport', ...this.timing(frame), ...data }));
  }

  /** Records a sysex message. */
  onSysex(frame: number, direction: 'in' | 'out', bytes: Uint8Array): void {
    this.whenStarted(() => this.log.append({ kind: 'midi', ...this.timing(frame), direction, source: 'host', bytes }));
  }

  /** Records a model call: which model, what for, the latent, how long it took, what went in and out. */
  onModelCall(audioTimeS: number, model: string, call: string, latent: Float32Array | null, elapsedMs: number, input: Phrase | null, output: Phrase | null): void {
    this.whenStarted(() => this.log.append({
      kind: 'model', ...this.timing(Math.round(audioTimeS * this.info.sampleRate)), model, call, elapsedMs,
      ...(latent ? { latent } : {}), ...(input ? { input } : {}), ...(output ? { output } : {}),
    }));
  }

  /** Records a marker set from the GUI. */
  marker(label: string, audioTimeS: number): void {
    this.whenStarted(() => this.log.append({ kind: 'marker', ...this.timing(Math.round(audioTimeS * this.info.sampleRate)), label }));
  }

  /** Writes what is buffered. */
  flush(): Promise<void> {
    return this.log.flush();
  }

  /** Flushes and closes the log. */
  close(): Promise<void> {
    return this.log.close();
  }
}

