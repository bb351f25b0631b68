/**
 * A phrase: what the performer played (from MIDI or from audio analysis) or
 * what a model generated, as timed notes on the transport's beat clock. It is
 * the one value type that crosses every room: the processor segments phrases,
 * the worker encodes and generates them, the log stores them, presets keep
 * them as latent-pad anchors.
 */

/** A time or duration on the transport clock, in quarter-note beats. */
export type Beats = number;
/** Beats per minute. */
export type Bpm = number;

/**
 * How far before a window's start a note may begin and still belong to that
 * window, in beats: half a 16th step. Such a note quantises onto the window's
 * first step and keeps its offset (a negative start) as microtiming, so a
 * downbeat played a little ahead of the bar line opens the phrase at that bar
 * instead of closing the one before. Training windows, `reconstruct`,
 * `respond` and the live loop's phrase windows all cut with it.
 */
export const WINDOW_LOOK_BACK_BEATS: Beats = 0.125;

/** Where a phrase came from. */
export type PhraseSource = 'host-midi' | 'webmidi' | 'audio-notes' | 'audio-drums' | 'generated' | 'preset' | 'file';

/** One note. Drum hits are notes whose pitch is a General MIDI percussion key. */
export interface PhraseNote {
  /** MIDI pitch, 0–127. */
  pitch: number;
  /** MIDI velocity, 1–127. */
  velocity: number;
  /** Start, in beats from the phrase start (not quantised: microtiming is kept). */
  startBeats: Beats;
  /** Length in beats, > 0. Drum hits use a short nominal length (e.g. 1/8 beat). */
  durationBeats: Beats;
}

/** A phrase of notes, with the metre it was played in. */
export interface Phrase {
  source: PhraseSource;
  /** Notes sorted by start. */
  notes: PhraseNote[];
  /** Length of the phrase window, in beats (e.g. 8 for two bars of 4/4). */
  lengthBeats: Beats;
  /** Tempo the phrase was played at. */
  tempoBpm: Bpm;
  /** Beats per bar (the time signature's numerator, with quarter-note beats). */
  beatsPerBar: number;
}
