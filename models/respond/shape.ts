/**
 * Shapes a generated phrase into output MIDI events: density (thins or fills),
 * key lock and pitch range (melody), feel (humanise: how much of the
 * performer's groove — or, without a call, of the model's microtiming — is
 * kept), output channel, and the response length. Pure and deterministic for
 * a given seed.
 */
import type { Phrase } from '../../protocol/phrase.ts';
import { PACKED_EVENT_STRIDE, type GenerationSettings } from '../../protocol/processor-worker.ts';
import { seededUniform } from '../runtime/random.ts';
import type { GrooveTemplate } from './groove.ts';
import { answerRange, placeOctave } from './register.ts';
import { snapToScale } from './scales.ts';

/** Key-lock choices (protocol/parameters.ts `KEY_LOCKS`). */
const KEY_LOCK_OFF = 0;
const KEY_LOCK_DETECTED = 1;

/** Sixteenth-note grid, in beats, that humanise 0 snaps to. */
const GRID_BEATS = 0.25;

/** What the shaping knows of the call (nothing for the latent pad or a prior draw). */
export interface AnswerContext {
  /** The call's feel. */
  groove?: GrooveTemplate | null;
  /** The call's mean MIDI pitch (melody), for the register. */
  callMeanPitch?: number | null;
  /** The call's pitches (melody): a leap to one of them is the performer's own and is kept. */
  callPitches?: ReadonlySet<number> | null;
}

/**
 * Turns `phrase` (starts in beats from the response start) into packed events
 * (beat offset, status, data1, data2), note-on/note-off pairs, sorted by time,
 * all within `[0, lengthBeats)`.
 *
 * Register (melody): with the call's mean pitch, each note keeps its pitch
 * class and takes the octave within the call's register (± an octave, inside
 * the pitch range) that avoids a leap of more than a fifth from the previous
 * note (models/respond/register.ts).
 *
 * Feel: with a `groove` (the call's, models/respond/groove.ts) each note
 * takes the call's offset from the grid and velocity at its place, scaled by
 * `settings.humanize` (0: on the 16th grid with the model's velocity; 1: the
 * call's timing and dynamics); without one, humanise scales the model's own
 * offsets.
 */
