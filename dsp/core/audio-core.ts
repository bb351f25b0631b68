/**
 * The plugin's audio core: everything the processor does per block except
 * the WAM plumbing, as a plain class with no WAM or AudioWorklet globals, so
 * Node tests can drive it block by block. Per block (between `beginBlock` and
 * `endBlock`, with the block's events handed in between):
 * features (the feature engine on the mono mix) → phrases (performer notes
 * from MIDI and from the audio, on the beat clock) → requests (the loop
 * controller's decisions, through the response planner) → scheduling (the
 * worker's replies into the output queue) → MIDI out (what falls in the next
 * block), with the GUI and session-log streams batched at about 30 Hz in
 * pooled, transferred buffers (core-streams.ts). The beat clock follows the
 * host's transport, MIDI clock or neither, as sync-router.ts routes them.
 *
 * Real time: no allocation per block or per event after warm-up, except one
 * array per request and per reply (see response-planner.ts) and the notes
 * found in the audio, copied once per GUI batch that has any; never throws on
 * data (the processor's boundary has checked every event).
 *
 * [audio-thread]
 */
import { countProblems, MAX_OUTPUT_LATENCY_S, type NodeToProcessor, type ProcessorCounters, type TransportReport } from '../../protocol/node-processor.ts';
import { ANALYSIS_FRAME_SIZE, ANALYSIS_HOP_SIZE } from '../../protocol/features.ts';
import { PARAMETER_INDEX as P } from '../../protocol/parameters.ts';
import { LOG_EVENT, type LogSysex, type LogTransport, type WorkerToProcessor } from '../../protocol/processor-worker.ts';
import { FeatureEngine } from '../features/feature-engine.ts';
import type { FeatureSink } from '../features/feature-sink.ts';
import { LoopController } from '../loop/loop-controller.ts';
import { OutputScheduler, type MidiSink } from '../loop/output-scheduler.ts';
import { PhraseRecorder } from '../loop/phrase-recorder.ts';
import { TransportClock, type Frames, type TransportInfo } from '../loop/transport-clock.ts';
import type { CoreHost } from './core-host.ts';
import { CoreStreams } from './core-streams.ts';
import { ParameterChange, ParameterFollower, type ParameterLog } from './parameter-follower.ts';
import { PhraseUpdates } from './phrase-updates.ts';
import { SyncRouter } from './sync-router.ts';
import { MIN_LEAD_BLOCKS, QUANTUM, ResponsePlanner } from './response-planner.ts';

/** The longest the loop waits for the worker: its decisions come at most this long (plus the output latency) before a boundary, seconds. */
const MAX_REPLY_LEAD_S = 1;
/** The reply lead is the slowest recent reply times this (a loaded machine's pace varies from one reply to the next)… */
const REPLY_LEAD_FACTOR = 1.5;
/** …plus this, seconds, plus the blocks the planner needs to schedule a reply. */
const REPLY_MARGIN_S = 0.02;

/** Counters are sent to the node when they changed, at most this often, seconds. */
const STATS_INTERVAL_S = 0.5;
/** Longest system-exclusive message kept for the log, bytes. */
const MAX_SYSEX_BYTES = 65536;
/**
 * A performer note that reaches the processor up to this long after its own
 * time (a busy main thread, a bridged DAW's socket), seconds, is recorded for
 * the phrase at that time rather than at the block it arrived in; MIDI thru
 * and the log still place it at the block. Later ones count from the block.
 */
export const MAX_LATE_NOTE_S = 0.5;

/** Counters at zero. */
export function zeroCounters(): ProcessorCounters {
  return {
    nonFiniteSamples: 0, lateEvents: 0, malformedMidi: 0, droppedEvents: 0, deferredResponses: 0, skippedLateEvents: 0, failedRequests: 0,
    rejected: { unknownType: 0, badTime: 0, badData: 0, unknownParameter: 0, badValue: 0 },
    processErrors: 0, messageErrors: 0,
  };
}

