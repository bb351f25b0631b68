/**
 * Tells text from binary data before it is read as JSON, so that a file
 * chosen by mistake (a recording, a MIDI file, a session bundle) is refused
 * as what it is rather than with a JSON parser's complaint about nesting or
 * a stray byte.
 */

/** Known file signatures, by their first bytes (ASCII unless given as numbers). */
const SIGNATURES: readonly { kind: string; bytes: readonly number[]; at?: number }[] = [
  { kind: 'a WAV audio file', bytes: ascii('WAVE'), at: 8 },
  { kind: 'an AIFF audio file', bytes: ascii('AIFF'), at: 8 },
  { kind: 'a RIFF file', bytes: ascii('RIFF') },
  { kind: 'a MIDI file', bytes: ascii('MThd') },
  { kind: 'an MP3 audio file', bytes: ascii('ID3') },
  { kind: 'an MP3 audio file', bytes: [0xff, 0xfb] },
  { kind: 'a FLAC audio file', bytes: ascii('fLaC') },
  { kind: 'an Ogg audio file', bytes: ascii('OggS') },
  { kind: 'an MP4/M4A file', bytes: ascii('ftyp'), at: 4 },
  { kind: 'a ZIP archive', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { kind: 'a gzip archive', bytes: [0x1f, 0x8b] },
  { kind: 'a PDF document', bytes: ascii('%PDF') },
  { kind: 'a PNG image', bytes: [0x89, 0x50, 0x4e, 0x47] },
  { kind: 'a JPEG image', bytes: [0xff, 0xd8, 0xff] },
];

function ascii(text: string): number[] {
  return Array.from(text, (c) => c.charCodeAt(0));
}

/**
 * What kind of binary file `bytes` (its first bytes suffice) looks like, e.g.
 * `a WAV audio file`, or null when the signature is not one listed here.
 */
export function binaryKind(bytes: Uint8Array): string | null {
  for (const { kind, bytes: signature, at = 0 } of SIGNATURES) {
    if (bytes.length >= at + signature.length && signature.every((b, i) => bytes[at + i] === b)) return kind;
  }
  return null;
}

/**
 * True when text cannot be JSON because it holds a control character JSON
 * never allows raw (U+0000–U+001F other than tab, line feed and carriage
 * return, anywhere, strings included) or the replacement character U+FFFD
 * that decoding non-UTF-8 bytes leaves: the signs of binary data read as text.
 * Only the first `limit` characters are looked at.
 */
export function looksBinary(text: string, limit = 4096): boolean {
  const end = Math.min(text.length, limit);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffd) return true;
  }
  return false;
}
