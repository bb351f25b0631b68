/**
 * One phrase as a Standard MIDI File, for dragging a generated answer into a
 * DAW or saving it: a format-1 file (written by the session export's
 * linear-time writer, log/export/smf-writer.ts) with the phrase's tempo and
 * metre, and one track holding its notes from beat 0, at 480 ticks per beat.
 * Pure and synchronous, so a drag can carry the bytes the moment it starts.
 */
import * as tonejsMidi from '@tonejs/midi';
import { encodeSmf } from '../log/export/smf-writer.ts';
import type { Phrase } from '../protocol/phrase.ts';

// @tonejs/midi is CommonJS in Node (named export on `default`) and ESM in bundles.
const Midi: typeof tonejsMidi.Midi = tonejsMidi.Midi ?? (tonejsMidi as unknown as { default: typeof tonejsMidi }).default.Midi;

/** MIME type of a `.mid` file. */
export const PHRASE_MIDI_MIME_TYPE = 'audio/midi';

/** Options of {@link phraseToMidi}. */
export interface PhraseMidiOptions {
  /** Name of the file's song and track. Default 'Deep Improv'. */
  name: string;
  /** MIDI channel, 1–16. Default 10 for drum phrases (`drums: true`), else 1. */
  channel: number;
  /** True when the phrase is drum hits (General MIDI percussion keys). Default false. */
  drums: boolean;
}

/**
 * The `.mid` bytes of `phrase`: its notes from the file's start, at its tempo and metre.
 * @throws Error when the tempo is not a positive finite number or a note is outside MIDI's ranges.
 */
export function phraseToMidi(phrase: Phrase, options: Partial<PhraseMidiOptions> = {}): Uint8Array {
  if (!(Number.isFinite(phrase.tempoBpm) && phrase.tempoBpm > 0)) throw new Error(`phraseToMidi: expected a tempo in BPM > 0, got ${phrase.tempoBpm}`);
  const drums = options.drums ?? false;
  const channel = options.channel ?? (drums ? 10 : 1);
  if (!Number.isInteger(channel) || channel < 1 || channel > 16) throw new Error(`phraseToMidi: expected a channel 1–16, got ${channel}`);
  const name = options.name ?? 'Deep Improv';
  const midi = new Midi();
  midi.header.name = name;
  midi.header.setTempo(phrase.tempoBpm);
  const beatsPerBar = Number.isInteger(phrase.beatsPerBar) && phrase.beatsPerBar >= 1 ? phrase.beatsPerBar : 4;
  midi.header.timeSignatures.push({ ticks: 0, timeSignature: [beatsPerBar, 4] });
  midi.header.update();
  const track = midi.addTrack();
  track.name = name;
  track.channel = channel - 1;
  const ppq = midi.header.ppq;
  for (const note of phrase.notes) {
    if (!Number.isInteger(note.pitch) || note.pitch < 0 || note.pitch > 127) throw new Error(`phraseToMidi: expected a pitch 0–127, got ${note.pitch}`);
    if (!Number.isFinite(note.startBeats) || !Number.isFinite(note.durationBeats)) {
      throw new Error(`phraseToMidi: expected finite start and length in beats, got ${note.startBeats} and ${note.durationBeats}`);
    }
    const ticks = Math.max(0, Math.round(note.startBeats * ppq));
    track.addNote({
      midi: note.pitch, ticks, durationTicks: Math.max(1, Math.round(note.durationBeats * ppq)),
      velocity: Math.min(127, Math.max(1, note.velocity)) / 127,
    });
  }
  return encodeSmf(midi);
}