export class AudioCore implements FeatureSink, MidiSink, ParameterLog {
  readonly sampleRate: number;
  /** Problems absorbed instead of thrown; the processor's boundary counts into it too. */
  readonly counters: ProcessorCounters = zeroCounters();
  /** The parameter values (write them with `parameters.set`), their follower and the loop settings. */
  readonly parameters = new ParameterFollower();
  readonly clock: TransportClock;
  /** Which transport the clock follows: the host's, MIDI clock's or none. */
  readonly sync: SyncRouter;
  readonly recorder = new PhraseRecorder();
  readonly scheduler = new OutputScheduler();
  readonly loop: LoopController;
  readonly planner: ResponsePlanner;
  /** The phrase so far, to the worker once a beat (anytime encoding). */
  readonly updates: PhraseUpdates;
  /** The feature engine, or null when the sample rate is outside its range (22.05–192 kHz). */
  readonly engine: FeatureEngine | null;
  private readonly host: CoreHost;
  /** The GUI and session-log streams. */
  readonly streams: CoreStreams;
  private readonly mono = new Float32Array(QUANTUM);
  /** First frame of the block being processed. */
  private blockFrame = 0;
  private reportedProblems = 0;
  private lastStatsFrame = 0;
  private readonly stats = { type: 'stats' as const, counters: this.counters };
  private readonly maxReplyLeadFrames: Frames;
  private readonly replyMarginFrames: Frames;

  /**
   * @param sampleRate audio sample rate, Hz.
   * @param host where messages and MIDI go.
   */
  constructor(sampleRate: number, host: CoreHost) {
    this.sampleRate = sampleRate;
    this.host = host;
    this.streams = new CoreStreams(host, sampleRate, this.parameters.values);
    this.clock = new TransportClock(sampleRate);
    this.sync = new SyncRouter(this.clock, sampleRate, this.parameters.values, {
      // Stop: end every note at once, start phrases afresh, and forget the replies still to come (their phrases were before the stop).
      stopped: () => {
        this.cancelOutput(this.blockFrame);
        this.recorder.clear();
        this.planner.invalidateRequests();
      },
      changed: () => {
        this.loop.reset();
        this.updates.reset();
      },
    });
    this.maxReplyLeadFrames = Math.round(MAX_REPLY_LEAD_S * sampleRate);
    this.replyMarginFrames = MIN_LEAD_BLOCKS * QUANTUM + Math.round(REPLY_MARGIN_S * sampleRate);
    // Decisions 100 ms (at least 6 blocks) before the boundary they concern.
    this.loop = new LoopController(this.clock, this.recorder, Math.max(6 * QUANTUM, Math.round(0.1 * sampleRate)));
    let engine: FeatureEngine | null = null;
    try {
      engine = new FeatureEngine({ sampleRate, frameSize: ANALYSIS_FRAME_SIZE, hopSize: ANALYSIS_HOP_SIZE });
    } catch {
      // Outside the engine's sample-rate range: audio and MIDI still work, without analysis.
    }
    this.engine = engine;
    this.planner = new ResponsePlanner({
      clock: this.clock, scheduler: this.scheduler, params: this.parameters.values, counters: this.counters, host, sampleRate,
      detectedKey: () => (this.engine ? this.engine.keyIndex : -1),
    });
    this.updates = new PhraseUpdates(this.clock, this.loop, this.recorder, host, this.parameters.values);
  }

  /** Starts the block whose first audio frame is `frame`; its events follow, then {@link endBlock}. */
  beginBlock(frame: Frames): void {
    this.blockFrame = frame;
    this.planner.nowFrame = frame;
    this.streams.blockFrame = frame;
  }

