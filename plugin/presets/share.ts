/**
 * Share strings and links: a whole plugin state as a short, URL-safe string.
 *
 * Format: `di1.` followed by the state's JSON compressed with lz-string's
 * `compressToEncodedURIComponent` (characters `A–Z a–z 0–9 + - $`, safe in a
 * URL fragment or query without escaping). `di1` names the share format, so a
 * later format can be told apart; the JSON inside carries its own
 * `schemaVersion`, so older states still migrate.
 *
 * Links put the string in the fragment (`#preset=…`), which browsers never
 * send to a server; `?preset=…` is read too.
 *
 * Share strings leave out the Web MIDI device choices: device ids name the
 * sender's hardware, mean nothing on another machine, and need not be sent
 * to strangers. Preset files keep them (they are often the user's own backup).
 */
import LZString from 'lz-string';
import { defaultDevices } from '../state/defaults.ts';
import { parseJsonText } from '../state/json-text.ts';
import { describe, expectRecord } from '../state/reader.ts';
import { STATE_LIMITS, type PluginState } from '../state/schema.ts';
import { StateError, validateState } from '../state/validate.ts';
import { decompressUriSafe } from './lz-decompress.ts';
import { readPresetBody } from './preset-body.ts';

/** The prefix every share string starts with (share format 1). */
export const SHARE_PREFIX = 'di1.';

/** The URL fragment / query parameter that carries a share string. */
export const SHARE_PARAM = 'preset';

/** Path used in error messages about a share string. */
const WHAT = 'share string';

/**
 * Encodes a state as a share string, without its device choices (see above).
 * @param state The state (validated first, so what is shared always loads).
 * @throws StateError when `state` is not a valid state.
 */
export function encodeShareString(state: PluginState): string {
  const valid = validateState(state);
  valid.devices = defaultDevices();
  return SHARE_PREFIX + LZString.compressToEncodedURIComponent(JSON.stringify(valid));
}

/**
 * Decodes a share string into a validated state. Surrounding whitespace is
 * ignored, and a space is read as `+` (a query string turns `+` into a space).
 * The decompressed JSON may be at most `STATE_LIMITS.maxJsonChars` long; a
 * string that would decompress to more is refused without building it.
 * @throws StateError (and nothing else) saying what is wrong: not a string,
 *   too long, wrong prefix, a character outside the alphabet, truncated or
 *   corrupt, a state that does not validate, or one without its parameters.
 */
export function decodeShareString(s: string): PluginState {
  if (typeof s !== 'string') throw new StateError(WHAT, `expected a string, got ${describe(s)}`);
  if (s.length > STATE_LIMITS.maxJsonChars) {
    throw new StateError(WHAT, `expected at most ${STATE_LIMITS.maxJsonChars} characters, got ${s.length}`);
  }
  const trimmed = s.trim();
  if (!trimmed.startsWith(SHARE_PREFIX)) {
    throw new StateError(WHAT, `expected a Deep Improv share string starting with "${SHARE_PREFIX}", got ${describe(trimmed)}`);
  }
  const body = trimmed.slice(SHARE_PREFIX.length);
  const result = decompressUriSafe(body, STATE_LIMITS.maxJsonChars);
  if (!result.ok) {
    switch (result.reason) {
      case 'bad-character': {
        const at = result.index + SHARE_PREFIX.length;
        throw new StateError(WHAT, `expected only the characters A–Z a–z 0–9 + - $ after "${SHARE_PREFIX}", got ${describe(trimmed.charAt(at))} at position ${at}`);
      }
      case 'too-long':
        throw new StateError(WHAT, `expected at most ${STATE_LIMITS.maxJsonChars} characters once decompressed, got more`);
      default:
        throw new StateError(WHAT, 'expected a complete share string, got one that is truncated or corrupt (copy the whole link again)');
    }
  }
  return readPresetBody(expectRecord(parseJsonText(result.text, WHAT), WHAT), WHAT);
}

/**
 * A link that opens `base` with this state: `base` with its fragment set to
 * `#preset=<share string>` (any other fragment is replaced; the query is kept).
 * @param base The page that reads the link (e.g. the demo host's URL).
 * @throws StateError when `state` is not valid; TypeError when `base` is not a URL.
 */
export function shareLink(base: URL | string, state: PluginState): string {
  const url = new URL(String(base));
  url.hash = `${SHARE_PARAM}=${encodeShareString(state)}`;
  return url.href;
}

/**
 * The state a URL carries, from its fragment (`#preset=…`, which may sit among
 * other `&`-separated fragment parameters) or else its query (`?preset=…`).
 * @returns The validated state, or null when the URL carries none.
 * @throws StateError when the URL carries a share string that does not decode.
 */
export function readPresetFromUrl(url: URL): PluginState | null {
  const fromHash = new URLSearchParams(url.hash.replace(/^#/, '')).get(SHARE_PARAM);
  const share = fromHash ?? url.searchParams.get(SHARE_PARAM);
  return share === null ? null : decodeShareString(share);
}

/**
 * Reads what a user pasted: a share link (anything with `#preset=` or
 * `?preset=`) or a bare share string.
 * @throws StateError when it is neither, or does not decode.
 */
export function parseShareInput(text: string): PluginState {
  if (typeof text !== 'string') throw new StateError(WHAT, `expected a string, got ${describe(text)}`);
  const trimmed = text.trim();
  if (trimmed.startsWith(SHARE_PREFIX)) return decodeShareString(trimmed);
  let url: URL | undefined;
  try {
    url = new URL(trimmed);
  } catch {
    url = undefined;
  }
  const state = url ? readPresetFromUrl(url) : null;
  if (state === null) {
    throw new StateError(WHAT, `expected a share link (with #${SHARE_PARAM}=…) or a share string starting with "${SHARE_PREFIX}", got ${describe(trimmed)}`);
  }
  return state;
}
