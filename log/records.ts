/**
 * What the session log records: one discriminated union, `LogRecord`, keyed by
 * `kind`. Every record carries the same three clocks (see {@link RecordTiming}),
 * so a reader can line up MIDI, features, model calls and GUI markers.
 *
 * Records are plain data (numbers, strings, booleans, arrays, plain objects,
 * typed arrays). The writer copies a record when it is appended, so a caller
 * may reuse its typed arrays afterwards. A property whose value is `undefined`
 * is not stored (it reads back as absent).
 */
import type { Phrase } from '../protocol/phrase.ts';

/** The three clocks on every record. */
export interface RecordTiming {
  /** Audio-clock time in seconds (the `AudioContext`'s `currentTime` clock). Finite. */
  audioTimeS: number;
  /** Audio-clock time as a sample frame (the AudioWorklet's `currentFrame` clock). Finite. */
  frame: number;
  /** Wall-clock time in milliseconds since the Unix epoch. Finite. */
  wallTimeMs: number;
}

/** Which way a MIDI message went, seen from the plugin. */
export type MidiDirection = 'in' | 'out';

/**
 * Where a MIDI message came from or went to. The known values are listed; any
 * other short string is stored as given.
 * - `host`: from or to the WAM host (`wam-midi` events).
 * - `webmidi`: from or to a hardware port through Web MIDI.
 * - `generated`: produced by the model (output side).
 * - `thru`: an input message re-emitted by MIDI thru.
 */
export type MidiSource = 'host' | 'webmidi' | 'generated' | 'thru' | (string & {});

/** A raw MIDI message (any status: notes, CC, pitch bend, aftertouch, program change, clock, sysex). */
export interface MidiRecord extends RecordTiming {
  kind: 'midi';
  direction: MidiDirection;
  source: MidiSource;
  /** The message bytes as sent on the wire (status byte first; sysex includes F0 … F7). */
  bytes: Uint8Array;
}

/**
 * A chunk of audio feature frames (the writer makes these; callers append
 * frames with `SessionLog.appendFeatures`). The timing fields describe the
 * first frame. Frame `i` sits at audio frame
 * `meta.features.originFrame + (firstHopIndex + i) * meta.features.hopSamples`.
 */
export interface FeaturesRecord extends RecordTiming {
  kind: 'features';
  /** Hop index of the first frame (hops counted from `meta.features.originFrame`). */
  firstHopIndex: number;
  /** Number of frames in the chunk. */
  frameCount: number;
  /** Features per frame (`meta.features.names.length`). */
  featureCount: number;
  /** Frame-major values: frame `i`, feature `j` at `values[i * featureCount + j]`. */
  values: Float32Array;
}

/** A note detected by audio analysis (onset time is the record's time). */
export interface NoteRecord extends RecordTiming {
  kind: 'note';
  /** Which detector produced it, e.g. `audio-notes` or `audio-drums`. */
  source: string;
  /** MIDI pitch 0–127 (a General MIDI percussion key for drum hits). */
  pitch: number;
  /** MIDI velocity 1–127. */
  velocity: number;
  /** Length in seconds (a short nominal length for drum hits). */
  durationS: number;
  /** Detector confidence 0–1, when the detector gives one. */
  confidence?: number;
}

/** Tempo and key estimated from the audio (either may be absent). */
export interface AnalysisRecord extends RecordTiming {
  kind: 'analysis';
  tempoBpm?: number;
  /** Key root, 0 = C … 11 = B. */
  keyRoot?: number;
  /** Key mode, e.g. `major` or `minor`. */
  keyScale?: string;
  /** Estimator confidence 0–1. */
  confidence?: number;
}

/** One model call (encode, decode, generate, interpolate …) and its latent. */
export interface ModelRecord extends RecordTiming {
  kind: 'model';
  /** Model name, e.g. `melody` or `drums`. */
  model: string;
  /** What was called, e.g. `encode`, `decode`, `generate`, `interpolate`. */
  call: string;
  /** The latent vector involved, if any. */
  latent?: Float32Array;
  /** Inference time in milliseconds. */
  elapsedMs?: number;
  /** The phrase given to the model. */
  input?: Phrase;
  /** The phrase the model returned. */
  output?: Phrase;
  /** Anything else worth keeping (plain JSON-like data and typed arrays). */
  detail?: unknown;
}

/** A parameter change, in the parameter's plain unit (see protocol/parameters.ts). */
export interface ParamRecord extends RecordTiming {
  kind: 'param';
  /** Parameter id from the parameter table. */
  id: string;
  value: number;
  /** Who changed it, e.g. `host`, `gui`, `automation`, `preset`. */
  source?: string;
}

/** A transport change (mirrors the WAM `wam-transport` event). */
export interface TransportRecord extends RecordTiming {
  kind: 'transport';
  playing: boolean;
  tempoBpm: number;
  timeSigNumerator: number;
  timeSigDenominator: number;
  /** Current bar number (as the host counts it). */
  currentBar: number;
  /** Audio-clock time (seconds) at which the current bar started. */
  currentBarStartedS: number;
}

/** A marker set by the performer from the GUI. */
export interface MarkerRecord extends RecordTiming {
  kind: 'marker';
  label: string;
  /** CSS colour for display, optional. */
  color?: string;
}

/** Anything the session log stores. */
export type LogRecord =
  | MidiRecord
  | FeaturesRecord
  | NoteRecord
  | AnalysisRecord
  | ModelRecord
  | ParamRecord
  | TransportRecord
  | MarkerRecord;

/** The `kind` of a record. */
export type LogRecordKind = LogRecord['kind'];

/** Every record kind, in a fixed order (used for counts and display). */
export const LOG_RECORD_KINDS: readonly LogRecordKind[] = ['midi', 'features', 'note', 'analysis', 'model', 'param', 'transport', 'marker'];

/** Record counts per kind. */
export type KindCounts = Record<LogRecordKind, number>;

/** A fresh all-zero {@link KindCounts}. */
export function emptyKindCounts(): KindCounts {
  return { midi: 0, features: 0, note: 0, analysis: 0, model: 0, param: 0, transport: 0, marker: 0 };
}

/** Adds `b` into `a` (times `sign`, ±1) and returns `a`. */
export function addKindCounts(a: KindCounts, b: KindCounts, sign = 1): KindCounts {
  for (const kind of LOG_RECORD_KINDS) a[kind] += sign * b[kind];
  return a;
}

/** True when `kind` names a record kind. */
export function isLogRecordKind(kind: unknown): kind is LogRecordKind {
  return typeof kind === 'string' && (LOG_RECORD_KINDS as readonly string[]).includes(kind);
}

/**
 * True when a record is music worth keeping a session for: a note found in the audio, a marker the performer set,
 * or a MIDI channel message (note, controller, pitch bend, program change, aftertouch: status 0x80–0xEF) or
 * system-exclusive message, in or out. MIDI clock, start/stop, active sensing and other system real-time and
 * common messages, feature frames (silence is analysed too), parameter, transport, analysis and model records alone
 * are not: a plugin start with nothing played records only those.
 */
export function isMusicRecord(record: LogRecord): boolean {
  switch (record.kind) {
    case 'note':
    case 'marker':
      return true;
    case 'midi': {
      const status = record.bytes[0];
      return (status >= 0x80 && status <= 0xef) || status === 0xf0;
    }
    default:
      return false;
  }
}