  /**
   * Finishes the block: analysis of `input` (its channels mixed to mono),
   * parameter changes, the loop's decisions, MIDI out for the next block and
   * the streams.
   */
  endBlock(input: readonly Float32Array[] | undefined): void {
    this.analyse(input);
    this.followParameters();
    this.parameters.logChanges(this);
    // Decide early enough for the worker's recent pace (a loaded machine answers slower), within reason.
    this.loop.replyLeadFrames = Math.min(this.maxReplyLeadFrames, REPLY_LEAD_FACTOR * this.planner.slowestRecentReplyFrames + this.replyMarginFrames);
    this.loop.tick(this.blockFrame + QUANTUM, this.parameters.loopSettings, this.planner);
    this.updates.tick(this.blockFrame + QUANTUM, this.parameters.loopSettings);
    // Emit what falls in the next block: receivers must have it before their block starts.
    this.scheduler.drain(this.blockFrame + QUANTUM, this.blockFrame + 2 * QUANTUM, this);
    this.streams.afterBlock();
    const c = this.counters;
    c.lateEvents = this.scheduler.late;
    c.droppedEvents = this.scheduler.dropped + this.recorder.dropped + this.recorder.refused;
    if (this.blockFrame - this.lastStatsFrame >= STATS_INTERVAL_S * this.sampleRate && countProblems(c) !== this.reportedProblems) this.sendStats();
  }

  /**
   * A checked MIDI message in this block, at `timeS` on the audio clock
   * (undefined: now; a late one is logged and passed through at the block's
   * start, and recorded for the phrase at its own time up to
   * {@link MAX_LATE_NOTE_S} late). Logs and records it; returns true when
   * MIDI thru must re-emit it (then logged as thru).
   * MIDI clock (0xF8, 0xFA, 0xFB, 0xFC) and Song Position Pointer (0xF2) go
   * to the clock follower at their exact time (late or not), never to MIDI
   * thru; only the rare ones (not the 24-per-beat ticks) are logged.
   */
  midiIn(bytes: ArrayLike<number>, timeS: number | undefined): boolean {
    const first = bytes[0];
    if (first === 0xf8 || first === 0xfa || first === 0xfb || first === 0xfc || first === 0xf2) {
      const clock = this.sync.midiClock;
      clock.atFrame = timeS === undefined ? this.blockFrame : timeS * this.sampleRate;
      const data1 = bytes.length > 1 ? bytes[1] : 0;
      const data2 = bytes.length > 2 ? bytes[2] : 0;
      // Only the rare ones are logged, not the 24-per-beat ticks.
      if (first !== 0xf8) this.streams.logEvent(Math.round(Math.max(this.blockFrame, clock.atFrame)), LOG_EVENT.MIDI_IN, first, data1, data2);
      this.sync.clockMessage(first, data1, data2);
      return false;
    }
    const ownFrame = timeS === undefined ? this.blockFrame : timeS * this.sampleRate;
    const exactFrame = Math.max(this.blockFrame, ownFrame);
    const heardFrame = ownFrame >= this.blockFrame - MAX_LATE_NOTE_S * this.sampleRate ? ownFrame : this.blockFrame;
    // As a small integer (the first 2^30 frames: 6 h at 48 kHz) it is passed on unboxed even where a call is not inlined.
    const rounded = Math.round(exactFrame);
    const frame = rounded < 0x40000000 ? rounded | 0 : rounded;
    const status = bytes[0];
    const data1 = bytes.length > 1 ? bytes[1] : 0;
    const data2 = bytes.length > 2 ? bytes[2] : 0;
    this.streams.logEvent(frame, LOG_EVENT.MIDI_IN, status, data1, data2);
    // A performer note-on/off goes to the phrase recorder, on the beat clock (inline: a double passed to a call is boxed).
    const kind = status & 0xf0;
    const wanted = this.parameters.values[P.inputChannel];
    if ((kind === 0x90 || kind === 0x80) && (wanted === 0 || (status & 0x0f) + 1 === wanted)) {
      if (kind === 0x90 && data2 > 0) this.recorder.noteOn(data1, data2, this.clock.beatAtFrame(heardFrame));
      else this.recorder.noteOff(data1, this.clock.beatAtFrame(heardFrame));
    }
    if (this.parameters.values[P.midiThru] < 0.5) return false;
    this.streams.logEvent(frame, LOG_EVENT.MIDI_THRU, status, data1, data2);
    return true;
  }