export function shapeResponse(phrase: Phrase, settings: GenerationSettings, lengthBeats: number, isDrums: boolean, context: AnswerContext = {}): Float64Array {
  const groove = context.groove ?? null;
  const random = seededUniform(settings.seed ^ 0x9e3779b9);
  const channel = Math.min(15, Math.max(0, Math.round(settings.midiChannel) - 1));
  const root = settings.keyLock === KEY_LOCK_DETECTED ? (settings.detectedKey >= 0 ? settings.detectedKey % 12 : -1) : settings.keyRoot;
  const scale = settings.keyLock === KEY_LOCK_DETECTED ? (settings.detectedKey >= 12 ? 1 : 0) : settings.scale;
  const lock = settings.keyLock !== KEY_LOCK_OFF && root >= 0;
  const low = Math.min(settings.pitchLow, settings.pitchHigh);
  const high = Math.max(settings.pitchLow, settings.pitchHigh);
  const [registerLow, registerHigh] = answerRange(context.callMeanPitch ?? null, low, high);
  const hasCall = context.callMeanPitch !== undefined && context.callMeanPitch !== null;
  let previousPitch: number | null = null;
  // Density 0.5 keeps everything; below thins at random (keeping strong notes
  // first), above doubles some notes an octave up (melody) or adds ghost hits (drums).
  const keep = Math.min(1, settings.density * 2);
  const fill = Math.max(0, settings.density * 2 - 1);
  const notes: ShapedNote[] = [];
  const push = (start: number, duration: number, pitch: number, velocity: number) => {
    const end = Math.min(lengthBeats - 1e-3, start + Math.max(duration, 1e-3));
    if (start < 0 || end <= start) return;
    notes.push({ start, end, pitch, velocity: Math.min(127, Math.max(1, Math.round(velocity))) });
  };
  const feel = groove && !groove.empty ? groove : null;
  const h = Math.min(1, Math.max(0, settings.humanize));
  let velocityMean = 0;
  for (const note of phrase.notes) velocityMean += note.velocity / Math.max(1, phrase.notes.length);
  let velocitySd = 0;
  for (const note of phrase.notes) velocitySd += (note.velocity - velocityMean) ** 2 / Math.max(1, phrase.notes.length);
  velocitySd = Math.sqrt(velocitySd);
  for (const note of phrase.notes) {
    if (random() > keep + (note.velocity / 127) * 0.1) continue;
    const step = Math.round(note.startBeats / GRID_BEATS);
    const grid = step * GRID_BEATS;
    let start = grid + (note.startBeats - grid) * settings.humanize;
    let velocity = note.velocity;
    if (feel) {
      const f = feel.feel(step, note.pitch, note.velocity, note.startBeats / GRID_BEATS - step, velocityMean, velocitySd);
      // An early first hit cannot sound before the answer starts: it plays on the downbeat.
      start = Math.max(0, grid + h * f.offsetSteps * GRID_BEATS);
      velocity = note.velocity + h * (f.velocity - note.velocity);
    }
    let pitch = note.pitch;
    if (!isDrums) {
      // Without a call (the pad, a prior draw) only the pitch range applies.
      const own = context.callPitches?.has(pitch) === true && pitch >= registerLow && pitch <= registerHigh;
      if (!own) pitch = placeOctave(pitch, hasCall ? previousPitch : null, registerLow, registerHigh);
      if (lock) pitch = snapToScale(pitch, root, scale);
      if (pitch < low || pitch > high) continue;
      previousPitch = pitch;
    }
    push(start, note.durationBeats, pitch, velocity);
    if (fill > 0 && random() < fill * 0.5) {
      if (isDrums) push(start + GRID_BEATS * 2, 0.125, note.pitch, velocity * 0.45);
      else if (pitch + 12 <= high) push(start, note.durationBeats, lock ? snapToScale(pitch + 12, root, scale) : pitch + 12, velocity * 0.7);
    }
  }
  return packEvents(oneVoicePerKey(notes), channel);
}

/** A shaped note, beats from the response start. */
interface ShapedNote {
  start: number;
  end: number;
  pitch: number;
  velocity: number;
}

/**
 * At most one sounding note per key: feel can pull a note earlier than the
 * end of the one before it on the same key (and a fill can land on a note),
 * and a synth receiving note-on, note-on, note-off, note-off of one key cuts
 * the second note at the first note-off and ignores the second (a DAW may
 * drop it). So a note ends where the next one of its key starts, and of two
 * starting together the louder is kept.
 */
function oneVoicePerKey(notes: ShapedNote[]): ShapedNote[] {
  const byKey = [...notes].sort((a, b) => a.pitch - b.pitch || a.start - b.start || b.velocity - a.velocity);
  const kept: ShapedNote[] = [];
  for (let i = 0; i < byKey.length; i++) {
    const note = byKey[i];
    const previous = kept.length > 0 ? kept[kept.length - 1] : null;
    if (previous && previous.pitch === note.pitch && previous.start === note.start) continue;
    if (previous && previous.pitch === note.pitch && previous.end > note.start) previous.end = note.start;
    kept.push(note);
  }
  return kept;
}

/** Packs notes as note-on/note-off events (beat offset, status, data1, data2), by time; at equal times note-offs first so repeated pitches restart. */
function packEvents(notes: ShapedNote[], channel: number): Float64Array {
  const events: number[] = [];
  for (const n of notes) events.push(n.start, 0x90 | channel, n.pitch, n.velocity, n.end, 0x80 | channel, n.pitch, 0);
  const order = Array.from({ length: events.length / PACKED_EVENT_STRIDE }, (_, i) => i);
  order.sort((a, b) => events[a * 4] - events[b * 4] || (events[a * 4 + 1] & 0xf0) - (events[b * 4 + 1] & 0xf0));
  const out = new Float64Array(events.length);
  order.forEach((from, to) => out.set(events.slice(from * 4, from * 4 + 4), to * 4));
  return out;
}
