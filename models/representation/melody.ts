/**
 * Monophonic melody representation of MusicVAE (Roberts et al., "A
 * Hierarchical Latent Vector Model for Learning Long-Term Structure in
 * Music", ICML 2018): one of 90 classes per 16th step — 0 no event (hold or
 * rest), 1 note-off, 2…89 note-on of MIDI pitch 21…108 — plus, as an
 * extension, the velocity (0–1) of each note-on.
 */
import type { Phrase, PhraseNote } from '../../protocol/phrase.ts';
import { STEPS_PER_BEAT, WINDOW_STEPS } from './grid.ts';

/** Number of melody classes. */
export const MELODY_CLASSES = 90;
/** Class of "no event": the previous note is held, or the rest goes on. */
export const NO_EVENT = 0;
/** Class of "note-off". */
export const NOTE_OFF = 1;
/** Lowest and highest pitch a note-on class can carry (the piano range). */
export const MIN_PITCH = 21;
export const MAX_PITCH = 108;
/** Velocity written when none is known (80 of 127). */
export const DEFAULT_VELOCITY = 80 / 127;

/** The class of a note-on of `pitch`. @throws RangeError outside 21…108. */
export function noteOnClass(pitch: number): number {
  if (!Number.isInteger(pitch) || pitch < MIN_PITCH || pitch > MAX_PITCH) {
    throw new RangeError(`melody pitch must be an integer in ${MIN_PITCH}…${MAX_PITCH}, got ${pitch}`);
  }
  return pitch - MIN_PITCH + 2;
}

/** The pitch of a note-on class, or −1 for no-event / note-off. */
export function classPitch(cls: number): number {
  return cls >= 2 ? cls - 2 + MIN_PITCH : -1;
}

/**
 * A monophonic line on the step grid: the pitch sounding at each step (−1 for
 * silence), whether a note starts there, and its velocity (0–1). This is the
 * form of the JSB "separated" data (one voice) and of a MIDI melody after
 * quantisation; windows are cut from it.
 */
export interface Voice {
  pitch: Int16Array;
  onset: Uint8Array;
  velocity: Float32Array;
}

/**
 * Builds a {@link Voice} from per-step pitches in the JSB "separated" form,
 * where held and repeated notes are not distinguished: a note starts wherever
 * the pitch changes. Pitches outside 21…108 are moved by octaves into range.
 */
export function voiceFromPitches(pitches: ArrayLike<number>): Voice {
  const n = pitches.length;
  const voice: Voice = { pitch: new Int16Array(n), onset: new Uint8Array(n), velocity: new Float32Array(n) };
  let prev = -1;
  for (let t = 0; t < n; t++) {
    const p = foldPitch(pitches[t]!);
    voice.pitch[t] = p;
    if (p >= 0 && p !== prev) {
      voice.onset[t] = 1;
      voice.velocity[t] = DEFAULT_VELOCITY;
    }
    prev = p;
  }
  return voice;
}

function foldPitch(p: number): number {
  if (!(p >= 0)) return -1;
  let q = Math.round(p);
  while (q < MIN_PITCH) q += 12;
  while (q > MAX_PITCH) q -= 12;
  return q;
}

/**
 * Quantises notes to a monophonic {@link Voice} of `steps` steps: starts and
 * ends go to the nearest step (a note lasts at least one step); when notes
 * overlap, the latest note wins (of notes starting together, the highest), and a note is cut where the
 * next one starts.
 * @param notes notes with starts in beats from the grid start.
 */