  /**
   * A checked host transport event in this block: logged, and followed while
   * the sync source is the host.
   */
  transport(t: TransportInfo): void {
    const message: LogTransport = {
      type: 'log-transport', frame: this.blockFrame, playing: t.playing === true, tempoBpm: Number(t.tempo) || 0,
      timeSigNumerator: Number(t.timeSigNumerator) || 0, timeSigDenominator: Number(t.timeSigDenominator) || 0,
      currentBar: Number(t.currentBar) || 0, currentBarStartedS: Number(t.currentBarStarted) || 0,
    };
    this.host.toWorker(message);
    this.sync.hostTransport(t);
  }

  /** A checked system-exclusive message in this block, for the log (a copy of at most 64 KiB: rare, its own message). */
  sysex(bytes: Uint8Array): void {
    if (!this.host.workerConnected) return;
    const message: LogSysex = { type: 'log-sysex', frame: this.blockFrame, direction: 'in', bytes: bytes.slice(0, MAX_SYSEX_BYTES) };
    this.host.toWorker(message);
  }

  /** Handles one message of the node's protocol that the core owns (all but connect-worker and debug). */
  onNodeMessage(message: Exclude<NodeToProcessor, { type: 'connect-worker' } | { type: 'debug' }>, nowFrame: Frames): void {
    switch (message.type) {
      case 'panic':
        this.panic(nowFrame);
        break;
      case 'return-features':
        this.streams.releaseFeatures(message.frames);
        break;
      case 'flush':
        this.flush();
        this.host.toNode({ type: 'flushed', id: message.id });
        break;
      case 'seed':
        this.planner.seed = message.seed >>> 0;
        break;
      case 'output-latency': {
        const s = Number.isFinite(message.seconds) ? Math.min(MAX_OUTPUT_LATENCY_S, Math.max(0, message.seconds)) : 0;
        this.loop.outputLatencyFrames = Math.round(s * this.sampleRate);
        break;
      }
    }
  }

  /** Handles a message from the worker. `nowFrame`: the audio frame of the next block to render. */
  onWorkerMessage(message: WorkerToProcessor, nowFrame: Frames, moduleId: string): void {
    switch (message.type) {
      case 'ready':
        this.updates.onWorkerReady();
        this.host.toNode({ type: 'ready', name: moduleId, sampleRate: this.sampleRate });
        break;
      case 'phrase-updated':
        this.updates.onUpdated(message.id, message.notes);
        break;
      case 'music':
        this.planner.onMusic(message, nowFrame);
        break;
      case 'music-failed':
        this.counters.failedRequests++;
        this.planner.onFailed(message.id);
        break;
      case 'return-log-buffers':
        this.streams.releaseLog(message.features, message.events);
        break;
    }
  }

  /** The beat clock at `frame` (a new object: for the debug reply, not the block path). */
  transportReport(frame: Frames): TransportReport {
    const clock = this.clock;
    const beat = clock.beatAtFrame(frame);
    return {
      frame, beat, tempoBpm: clock.tempoBpm, beatsPerBar: clock.beatsPerBar, following: clock.followsHost,
      nextBarFrame: clock.frameAtBeat(clock.nextBarStart(beat)),
    };
  }

  /** Sends the pending feature and log batches and the counters now (e.g. after an offline render). */
  flush(): void {
    this.streams.flush(this.engine);
    this.sendStats();
  }

  /** Sends all-notes-off and all-sound-off on every channel at `frame`, after ending every note the core started. */
  panic(frame: Frames): void {
    this.cancelOutput(frame);
    for (let channel = 0; channel < 16; channel++) {
      this.host.emitMidi(frame, 0xb0 | channel, 123, 0);
      this.host.emitMidi(frame, 0xb0 | channel, 120, 0);
    }
  }

