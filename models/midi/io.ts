/**
 * Standard MIDI files to and from {@link Phrase}s, through @tonejs/midi.
 * Times are converted on the file's first tempo and its ticks-per-quarter
 * (tempo changes after the first are ignored: the Groove MIDI Dataset and most
 * loops have one tempo).
 */
import * as ToneMidi from '@tonejs/midi';
import type { Phrase, PhraseNote } from '../../protocol/phrase.ts';

// @tonejs/midi ships CommonJS (main) and ESM (module): depending on the loader the
// class is a named export or hangs off the CommonJS default export.
const Midi = (ToneMidi.Midi ?? (ToneMidi as unknown as { default: typeof ToneMidi }).default.Midi) as typeof ToneMidi.Midi;

/** General MIDI percussion channel (0-based). */
export const DRUM_CHANNEL = 9;

/** Which notes of a file to read. */
export type MidiPart = 'drums' | 'melody';

/**
 * Reads a Standard MIDI file as one phrase per part: `drums` reads the notes
 * on channel 10 (or every note when no track is on channel 10, so plain drum
 * loops work); `melody` returns one phrase per non-drum track with notes.
 * Starts and lengths are in quarter-note beats from the file start.
 * @throws Error when the bytes are not a Standard MIDI file.
 */
export function midiToPhrases(bytes: Uint8Array, part: MidiPart): Phrase[] {
  let midi: InstanceType<typeof Midi>;
  try {
    midi = new Midi(bytes);
  } catch (error) {
    throw new Error(`expected a Standard MIDI file (starting with 'MThd'), could not parse it: ${error instanceof Error ? error.message : String(error)}`);
  }
  const ppq = midi.header.ppq || 480;
  const tempoBpm = midi.header.tempos[0]?.bpm ?? 120;
  const numerator = midi.header.timeSignatures[0]?.timeSignature[0] ?? 4;
  const toPhrase = (notes: PhraseNote[]): Phrase => {
    notes.sort((a, b) => a.startBeats - b.startBeats || a.pitch - b.pitch);
    const end = notes.reduce((m, n) => Math.max(m, n.startBeats + n.durationBeats), 0);
    return { source: 'file', notes, lengthBeats: Math.ceil(end / numerator) * numerator, tempoBpm, beatsPerBar: numerator };
  };
  const noteOf = (n: { midi: number; ticks: number; durationTicks: number; velocity: number }): PhraseNote => ({
    pitch: n.midi,
    velocity: Math.min(127, Math.max(1, Math.round(n.velocity * 127))),
    startBeats: n.ticks / ppq,
    durationBeats: Math.max(n.durationTicks, 1) / ppq,
  });
  const tracks = midi.tracks.filter((t) => t.notes.length > 0);
  if (part === 'drums') {
    const drumTracks = tracks.filter((t) => t.channel === DRUM_CHANNEL);
    const source = drumTracks.length > 0 ? drumTracks : tracks;
    return source.length > 0 ? [toPhrase(source.flatMap((t) => t.notes.map(noteOf)))] : [];
  }
  return tracks.filter((t) => t.channel !== DRUM_CHANNEL).map((t) => toPhrase(t.notes.map(noteOf)));
}

/**
 * Writes phrases one after another as a Standard MIDI file (480 ticks per
 * quarter) at the first phrase's tempo, each phrase starting where the
 * previous one's `lengthBeats` ends. Drums go on channel 10.
 */
export function phrasesToMidi(phrases: readonly Phrase[], part: MidiPart): Uint8Array {
  const midi = new Midi();
  const tempoBpm = phrases[0]?.tempoBpm ?? 120;
  midi.header.setTempo(tempoBpm);
  const ppq = midi.header.ppq;
  const track = midi.addTrack();
  track.channel = part === 'drums' ? DRUM_CHANNEL : 0;
  let offsetBeats = 0;
  for (const phrase of phrases) {
    for (const note of phrase.notes) {
      track.addNote({
        midi: note.pitch,
        ticks: Math.max(0, Math.round((offsetBeats + note.startBeats) * ppq)),
        durationTicks: Math.max(1, Math.round(note.durationBeats * ppq)),
        velocity: note.velocity / 127,
      });
    }
    offsetBeats += phrase.lengthBeats;
  }
  return midi.toArray();
}
