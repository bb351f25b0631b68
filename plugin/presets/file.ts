/**
 * Preset files (`*.deepimprov.json`): a plugin state as readable JSON, with a
 * format marker so a stray JSON file is refused with a clear message.
 *
 * The file is the state itself plus the marker (one schema everywhere):
 * `{ "format": "deep-improv-preset", "schemaVersion": 2, "name": …,
 * "parameters": …, "anchors": …, "devices": …, "seed": … }`. The validator
 * ignores `format`, so a file body is also a valid `setState()` argument.
 */
import { parseJsonText } from '../state/json-text.ts';
import { describe, expectRecord, own } from '../state/reader.ts';
import { STATE_LIMITS, type PluginState } from '../state/schema.ts';
import { StateError, validateState } from '../state/validate.ts';
import { readPresetBody } from './preset-body.ts';
import { binaryKind, looksBinary } from './sniff.ts';

/** The `format` marker every preset file carries. */
export const PRESET_FILE_FORMAT = 'deep-improv-preset';
/** The file name extension of preset files. */
export const PRESET_FILE_EXTENSION = '.deepimprov.json';
/** MIME type of preset files. */
export const PRESET_FILE_TYPE = 'application/json';
/** Largest file read, in bytes: the JSON limit at up to 4 UTF-8 bytes per character would be 8 MiB. */
export const MAX_PRESET_FILE_BYTES = 4 * STATE_LIMITS.maxJsonChars;

/** Path used in error messages about a whole file. */
const WHAT = 'preset file';

/** What a preset file is, for messages about files that are not one. */
const EXPECTED_FILE = `a Deep Improv preset (a ${PRESET_FILE_EXTENSION} JSON text file)`;

/** The error for a file that is binary data; `kind` names it when its signature is known. */
function binaryFileError(kind: string | null): StateError {
  return new StateError(WHAT, `expected ${EXPECTED_FILE}, got binary data${kind ? ` (this looks like ${kind})` : ''}`);
}

/**
 * A file name for a preset: its name in lower case, letters and digits kept,
 * everything else turned into single dashes, at most 64 characters, plus
 * {@link PRESET_FILE_EXTENSION}; accents are dropped. `'My Preset!'` → `my-preset.deepimprov.json`.
 */
export function presetFileName(name: string): string {
  const slug = name.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 64).replace(/-+$/, '');
  return (slug || 'preset') + PRESET_FILE_EXTENSION;
}

/**
 * The JSON text of a preset file (pretty-printed, 2 spaces).
 * @param state The state to save (validated first).
 * @param name The preset's name, stored in the file (at most 256 characters).
 * @throws StateError when the state or the name is not valid.
 */
export function presetFileText(state: PluginState, name: string): string {
  const valid = validateState({ ...validateState(state), name });
  return `${JSON.stringify({ format: PRESET_FILE_FORMAT, ...valid }, null, 2)}\n`;
}

/**
 * A preset file ready to download: a `File` named by {@link presetFileName},
 * of type `application/json`, holding {@link presetFileText}.
 * @throws StateError when the state or the name is not valid.
 */
export function presetToFile(state: PluginState, name: string): File {
  return new File([presetFileText(state, name)], presetFileName(name), { type: PRESET_FILE_TYPE });
}

/**
 * Reads a preset file's text into a validated state (with the file's name in
 * `state.name`). Older schema versions migrate. A preset must carry its
 * parameters (`parameters`, or a version-1 file's `parameterValues`): a file
 * without them would silently reset every parameter to its default.
 * @throws StateError (and nothing else) when the text is binary data, too
 *   long or too deep, is not JSON, is not a Deep Improv preset file, has no
 *   parameters object, or holds an invalid state, e.g.
 *   `preset file: expected a Deep Improv preset (a .deepimprov.json JSON text file), got binary data (this looks like a WAV audio file)`.
 */
export function parsePresetFile(text: string): PluginState {
  if (typeof text !== 'string') throw new StateError(WHAT, `expected text, got ${describe(text)}`);
  if (looksBinary(text)) throw binaryFileError(null);
  const data = parseJsonText(text, WHAT);
  const record = expectRecord(data, WHAT);
  const format = own(record, 'format', WHAT);
  if (format !== PRESET_FILE_FORMAT) {
    throw new StateError('format', `expected "${PRESET_FILE_FORMAT}" (a ${PRESET_FILE_EXTENSION} preset file), got ${describe(format)}`);
  }
  return readPresetBody(record, WHAT);
}

/**
 * Reads a preset file the user picked or dropped. Binary data (an audio or
 * MIDI file chosen by mistake, anything that is not UTF-8 text) is refused
 * before it is parsed, naming the kind of file when its signature is known.
 * @throws StateError when the file is larger than {@link MAX_PRESET_FILE_BYTES},
 *   cannot be read, is binary data, or does not parse (see {@link parsePresetFile}).
 */
export async function readPresetFile(file: Blob): Promise<PluginState> {
  if (file.size > MAX_PRESET_FILE_BYTES) {
    throw new StateError(WHAT, `expected a file of at most ${MAX_PRESET_FILE_BYTES} bytes, got ${file.size} bytes`);
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch (err) {
    throw new StateError(WHAT, `could not be read (${err instanceof Error ? err.message : 'unknown error'})`);
  }
  const kind = binaryKind(bytes);
  if (kind) throw binaryFileError(kind);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw binaryFileError(null);
  }
  return parsePresetFile(text);
}
