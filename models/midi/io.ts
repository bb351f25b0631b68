/**
 * Standard MIDI files to and from {@link Phrase}s, through @tonejs/midi.
 * Times are converted on the file's first tempo and its ticks-per-quarter
 * (tempo changes after the first are ignored: the Groove MIDI Dataset and most
 * loops have one tempo). The first time signature is read and written back.
 *
 * Limits: a file is refused when it is truncated (a chunk runs past the end
 * of the file, or fewer track chunks than the header announces), holds no
 * track chunk, has a tempo of 0 µs per quarter note, or its part holds more
 * than {@link MAX_MIDI_NOTES} notes or ends after {@link MAX_MIDI_BEATS}
 * beats, so memory and time stay bounded whatever the file says.
 */
import * as ToneMidi from '@tonejs/midi';
import type { Beats, Bpm, Phrase, PhraseNote } from '../../protocol/phrase.ts';

// @tonejs/midi ships CommonJS (main) and ESM (module): depending on the loader the
// class is a named export or hangs off the CommonJS default export.
const Midi = (ToneMidi.Midi ?? (ToneMidi as unknown as { default: typeof ToneMidi }).default.Midi) as typeof ToneMidi.Midi;

/** General MIDI percussion channel (0-based). */
export const DRUM_CHANNEL = 9;

/** Latest note end a file may have, in quarter-note beats (65536: 4.5 hours at 240 BPM). */
export const MAX_MIDI_BEATS: Beats = 65536;

/** Most notes one part of a file may hold. */
export const MAX_MIDI_NOTES = 100_000;

/** Which notes of a file to read. */
export type MidiPart = 'drums' | 'melody';

/** A time signature: `[numerator, denominator]`, e.g. `[7, 8]`; the denominator is a power of two. */
export type TimeSignature = readonly [number, number];

/** What {@link readMidi} reads from a file. */
export interface MidiFile {
  /** One phrase per part read (see {@link readMidi}). */
  phrases: Phrase[];
  /** The first tempo (120 when the file has none). */
  tempoBpm: Bpm;
  /** The first time signature (4/4 when the file has none). */
  timeSignature: TimeSignature;
}

/** How {@link phrasesToMidi} lays phrases out. */
export interface WriteMidiOptions {
  /** Time signature written at tick 0 (default: from the first phrase's `beatsPerBar`, see {@link timeSignatureOf}). */
  timeSignature?: TimeSignature;
  /** Start of each phrase in beats from the file start (default: each one where the previous one's `lengthBeats` ends). */
  startsBeats?: readonly Beats[];
}

/** Quarter-note beats per bar of a time signature (7/8 → 3.5). */
export function beatsPerBarOf([numerator, denominator]: TimeSignature): number {
  return (numerator * 4) / denominator;
}

/** A time signature for quarter-note beats per bar: 3 → 3/4, 3.5 → 7/8; 4/4 for anything not a whole number of eighths. */
export function timeSignatureOf(beatsPerBar: number): TimeSignature {
  if (Number.isInteger(beatsPerBar) && beatsPerBar >= 1 && beatsPerBar <= 255) return [beatsPerBar, 4];
  if (Number.isInteger(beatsPerBar * 2) && beatsPerBar > 0 && beatsPerBar * 2 <= 255) return [beatsPerBar * 2, 8];
  return [4, 4];
}

/**
 * Checks the chunk structure (the header, then length-prefixed chunks up to
 * the end of the file) before the parser sees the bytes.
 * @throws Error saying what is missing or cut off.
 */
