/**
 * The state validator: the only way into the plugin for a state from outside
 * (a host's `setState()`, a preset, a file, a share link).
 *
 * It is pure: it never writes to its input (it reads own data properties
 * only, never runs getters), keeps no reference to it, and returns a fresh
 * `PluginState` or throws a `StateError`; nothing else escapes. It only ever
 * reads the keys the schema names, so unknown keys (`__proto__`,
 * `constructor`, `prototype` among them) are ignored and cannot pollute
 * anything, and every array's length is checked before it is walked, so the
 * work is bounded whatever the input's size, depth or cycles.
 *
 * Written by hand rather than with ajv: the rules (parameter coercion,
 * migration, typed arrays, no getters) read more clearly as code, and there
 * is no generated code or compile step that could throw something else.
 */
import type { Phrase, PhraseNote, PhraseSource } from '../../protocol/phrase.ts';
import { DEFAULT_SEED, emptyAnchor, defaultAnchors, defaultDevices } from './defaults.ts';
import { parseJsonText } from './json-text.ts';
import { migrateV1 } from './migrate.ts';
import { parameterPath, readParameters } from './read-parameters.ts';
import { MODEL_NAMES, type ModelName } from '../../protocol/parameters.ts';
import { arrayLength, at, describe, expectRecord, fail, own, readArray, readInteger, readNumber, readString } from './reader.ts';
import {
  ANCHOR_COUNT, LATENT_SIZES, OLDEST_SCHEMA_VERSION, STATE_LIMITS, STATE_SCHEMA_VERSION,
  type Anchor, type Anchors, type DeviceChoices, type PluginState,
} from './schema.ts';
import { StateError } from './state-error.ts';

export { StateError } from './state-error.ts';

/** Every `PhraseSource` (a record, so the compiler insists that none is missing). */
const PHRASE_SOURCES: Readonly<Record<PhraseSource, true>> = {
  'host-midi': true, webmidi: true, 'audio-notes': true, 'audio-drums': true, generated: true, preset: true, file: true,
};

/** Largest unsigned 32-bit integer, the top of the seed range. */
const UINT32_MAX = 0xffffffff;

/** Phrase defaults for keys a hand-written phrase may leave out. */
const PHRASE_DEFAULTS = { source: 'preset', tempoBpm: 120, beatsPerBar: 4 } as const;

/**
 * Validates (and, for older versions, migrates) a state from outside.
 *
 * Accepts a state object of the current schema, a version-1 state (with
 * `version: 1`, or the SDK's unversioned `{ parameterValues }`), or the JSON
 * text of either. Unknown keys are ignored; missing optional parts take
 * their defaults (`defaults.ts`). A parameter value outside its range, a
 * fraction for an int, boolean or choice parameter, or an unknown choice name
 * is rejected (never clamped), so the input is either loaded as it is or not
 * at all.
 *
 * @param input Anything (it is never modified).
 * @returns A fresh, complete `PluginState` sharing nothing with `input`.
 * @throws StateError (and nothing else) when the input cannot be a state;
 *   its message names the path and what was expected versus what arrived.
 */
export function validateState(input: unknown): PluginState {
  try {
    return readState(typeof input === 'string' ? parseJsonText(input, 'state') : input);
  } catch (err) {
    if (err instanceof StateError) throw err;
    // A throwing Proxy trap, a revoked Proxy, exhausted memory…: still only a StateError leaves.
    throw new StateError('state', `could not be read (${errorText(err)})`);
  }
}

/** The message of anything thrown, without trusting it. */
function errorText(err: unknown): string {
  try {
    return err instanceof Error ? `${err.name}: ${err.message}` : `a ${typeof err} was thrown`;
  } catch {
    return 'an unreadable error was thrown';
  }
}

/** Dispatches on the schema version. */
function readState(input: unknown): PluginState {
  const record = expectRecord(input, 'state');
  const version = readVersion(record);
  return version === 1 ? migrateV1(record) : readCurrent(record);
}

/** The schema version: `schemaVersion`, else v1's `version`, else 1 for the SDK's unversioned `{ parameterValues }`. */
function readVersion(record: object): number {
  const expected = `a schema version from ${OLDEST_SCHEMA_VERSION} to ${STATE_SCHEMA_VERSION}`;
  for (const key of ['schemaVersion', 'version']) {
    const value = own(record, key, 'state');
    if (value === undefined) continue;
    if (typeof value === 'number' && Number.isInteger(value) && value > STATE_SCHEMA_VERSION) {
      throw new StateError(key, `expected ${expected}, got ${value} (saved by a newer Deep Improv? Update the plugin to load it)`);
    }
    return readInteger(value, key, OLDEST_SCHEMA_VERSION, STATE_SCHEMA_VERSION);
  }
  if (own(record, 'parameterValues', 'state') !== undefined) return 1;
  return fail('schemaVersion', expected, undefined);
}

/** Reads a current-version state. */
function readCurrent(record: object): PluginState {
  const parameters = readParametersRecord(own(record, 'parameters', 'state'));
  const state: PluginState = {
    schemaVersion: STATE_SCHEMA_VERSION,
    parameters,
    anchors: readAnchors(own(record, 'anchors', 'state'), parameters.model),
    devices: readDevices(own(record, 'devices', 'state')),
    seed: readSeed(own(record, 'seed', 'state')),
  };
  const name = own(record, 'name', 'state');
  if (name !== undefined && name !== null) state.name = readString(name, 'name');
  return state;
}