  /** Before the processor goes: ends every sounding note and sends what the log still holds. */
  destroy(frame: Frames): void {
    // No note may hang at a receiver: end them while the event graph still connects us.
    this.scheduler.cancelAll(frame, this);
    this.streams.sendLog();
  }

  /** ParameterLog: a parameter changed; logged at this block. */
  onParameterChange(index: number, value: number): void {
    this.streams.logEvent(this.blockFrame, LOG_EVENT.PARAM, index, value, 0);
  }

  /** MidiSink: one scheduled event to the downstream plugins, at its frame. */
  emitMidi(frame: Frames, status: number, data1: number, data2: number): void {
    this.streams.logEvent(frame, LOG_EVENT.MIDI_OUT, status, data1, data2);
    this.host.emitMidi(frame, status, data1, data2);
  }

  /** FeatureSink: one analysis frame, into the GUI and log batches. */
  onFrame(frameIndex: number, features: Float32Array): void {
    this.streams.frame(frameIndex, features, this.engine!);
  }

  /** FeatureSink: a note found in the audio becomes a performer note, like MIDI input. */
  onNote(pitch: number, velocity: number, startSample: number, endSample: number): void {
    const start = this.streams.engineStartFrame + startSample;
    const end = this.streams.engineStartFrame + endSample;
    this.recorder.noteOn(pitch, velocity, this.clock.beatAtFrame(start));
    this.recorder.noteOff(pitch, this.clock.beatAtFrame(end));
    this.streams.note(pitch, velocity, start, end);
    this.streams.logEvent(start, LOG_EVENT.AUDIO_NOTE, pitch, velocity, end - start);
  }

  /** FeatureSink: a drum hit found in the audio becomes a performer hit. */
  onDrumHit(gmPitch: number, velocity: number, sample: number): void {
    const frame = this.streams.engineStartFrame + sample;
    this.recorder.hit(gmPitch, velocity, this.clock.beatAtFrame(frame));
    this.streams.logEvent(frame, LOG_EVENT.DRUM_HIT, gmPitch, velocity, 0);
    this.streams.note(gmPitch, velocity, frame, frame + ANALYSIS_HOP_SIZE);
  }

  private analyse(input: readonly Float32Array[] | undefined): void {
    const engine = this.engine;
    if (!engine || this.parameters.values[P.features] < 0.5) return;
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
    if (this.streams.engineStartFrame < 0) this.streams.engineStartFrame = this.blockFrame;
    engine.push(mono, 0, QUANTUM, this);
    this.counters.nonFiniteSamples = engine.nonFiniteCount;
    this.streams.afterAnalysis(engine);
  }

  /** Ends sounding notes when a parameter change would leave them hanging; follows the tempo on a free clock. */
  private followParameters(): void {
    const change = this.parameters.follow();
    if (change & ParameterChange.CancelOutput) this.cancelOutput(this.blockFrame);
    if (change & ParameterChange.StaleRequests) this.planner.invalidateRequests();
    const v = this.parameters.values;
    this.sync.follow();
    if (!this.clock.followsHost) {
      const tracked = this.engine ? this.engine.tempoBpm : 0;
      const follow = v[P.followTempo] >= 0.5 && tracked > 0;
      const clockTempo = this.sync.clockTempoBpm;
      this.clock.setFreeTempo(clockTempo > 0 ? clockTempo : follow ? tracked : v[P.tempo], this.blockFrame);
    }
  }

  /** Ends every sounding note and drops queued output; tells the node (for hardware outputs). */
  private cancelOutput(frame: Frames): void {
    this.scheduler.cancelAll(frame, this);
    this.host.toNode({ type: 'cancelled' });
  }

  private sendStats(): void {
    this.reportedProblems = countProblems(this.counters);
    this.lastStatsFrame = this.blockFrame;
    this.host.toNode(this.stats);
  }
}
