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

/** Processor → worker. */
export type ProcessorToWorker =
  | { type: 'hello'; sampleRate: number; instanceId: string }
  | { type: 'ping'; id: number; audioTimeS: number }
  | MusicRequest;

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
  | { type: 'pong'; id: number }
  | MusicReply
  | { type: 'music-failed'; id: number; error: string };
