/**
 * MIDI 1.0 channel-voice and system message validation, on the audio thread:
 * no allocation, never throws. The MIDI 1.0 Detailed Specification gives the
 * data-byte count of each status byte.
 */

/**
 * Number of bytes a complete message with this status byte has (including the
 * status byte), or 0 when the status is not a valid stand-alone status
 * (data byte, sysex start/end handled elsewhere, undefined system codes).
 */
export function midiMessageLength(status: number): number {
  // An integer 0x80–0xff: 144.5 or NaN is no status byte (144.5 & 0xf0 would read as 0x90).
  if (!Number.isInteger(status) || status < 0x80 || status > 0xff) return 0;
  if (status < 0xf0) {
    const kind = status & 0xf0;
    return kind === 0xc0 || kind === 0xd0 ? 2 : 3;
  }
  switch (status) {
    case 0xf1: // MTC quarter frame
    case 0xf3: // song select
      return 2;
    case 0xf2: // song position pointer
      return 3;
    case 0xf6: case 0xf8: case 0xfa: case 0xfb: case 0xfc: case 0xfe: case 0xff:
      return 1;
    default: // 0xf0/0xf7 (sysex: its own event type), 0xf4/0xf5/0xf9/0xfd (undefined)
      return 0;
  }
}

/**
 * True when `bytes` holds a well-formed short MIDI message: a valid status
 * byte (an integer 0x80–0xff that starts a short message) followed by the
 * right number of data bytes (each an integer 0–127). Extra trailing entries
 * (WAM events always carry three) must be integers 0–255 too, or the message
 * is refused: a receiver may read all three.
 */
export function isValidMidiMessage(bytes: ArrayLike<number> | null | undefined): boolean {
  if (!bytes || typeof bytes.length !== 'number' || bytes.length < 1) return false;
  const status = bytes[0];
  if (typeof status !== 'number') return false;
  const length = midiMessageLength(status);
  if (length === 0 || bytes.length < length) return false;
  for (let i = 1; i < length; i++) {
    const b = bytes[i];
    if (typeof b !== 'number' || !Number.isInteger(b) || b < 0 || b > 127) return false;
  }
  for (let i = length; i < bytes.length; i++) {
    const b = bytes[i];
    if (typeof b !== 'number' || !Number.isInteger(b) || b < 0 || b > 255) return false;
  }
  return true;
}
