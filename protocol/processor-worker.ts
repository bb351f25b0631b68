/**
 * The processor ↔ worker protocol: a MessageChannel between the audio thread
 * and the model worker, so phrases and generated music never pass through
 * the main thread. Batched: a message per phrase or window (about one per
 * bar), never one per 128-sample block.
 */

/** Numbers per event in a packed event list: beat offset, status, data1, data2. */
export const PACKED_EVENT_STRIDE = 4;

/** What a music request asks for (see dsp/loop/loop-controller.ts). */
export type MusicRequestKind = 'phrase-only' | 'answer' | 'window';

/** The parameters that shape generated music, as plain values at request time. */
export interface GenerationSettings {
  /** Index into MODES. */
  mode: number;
  /** Index into MODEL_NAMES. */
  model: number;
  temperature: number;
  variation: number;
  /** Index into REPLY_STRATEGIES: how the answer relates to the call (0 = variation). */
  reply: number;
  density: number;
  humanize: number;
  /** Index into KEY_LOCKS. */
  keyLock: number;
  keyRoot: number;
  /** Index into SCALES. */
  scale: number;
  /** Detected key: 0–11 major, 12–23 minor, -1 unknown. */
  detectedKey: number;
  pitchLow: number;
  pitchHigh: number;
  /** MIDI channel of the output, 1–16. */
  midiChannel: number;
  padX: number;
  padY: number;
  /** Seed for the request's random draws (uint32), so a preset and seed replay the same. */
  seed: number;
}

/** A request for music, or a finished phrase for the log and the latent. */
export interface MusicRequest {
  type: 'music-request';
  id: number;
  kind: MusicRequestKind;
  /** Performer notes packed as pitch, velocity, start, duration (beats from phraseStartBeat). */
  notes: Float64Array;
  phraseStartBeat: number;
  phraseLengthBeats: number;
  /** Where the music goes on the beat clock. */
  targetStartBeat: number;
  targetLengthBeats: number;
  tempoBpm: number;
  beatsPerBar: number;
  /** Audio-clock time (seconds) of the phrase start, for the log. */
  phraseStartTimeS: number;
  settings: GenerationSettings;
}

/**
 * The phrase so far, while it is being recorded (about once a beat), so the
 * worker can search for its latent before the request (anytime encoding,
 * models/respond/anytime.ts). At most one is in flight: the worker answers
 * each with `phrase-updated`, handing the notes buffer back.
 */
export interface PhraseUpdate {
  type: 'phrase-update';
  id: number;
  /** Index into MODEL_NAMES: the model whose latent is warmed. */
  model: number;
  /** Performer notes packed as pitch, velocity, start, duration (beats from phraseStartBeat; held notes cut at the played end). A pooled buffer: only the first `noteCount` notes count. */
  notes: Float64Array;
  noteCount: number;
  /** Start of the phrase the coming request will carry, beats (the request's `phraseStartBeat`). */
  phraseStartBeat: number;
  /** How much of the phrase has been played, beats from phraseStartBeat. */
  playedBeats: number;
  /** True for a phrase's first update (also after the transport went back to the same start beat): the worker starts a new search. */
  first: boolean;
  tempoBpm: number;
  beatsPerBar: number;
}

/** Numbers per event in a log batch: audio frame, kind (LOG_EVENT), then three values. */
export const LOG_EVENT_STRIDE = 5;

/**
 * Kinds of log events and what their three values hold:
 * MIDI in (host or Web MIDI), out (generated) and thru: status, data1, data2;
 * AUDIO_NOTE: pitch, velocity, duration in frames; DRUM_HIT: GM pitch, velocity, 0;
 * PARAM: parameter index in PARAMETERS, value, 0.
 */
export const LOG_EVENT = { MIDI_IN: 1, MIDI_OUT: 2, MIDI_THRU: 3, AUDIO_NOTE: 4, DRUM_HIT: 5, PARAM: 6 } as const;

/**
 * What the processor heard, computed and played since the last batch (about
 * 30 Hz), for the session log. Both arrays are pooled: the worker hands them
 * back with `return-log-buffers`.
 */
export interface LogBatch {
  type: 'log-batch';
  /** Audio-clock time when the batch left, seconds (pairs the audio clock with the worker's wall clock). */
  audioTimeS: number;
  /** Audio frame of the feature engine's first sample (hop index 0 starts there). */
  engineStartFrame: number;
  /** Feature frames, FEATURE_NAMES order, or null when none. */
  features: Float32Array | null;
  featureFrameCount: number;
  firstFeatureIndex: number;
  /** Events packed LOG_EVENT_STRIDE numbers each, or null when none. */
  events: Float64Array | null;
  eventCount: number;
}

/** A host transport change, for the log (rare: its own message). */
export interface LogTransport {
  type: 'log-transport';
  /** Audio frame of the block the change arrived in. */
  frame: number;
  playing: boolean;
  tempoBpm: number;
  timeSigNumerator: number;
  timeSigDenominator: number;
  currentBar: number;
  currentBarStartedS: number;
}

/** A system-exclusive message, for the log (rare: its own message). At most 65,536 bytes are kept. */
export interface LogSysex {
  type: 'log-sysex';
  /** Audio frame of the block it arrived in. */
  frame: number;
  direction: 'in' | 'out';
  bytes: Uint8Array;
}

/** Processor → worker. */
export type ProcessorToWorker =
  | { type: 'hello'; sampleRate: number; instanceId: string }
  | MusicRequest
  | PhraseUpdate
  | LogBatch
  | LogTransport
  /** The processor is being destroyed; its last log batch came before this. */
  | { type: 'bye' }
  | LogSysex;

/** Generated music for a request. */
export interface MusicReply {
  type: 'music';
  id: number;
  targetStartBeat: number;
  targetLengthBeats: number;
  /** Events packed as beat offset from targetStartBeat, status, data1, data2; note-ons paired with note-offs. */
  events: Float64Array;
}

/** Worker → processor. */
export type WorkerToProcessor =
  | { type: 'ready' }
  /** Hands log batch buffers back to the processor's pools. */
  | { type: 'return-log-buffers'; features: Float32Array | null; events: Float64Array | null }
  | MusicReply
  | { type: 'music-failed'; id: number; error: string }
  /** A phrase update was used (or could not be); its notes buffer comes back to the processor's pool. */
  | { type: 'phrase-updated'; id: number; notes: Float64Array };
