/**
 * A bounded decoder for lz-string's URL-safe format (the output of
 * `LZString.compressToEncodedURIComponent`).
 *
 * Why not lz-string's own `decompressFromEncodedURIComponent`: it is an
 * LZW-style decoder with no output limit, and LZW output can grow with the
 * square of the number of codes, so a crafted share link of a few hundred
 * kilobytes could make the page build a string of gigabytes; and on some
 * corrupt input it throws a TypeError instead of returning null. This is the same
 * algorithm (lz-string 1.5.0's `_decompress`, MIT, © 2013 pieroxy) with two
 * changes: it stops as soon as the output would pass `maxChars`, and it
 * reports a truncated or corrupt stream instead of returning garbage or throwing.
 * A test checks it against lz-string on round trips and truncations.
 */

/** lz-string's URL-safe alphabet: each character carries 6 bits. */
export const LZ_URI_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';

const VALUE_OF = new Int8Array(128).fill(-1);
for (let i = 0; i < LZ_URI_ALPHABET.length; i++) VALUE_OF[LZ_URI_ALPHABET.charCodeAt(i)] = i;

/** Bits per input character, as lz-string's `resetValue` (the top bit's value). */
const RESET_VALUE = 32;
/** Codes wider than this cannot come from a real stream under the limits used here. */
const MAX_CODE_BITS = 30;

/** What {@link decompressUriSafe} found. */
export type DecompressResult =
  | { ok: true; text: string }
  | { ok: false; reason: 'bad-character'; index: number }
  | { ok: false; reason: 'corrupt' | 'too-long' };

/**
 * Decodes lz-string URL-safe text, producing at most `maxChars` characters.
 * Spaces are read as `+` (a `+` in a query string arrives as a space).
 * @param input The encoded text.
 * @param maxChars Largest output accepted, in UTF-16 code units.
 * @returns The text, or why it could not be decoded (a character outside the
 *   alphabet, with its index; a truncated/corrupt stream; output too long).
 */
export function decompressUriSafe(input: string, maxChars: number): DecompressResult {
  const length = input.length;
  if (length === 0) return { ok: false, reason: 'corrupt' };
  const values = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const code = input.charCodeAt(i);
    const value = code === 0x20 ? VALUE_OF[0x2b] : code < 128 ? VALUE_OF[code] : -1;
    if (value < 0) return { ok: false, reason: 'bad-character', index: i };
    values[i] = value;
  }

  // Bit reader: least significant bit of each code first, 6 bits per character, high bit first.
  let current = values[0];
  let position = RESET_VALUE;
  let index = 1;
  const readBits = (count: number): number => {
    let bits = 0;
    for (let power = 1, i = 0; i < count; i++, power *= 2) {
      const bit = current & position;
      position >>= 1;
      if (position === 0) {
        position = RESET_VALUE;
        current = index < length ? values[index] : 0; // past the end reads zeros, as in lz-string
        index++;
      }
      if (bit > 0) bits += power;
    }
    return bits;
  };

  // Codes 0 and 1 introduce an 8- or 16-bit literal character, 2 ends the stream, 3+ index the dictionary.
  const dictionary: string[] = [];
  let dictSize = 4;
  let numBits = 3;
  let enlargeIn = 4;
  let first: string;
  switch (readBits(2)) {
    case 0: first = String.fromCharCode(readBits(8)); break;
    case 1: first = String.fromCharCode(readBits(16)); break;
    case 2: return { ok: true, text: '' };
    default: return { ok: false, reason: 'corrupt' };
  }
  dictionary[3] = first;
  let previous = first;
  const parts = [first];
  let total = first.length;

  for (;;) {
    if (index > length) return { ok: false, reason: 'corrupt' }; // ran out before the end code: truncated
    let code = readBits(numBits);
    if (code === 0 || code === 1) {
      dictionary[dictSize++] = String.fromCharCode(readBits(code === 0 ? 8 : 16));
      code = dictSize - 1;
      enlargeIn--;
    } else if (code === 2) {
      return { ok: true, text: parts.join('') };
    }
    if (enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits++;
    }
    let entry: string;
    if (code < dictSize && dictionary[code] !== undefined) entry = dictionary[code];
    else if (code === dictSize) entry = previous + previous.charAt(0);
    else return { ok: false, reason: 'corrupt' };

    total += entry.length;
    if (total > maxChars) return { ok: false, reason: 'too-long' };
    parts.push(entry);
    dictionary[dictSize++] = previous + entry.charAt(0);
    enlargeIn--;
    previous = entry;
    if (enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits++;
      if (numBits > MAX_CODE_BITS) return { ok: false, reason: 'corrupt' };
    }
  }
}