export function notesToVoice(notes: readonly PhraseNote[], steps: number): Voice {
  const voice: Voice = { pitch: new Int16Array(steps).fill(-1), onset: new Uint8Array(steps), velocity: new Float32Array(steps) };
  const sorted = [...notes].sort((a, b) => a.startBeats - b.startBeats || b.pitch - a.pitch);
  // Later notes override earlier ones from their own start on; of notes starting together the highest wins.
  for (const note of sorted) {
    const start = Math.round(note.startBeats * STEPS_PER_BEAT);
    if (start < 0 || start >= steps) continue;
    if (voice.onset[start] && voice.pitch[start]! >= foldPitch(note.pitch)) continue;
    const end = Math.min(steps, Math.max(start + 1, Math.round((note.startBeats + note.durationBeats) * STEPS_PER_BEAT)));
    const p = foldPitch(note.pitch);
    for (let t = start; t < end; t++) {
      voice.pitch[t] = p;
      voice.onset[t] = t === start ? 1 : 0;
      voice.velocity[t] = t === start ? Math.min(127, Math.max(1, note.velocity)) / 127 : 0;
    }
  }
  return voice;
}

/**
 * Cuts `steps` steps of a voice, starting at `startStep`, into class tokens
 * and note-on velocities. A note already sounding at the window start becomes
 * a note-on there (each window stands alone).
 * @returns tokens (classes 0…89) and velocities (0–1, nonzero only on note-ons).
 */
export function voiceToTokens(voice: Voice, startStep = 0, steps: number = WINDOW_STEPS): { tokens: Int16Array; velocity: Float32Array } {
  const tokens = new Int16Array(steps);
  const velocity = new Float32Array(steps);
  let prev = -1;
  for (let i = 0; i < steps; i++) {
    const t = startStep + i;
    const p = t < voice.pitch.length ? voice.pitch[t]! : -1;
    if (p >= 0 && (i === 0 || voice.onset[t] || p !== prev)) {
      tokens[i] = noteOnClass(p);
      velocity[i] = voice.onset[t] ? voice.velocity[t]! || DEFAULT_VELOCITY : DEFAULT_VELOCITY;
    } else if (p < 0 && prev >= 0) {
      tokens[i] = NOTE_OFF;
    } else {
      tokens[i] = NO_EVENT;
    }
    prev = p;
  }
  return { tokens, velocity };
}

/**
 * Turns class tokens (and note-on velocities) back into notes, in beats from
 * the window start. A note lasts until the next note-on or note-off, or the
 * window end.
 */
export function tokensToNotes(tokens: ArrayLike<number>, velocity?: ArrayLike<number>): PhraseNote[] {
  const notes: PhraseNote[] = [];
  let open: { pitch: number; start: number; velocity: number } | undefined;
  const close = (end: number): void => {
    if (open) notes.push({ pitch: open.pitch, velocity: open.velocity, startBeats: open.start / STEPS_PER_BEAT, durationBeats: (end - open.start) / STEPS_PER_BEAT });
    open = undefined;
  };
  for (let t = 0; t < tokens.length; t++) {
    const cls = tokens[t]!;
    if (cls === NOTE_OFF) close(t);
    else if (cls >= 2) {
      close(t);
      const v = velocity ? velocity[t]! : DEFAULT_VELOCITY;
      open = { pitch: classPitch(cls), start: t, velocity: Math.min(127, Math.max(1, Math.round(v * 127))) };
    }
  }
  close(tokens.length);
  return notes;
}

/** The first window (2 bars) of a melodic phrase as tokens and velocities. */
export function phraseToMelodyTokens(phrase: Phrase): { tokens: Int16Array; velocity: Float32Array } {
  return voiceToTokens(notesToVoice(phrase.notes, WINDOW_STEPS), 0, WINDOW_STEPS);
}

/**
 * Melody tokens as a phrase.
 * @param tempoBpm tempo to record in the phrase (default 120).
 */
export function melodyTokensToPhrase(tokens: ArrayLike<number>, velocity?: ArrayLike<number>, tempoBpm = 120, source: Phrase['source'] = 'generated'): Phrase {
  return { source, notes: tokensToNotes(tokens, velocity), lengthBeats: tokens.length / STEPS_PER_BEAT, tempoBpm, beatsPerBar: 4 };
}
