/**
 * The demo host's computer keyboard: which key plays which MIDI note. With
 * the melody model the keys A W S E D F T G Y H U J K are a chromatic octave
 * (Z and X move it); with the drums model the home row plays General MIDI
 * drum voices on channel 10, the channel drum parts use.
 */

/** How the keyboard plays: notes for the melody model, drum voices for the drums model. */
export type KeyboardLayout = 'notes' | 'drums';

/** Keys of the chromatic octave, from its lowest note up. */
export const NOTE_KEYS = 'awsedftgyhujk';

/** MIDI channel (0-based) of notes from the keyboard in the notes layout (channel 1). */
export const NOTE_CHANNEL = 0;

/** MIDI channel (0-based) of drum voices (channel 10 in General MIDI). */
export const DRUM_CHANNEL = 9;

/** The drum voice of each key in the drums layout (General MIDI percussion key numbers). */
export const DRUM_KEYS: Readonly<Record<string, { note: number; name: string }>> = {
  a: { note: 36, name: 'kick' },
  s: { note: 38, name: 'snare' },
  d: { note: 42, name: 'closed hat' },
  f: { note: 46, name: 'open hat' },
  g: { note: 45, name: 'low tom' },
  h: { note: 47, name: 'mid tom' },
  j: { note: 50, name: 'high tom' },
  k: { note: 49, name: 'crash' },
  l: { note: 51, name: 'ride' },
};

/** Lowest and highest base note of the octave (C1 and C7); the default is middle C (60). */
export const OCTAVE_RANGE = { min: 24, max: 96, initial: 60 } as const;

/** A key's note: its MIDI channel (0-based) and note number. */
export interface KeyNote {
  channel: number;
  note: number;
}

/**
 * The note a key plays, or null when the key plays nothing in this layout.
 * @param key `KeyboardEvent.key`, any case.
 * @param octave The notes layout's lowest note (MIDI note number, default 60); ignored for drums.
 */
export function keyNote(key: string, layout: KeyboardLayout, octave: number = OCTAVE_RANGE.initial): KeyNote | null {
  const k = key.toLowerCase();
  if (layout === 'drums') {
    const drum = Object.hasOwn(DRUM_KEYS, k) ? DRUM_KEYS[k] : undefined;
    return drum ? { channel: DRUM_CHANNEL, note: drum.note } : null;
  }
  const index = k.length === 1 ? NOTE_KEYS.indexOf(k) : -1;
  return index < 0 ? null : { channel: NOTE_CHANNEL, note: octave + index };
}

/** Note-on (velocity 1–127) or note-off bytes for a key's note. */
export function noteBytes(note: KeyNote, down: boolean, velocity = 100): [number, number, number] {
  return down ? [0x90 | note.channel, note.note, velocity] : [0x80 | note.channel, note.note, 0];
}

/** The layout that suits a model: drum voices for `drums`, notes for anything else. */
export function layoutForModel(model: string): KeyboardLayout {
  return model === 'drums' ? 'drums' : 'notes';
}

/** What the keys do, in a few words for the how-to line. */
export function describeLayout(layout: KeyboardLayout): string {
  if (layout === 'drums') {
    return `keys ${Object.entries(DRUM_KEYS).map(([key, drum]) => `${key.toUpperCase()} ${drum.name}`).join(', ')}`;
  }
  return 'keys A–K play notes (W E T Y U the black keys; Z/X octave down/up)';
}