function readParametersRecord(value: unknown): PluginState['parameters'] {
  const record = value === undefined ? {} : expectRecord(value, 'parameters');
  return readParameters((spec) => own(record, spec.id, 'parameters'), parameterPath);
}

function readSeed(value: unknown): number {
  return value === undefined ? DEFAULT_SEED : readInteger(value, 'seed', 0, UINT32_MAX);
}

/** The anchors, whose latents belong to the state's model (`modelIndex`, the `model` parameter). */
function readAnchors(value: unknown, modelIndex: number): Anchors {
  if (value === undefined) return defaultAnchors();
  const expected = `an array of ${ANCHOR_COUNT} anchors`;
  const items = readArray(value, 'anchors', ANCHOR_COUNT, expected);
  if (items.length !== ANCHOR_COUNT) fail('anchors', expected, value);
  const model = MODEL_NAMES[modelIndex] ?? MODEL_NAMES[0];
  return [readAnchor(items[0], 0, model), readAnchor(items[1], 1, model), readAnchor(items[2], 2, model), readAnchor(items[3], 3, model)];
}

function readAnchor(value: unknown, index: number, model: ModelName): Anchor {
  const path = at('anchors', index);
  const record = expectRecord(value, path);
  const anchor = emptyAnchor(index);
  const label = own(record, 'label', path);
  if (label !== undefined) anchor.label = readString(label, at(path, 'label'));
  anchor.latent = readLatent(own(record, 'latent', path), at(path, 'latent'), model);
  const phrase = own(record, 'phrase', path);
  anchor.phrase = phrase === undefined || phrase === null ? null : readPhrase(phrase, at(path, 'phrase'));
  return anchor;
}

/**
 * An anchor latent: null, or exactly the model's latent size of finite
 * numbers within ±`STATE_LIMITS.maxLatentAbs` (a plain or typed array). The
 * length is checked before any item is read.
 */
function readLatent(value: unknown, path: string, model: ModelName): number[] | null {
  if (value === undefined || value === null) return null;
  const size = LATENT_SIZES[model];
  const expected = `null or an array of ${size} numbers (the ${model} model's latent size)`;
  const length = arrayLength(value);
  if (length !== size) fail(path, expected, value);
  const items = readArray(value, path, size, expected, true);
  const bound = STATE_LIMITS.maxLatentAbs;
  return items.map((x, i) => {
    if (typeof x !== 'number' || !(x >= -bound && x <= bound)) fail(at(path, i), `a number from ${-bound} to ${bound}`, x);
    return x;
  });
}

function readPhrase(value: unknown, path: string): Phrase {
  const record = expectRecord(value, path);
  const source = own(record, 'source', path) ?? PHRASE_DEFAULTS.source;
  if (typeof source !== 'string' || !Object.hasOwn(PHRASE_SOURCES, source)) {
    const names = Object.keys(PHRASE_SOURCES).map((s) => JSON.stringify(s)).join(', ');
    throw new StateError(at(path, 'source'), `expected one of ${names}, got ${describe(source)}`);
  }
  const maxBeats = STATE_LIMITS.maxPhraseBeats;
  const lengthBeats = readNumber(own(record, 'lengthBeats', path), at(path, 'lengthBeats'), 0, maxBeats, true);
  const tempoBpm = readNumber(own(record, 'tempoBpm', path) ?? PHRASE_DEFAULTS.tempoBpm, at(path, 'tempoBpm'), 0, STATE_LIMITS.maxTempoBpm, true);
  const beatsPerBar = readInteger(own(record, 'beatsPerBar', path) ?? PHRASE_DEFAULTS.beatsPerBar, at(path, 'beatsPerBar'), 1, STATE_LIMITS.maxBeatsPerBar);
  const notesPath = at(path, 'notes');
  const items = readArray(own(record, 'notes', path), notesPath, STATE_LIMITS.maxPhraseNotes, 'an array of notes');
  const notes = items.map((note, i) => readNote(note, at(notesPath, i)));
  // The Phrase contract says notes are sorted by start; a stable sort keeps chords' order.
  notes.sort((a, b) => a.startBeats - b.startBeats);
  return { source: source as PhraseSource, notes, lengthBeats, tempoBpm, beatsPerBar };
}

function readNote(value: unknown, path: string): PhraseNote {
  const record = expectRecord(value, path);
  const maxBeats = STATE_LIMITS.maxPhraseBeats;
  return {
    pitch: readInteger(own(record, 'pitch', path), at(path, 'pitch'), 0, 127),
    velocity: readInteger(own(record, 'velocity', path), at(path, 'velocity'), 1, 127),
    startBeats: readNumber(own(record, 'startBeats', path), at(path, 'startBeats'), 0, maxBeats),
    durationBeats: readNumber(own(record, 'durationBeats', path), at(path, 'durationBeats'), 0, maxBeats, true),
  };
}

function readDevices(value: unknown): DeviceChoices {
  const devices = defaultDevices();
  if (value === undefined) return devices;
  const record = expectRecord(value, 'devices');
  const output = own(record, 'midiOutputId', 'devices');
  if (output !== undefined && output !== null) devices.midiOutputId = readString(output, 'devices.midiOutputId');
  const inputs = own(record, 'midiInputIds', 'devices');
  if (inputs !== undefined) {
    const path = 'devices.midiInputIds';
    const ids = readArray(inputs, path, STATE_LIMITS.maxMidiInputs, 'an array of device id strings');
    // Duplicates would open one port twice; keep the first of each.
    devices.midiInputIds = [...new Set(ids.map((id, i) => readString(id, at(path, i))))];
  }
  return devices;
}
