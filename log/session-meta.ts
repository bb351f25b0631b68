/**
 * Session metadata: what a session was recorded with, given once when it
 * starts. The feature frame layout lives here (names, hop, sample rate), so
 * the log never imports the DSP code.
 */
import { MAX_SESSION_NAME_LENGTH } from './limits.ts';

/** The layout of the feature frames appended with `SessionLog.appendFeatures`. */
export interface FeatureLayout {
  /** Column names, in frame order (e.g. `rms`, `zcr`, `centroid_hz`, …). May be empty. */
  names: string[];
  /** Hop between frames, in samples (default 512). */
  hopSamples: number;
  /** Sample rate the hop is counted in, in Hz (normally the session's sample rate). */
  sampleRateHz: number;
  /** Audio frame (sample) at which hop index 0 starts (default: the session's `audioStartFrame`). */
  originFrame: number;
}

/** Everything about a session that is fixed when it starts. */
export interface SessionMeta {
  /** Wall-clock start, milliseconds since the Unix epoch. */
  wallStartMs: number;
  /** Audio-clock start, seconds (`AudioContext.currentTime` at start). */
  audioStartTimeS: number;
  /** Audio-clock start as a sample frame. Default `round(audioStartTimeS * sampleRateHz)`. */
  audioStartFrame: number;
  /** The audio context's sample rate, in Hz. */
  sampleRateHz: number;
  /** The plugin's version string. */
  pluginVersion: string;
  /** Host information, opaque JSON (e.g. `{ name, version, userAgent }`). Default `{}`. */
  host: unknown;
  /** The plugin's preset/state at start, opaque JSON (what `getState()` returned). Default `null`. */
  stateAtStart: unknown;
  /** The feature frame layout. */
  features: FeatureLayout;
  /** Optional display name; the catalog shows the start date when absent. */
  name?: string;
  /** Optional id of the plugin instance that recorded it (two instances write separate sessions). */
  instanceId?: string;
}

/** What `SessionLog.start` accepts: the required fields, the rest defaulted. */
export type SessionMetaInput = Pick<SessionMeta, 'wallStartMs' | 'audioStartTimeS' | 'sampleRateHz' | 'pluginVersion'> &
  Partial<Omit<SessionMeta, 'features'>> & { features?: Partial<FeatureLayout> };

/**
 * Checks a session name and returns it trimmed.
 * @param what who is asking, for the message (e.g. `rename`, `session meta`).
 * @throws TypeError when it is not a string; RangeError when it is longer than {@link MAX_SESSION_NAME_LENGTH} characters.
 */
export function checkSessionName(name: unknown, what: string): string {
  if (typeof name !== 'string') throw new TypeError(`${what}: the name must be a string, got ${describe(name)}`);
  const trimmed = name.trim();
  if (trimmed.length > MAX_SESSION_NAME_LENGTH) {
    throw new RangeError(`${what}: a session name is at most ${MAX_SESSION_NAME_LENGTH} characters, got ${trimmed.length}`);
  }
  return trimmed;
}

const finite = (value: unknown, what: string): number => {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`session meta: ${what} must be a finite number, got ${describe(value)}`);
  }
  return value;
};

/** A short description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/** A deep copy through JSON, so what is stored is exactly what an export carries. */
function jsonCopy(value: unknown, what: string): unknown {
  if (value === undefined) return undefined;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new TypeError(`session meta: ${what} must be JSON-serialisable (${(error as Error).message})`);
  }
  return text === undefined ? undefined : JSON.parse(text);
}

/**
 * Checks session metadata and fills its defaults. Opaque fields (`host`,
 * `stateAtStart`) are copied through JSON, so the stored meta is what a
 * bundle export carries.
 * @throws TypeError naming the field, what was expected and what arrived.
 */
export function normaliseSessionMeta(input: unknown): SessionMeta {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TypeError(`session meta: expected an object, got ${describe(input)}`);
  }
  const m = input as Record<string, unknown>;
  const sampleRateHz = finite(m.sampleRateHz, 'sampleRateHz');
  if (sampleRateHz <= 0) throw new TypeError(`session meta: sampleRateHz must be > 0, got ${sampleRateHz}`);
  const audioStartTimeS = finite(m.audioStartTimeS, 'audioStartTimeS');
  const audioStartFrame = m.audioStartFrame === undefined ? Math.round(audioStartTimeS * sampleRateHz) : finite(m.audioStartFrame, 'audioStartFrame');
  if (typeof m.pluginVersion !== 'string') throw new TypeError(`session meta: pluginVersion must be a string, got ${describe(m.pluginVersion)}`);
  const f = (m.features ?? {}) as Record<string, unknown>;
  if (typeof f !== 'object' || f === null || Array.isArray(f)) throw new TypeError(`session meta: features must be an object, got ${describe(m.features)}`);
  const names = f.names ?? [];
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) {
    throw new TypeError(`session meta: features.names must be an array of strings, got ${describe(names)}`);
  }
  if (names.length > 65535) throw new TypeError(`session meta: at most 65535 features, got ${names.length}`);
  const hopSamples = f.hopSamples === undefined ? 512 : finite(f.hopSamples, 'features.hopSamples');
  if (hopSamples <= 0) throw new TypeError(`session meta: features.hopSamples must be > 0, got ${hopSamples}`);
  const featureRateHz = f.sampleRateHz === undefined ? sampleRateHz : finite(f.sampleRateHz, 'features.sampleRateHz');
  if (featureRateHz <= 0) throw new TypeError(`session meta: features.sampleRateHz must be > 0, got ${featureRateHz}`);
  const originFrame = f.originFrame === undefined ? audioStartFrame : finite(f.originFrame, 'features.originFrame');
  const meta: SessionMeta = {
    wallStartMs: finite(m.wallStartMs, 'wallStartMs'),
    audioStartTimeS,
    audioStartFrame,
    sampleRateHz,
    pluginVersion: m.pluginVersion,
    host: jsonCopy(m.host ?? {}, 'host'),
    stateAtStart: jsonCopy(m.stateAtStart ?? null, 'stateAtStart') ?? null,
    features: { names: [...(names as string[])], hopSamples, sampleRateHz: featureRateHz, originFrame },
  };
  if (m.name !== undefined) {
    if (typeof m.name !== 'string') throw new TypeError(`session meta: name must be a string, got ${describe(m.name)}`);
    meta.name = checkSessionName(m.name, 'session meta');
  }
  if (m.instanceId !== undefined) {
    if (typeof m.instanceId !== 'string') throw new TypeError(`session meta: instanceId must be a string, got ${describe(m.instanceId)}`);
    meta.instanceId = m.instanceId;
  }
  return meta;
}

/** Feature frames per second for a layout (e.g. 48000 / 512 = 93.75). */
export function featureFramesPerSecond(layout: FeatureLayout): number {
  return layout.sampleRateHz / layout.hopSamples;
}