function checkChunks(bytes: Uint8Array): void {
  const tag = (at: number): string => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.length < 14 || tag(0) !== 'MThd') {
    const shown = JSON.stringify(new TextDecoder('latin1').decode(bytes.subarray(0, 4)).replace(/[^\x20-\x7e]/g, '.'));
    throw new Error(`expected a Standard MIDI file (starting with 'MThd' and a 14-byte header), found ${bytes.length < 14 ? `${bytes.length} bytes` : shown}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(4);
  if (headerLength < 6) throw new Error(`damaged Standard MIDI file: the header chunk declares ${headerLength} bytes, expected at least 6`);
  const announced = view.getUint16(10);
  let offset = 8 + headerLength;
  let tracks = 0;
  while (offset < bytes.length) {
    if (bytes.length - offset < 8) throw new Error(`truncated Standard MIDI file: it ends ${bytes.length - offset} bytes into a chunk header at byte ${offset}`);
    const length = view.getUint32(offset + 4);
    const remaining = bytes.length - offset - 8;
    if (tag(offset) === 'MTrk') tracks++;
    if (length > remaining) throw new Error(`truncated Standard MIDI file: chunk ${tracks} ('${tag(offset)}') declares ${length} bytes but only ${remaining} remain`);
    offset += 8 + length;
  }
  if (tracks === 0) throw new Error(`the Standard MIDI file holds a header but no track (no 'MTrk' chunk)${announced > 0 ? `; the header announces ${announced}` : ''}`);
  if (tracks < announced) throw new Error(`truncated Standard MIDI file: the header announces ${announced} tracks but the file holds ${tracks}`);
}

/**
 * Reads a Standard MIDI file: one phrase per part (`drums` reads the notes
 * on channel 10, or every note when no track is on channel 10, so plain drum
 * loops work; `melody` returns one phrase per non-drum track with notes),
 * its first tempo and time signature. Starts and lengths are in quarter-note
 * beats from the file start; each phrase's length is rounded up to whole bars.
 * @throws Error when the bytes are not a Standard MIDI file, are truncated,
 *   hold no track, have a tempo of 0 or an invalid time signature, or a part
 *   exceeds {@link MAX_MIDI_NOTES} notes or {@link MAX_MIDI_BEATS} beats.
 */
export function readMidi(bytes: Uint8Array, part: MidiPart): MidiFile {
  checkChunks(bytes);
  let midi: InstanceType<typeof Midi>;
  try {
    midi = new Midi(bytes);
  } catch (error) {
    throw new Error(`damaged Standard MIDI file, could not parse it: ${error instanceof Error ? error.message : String(error)}`);
  }
  const ppq = midi.header.ppq || 480;
  const tempoBpm = midi.header.tempos[0]?.bpm ?? 120;
  if (!Number.isFinite(tempoBpm) || tempoBpm <= 0) throw new Error('the file sets a tempo of 0 µs per quarter note; expected a positive tempo');
  const timeSignature = (midi.header.timeSignatures[0]?.timeSignature ?? [4, 4]) as [number, number];
  const [numerator, denominator] = timeSignature;
  if (!(numerator >= 1) || !(denominator >= 1) || (denominator & (denominator - 1)) !== 0) {
    throw new Error(`the file's time signature ${numerator}/${denominator} is invalid; expected a numerator of at least 1 over a power of two`);
  }
  const beatsPerBar = beatsPerBarOf(timeSignature);
  const toPhrase = (notes: PhraseNote[]): Phrase => {
    if (notes.length > MAX_MIDI_NOTES) throw new Error(`the ${part} part holds ${notes.length} notes, more than the ${MAX_MIDI_NOTES} a file may hold`);
    notes.sort((a, b) => a.startBeats - b.startBeats || a.pitch - b.pitch);
    const end = notes.reduce((m, n) => Math.max(m, n.startBeats + n.durationBeats), 0);
    if (end > MAX_MIDI_BEATS) throw new Error(`the ${part} part ends after ${Math.round(end)} beats, longer than the ${MAX_MIDI_BEATS} beats a file may last`);
    return { source: 'file', notes, lengthBeats: Math.ceil(end / beatsPerBar - 1e-9) * beatsPerBar, tempoBpm, beatsPerBar };
  };
  const noteOf = (n: { midi: number; ticks: number; durationTicks: number; velocity: number }): PhraseNote => ({
    pitch: n.midi,
    velocity: Math.min(127, Math.max(1, Math.round(n.velocity * 127))),
    startBeats: n.ticks / ppq,
    durationBeats: Math.max(n.durationTicks, 1) / ppq,
  });
  const tracks = midi.tracks.filter((t) => t.notes.length > 0);
  let phrases: Phrase[];
  if (part === 'drums') {
    const drumTracks = tracks.filter((t) => t.channel === DRUM_CHANNEL);
    const source = drumTracks.length > 0 ? drumTracks : tracks;
    phrases = source.length > 0 ? [toPhrase(source.flatMap((t) => t.notes.map(noteOf)))] : [];
  } else {
    phrases = tracks.filter((t) => t.channel !== DRUM_CHANNEL).map((t) => toPhrase(t.notes.map(noteOf)));
  }
  return { phrases, tempoBpm, timeSignature };
}

/**
 * The phrases of a Standard MIDI file ({@link readMidi}'s `phrases`).
 * @throws Error as {@link readMidi}.
 */
export function midiToPhrases(bytes: Uint8Array, part: MidiPart): Phrase[] {
  return readMidi(bytes, part).phrases;
}

/**
 * Writes phrases as a Standard MIDI file (480 ticks per quarter) at the first
 * phrase's tempo, with one time signature; by default each phrase starts
 * where the previous one's `lengthBeats` ends (see {@link WriteMidiOptions}).
 * Drums go on channel 10.
 * @throws RangeError when the tempo is not a positive finite number or the time signature is invalid.
 */
export function phrasesToMidi(phrases: readonly Phrase[], part: MidiPart, options: WriteMidiOptions = {}): Uint8Array {
  const midi = new Midi();
  const tempoBpm = phrases[0]?.tempoBpm ?? 120;
  if (!Number.isFinite(tempoBpm) || tempoBpm <= 0) throw new RangeError(`cannot write a tempo of ${tempoBpm} BPM; expected a positive tempo`);
  midi.header.setTempo(tempoBpm);
  const [numerator, denominator] = options.timeSignature ?? timeSignatureOf(phrases[0]?.beatsPerBar ?? 4);
  if (!(numerator >= 1 && numerator <= 255) || !(denominator >= 1) || (denominator & (denominator - 1)) !== 0) {
    throw new RangeError(`cannot write the time signature ${numerator}/${denominator}; expected a numerator 1–255 over a power of two`);
  }
  midi.header.timeSignatures.push({ ticks: 0, timeSignature: [numerator, denominator] });
  midi.header.update();
  const ppq = midi.header.ppq;
  const track = midi.addTrack();
  track.channel = part === 'drums' ? DRUM_CHANNEL : 0;
  let offsetBeats = 0;
  phrases.forEach((phrase, i) => {
    const start = options.startsBeats?.[i] ?? offsetBeats;
    for (const note of phrase.notes) {
      track.addNote({
        midi: note.pitch,
        ticks: Math.max(0, Math.round((start + note.startBeats) * ppq)),
        durationTicks: Math.max(1, Math.round(note.durationBeats * ppq)),
        velocity: note.velocity / 127,
      });
    }
    offsetBeats = start + phrase.lengthBeats;
  });
  return midi.toArray();
}
