/**
 * Bounded JSON parsing for text that comes from outside (a state string, a
 * preset file, a decompressed share string): the size is checked before
 * parsing and the nesting depth before any object is built.
 */
import { STATE_LIMITS } from './schema.ts';
import { StateError } from './state-error.ts';

/**
 * The deepest array/object nesting in JSON text, counted without parsing
 * (brackets inside strings are skipped). Stops counting past `limit`.
 */
export function jsonNestingDepth(text: string, limit = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return deepest;
}

/**
 * Parses JSON text of at most `STATE_LIMITS.maxJsonChars` characters nested at
 * most `STATE_LIMITS.maxJsonDepth` deep. A leading byte-order mark is ignored.
 * @param text The JSON text.
 * @param what What the text is, for messages (e.g. `preset file`).
 * @throws StateError when the text is too long, too deep or not JSON.
 */
export function parseJsonText(text: string, what: string): unknown {
  if (text.length > STATE_LIMITS.maxJsonChars) {
    throw new StateError(what, `expected at most ${STATE_LIMITS.maxJsonChars} characters of JSON, got ${text.length}`);
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (jsonNestingDepth(body, STATE_LIMITS.maxJsonDepth) > STATE_LIMITS.maxJsonDepth) {
    throw new StateError(what, `expected JSON nested at most ${STATE_LIMITS.maxJsonDepth} levels deep, got deeper nesting`);
  }
  try {
    return JSON.parse(body) as unknown;
  } catch (err) {
    const reason = err instanceof Error ? err.message : 'unknown error';
    throw new StateError(what, `expected JSON text, got text that does not parse (${reason})`);
  }
}
