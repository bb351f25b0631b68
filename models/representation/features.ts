/**
 * The model's per-step input vectors, built from the representations: drums —
 * the 27-value grid row itself; melody — a one-hot of the 90 classes and the
 * note-on velocity (91 values).
 */
import type { Phrase } from '../../protocol/phrase.ts';
import type { ModelKind } from '../core/config.ts';
import { DRUM_CLASSES, DRUM_FEATURES, drumGridToPhrase, phraseToDrumGrid } from './drums.ts';
import { WINDOW_BEATS, WINDOW_STEPS } from './grid.ts';
import { MAX_PITCH, MELODY_CLASSES, MIN_PITCH, melodyTokensToPhrase, phraseToMelodyTokens } from './melody.ts';

/** Values per step of the melody input: 90 classes + velocity. */
export const MELODY_FEATURES = MELODY_CLASSES + 1;

/**
 * Writes melody tokens as one-hot + velocity rows into `out` at `offset`
 * (`tokens.length × 91` floats), optionally transposed by `semitones` (a
 * note-on that would leave 21…108 keeps its pitch).
 */
export function writeMelodyFeatures(tokens: ArrayLike<number>, velocity: ArrayLike<number>, out: Float32Array, offset = 0, semitones = 0): void {
  const F = MELODY_FEATURES;
  out.fill(0, offset, offset + tokens.length * F);
  for (let t = 0; t < tokens.length; t++) {
    let cls = tokens[t]!;
    if (cls >= 2 && semitones !== 0) {
      const moved = cls + semitones;
      if (moved >= 2 && moved - 2 + MIN_PITCH <= MAX_PITCH) cls = moved;
    }
    out[offset + t * F + cls] = 1;
    out[offset + t * F + MELODY_CLASSES] = velocity[t]!;
  }
}

/** The model input (`32 × 27` or `32 × 91` floats) of a phrase's first 2 bars. */
export function phraseFeatures(kind: ModelKind, phrase: Phrase): Float32Array {
  if (kind === 'drums') return phraseToDrumGrid(phrase);
  const { tokens, velocity } = phraseToMelodyTokens(phrase);
  const out = new Float32Array(WINDOW_STEPS * MELODY_FEATURES);
  writeMelodyFeatures(tokens, velocity, out);
  return out;
}

/**
 * The last 2 bars of a phrase, shifted to start at 0 (notes starting up to
 * half a step before the cut are kept, since they quantise onto its first step).
 */
export function lastWindow(phrase: Phrase): Phrase {
  const cut = Math.max(0, phrase.lengthBeats - WINDOW_BEATS);
  if (cut === 0) return phrase;
  const halfStep = 0.125;
  const notes = phrase.notes.filter((n) => n.startBeats >= cut - halfStep).map((n) => ({ ...n, startBeats: Math.max(0, n.startBeats - cut) }));
  return { ...phrase, notes, lengthBeats: WINDOW_BEATS };
}

/** The output layout, for readers of decoder output: values per step. */
export function featureSize(kind: ModelKind): number {
  return kind === 'drums' ? DRUM_FEATURES : MELODY_FEATURES;
}

/**
 * Turns a decoder's raw output (`steps × 27|91` pre-activations) into a
 * phrase. With `temperature` 0 the result is deterministic (hit when
 * p ≥ 0.5; melody by {@link melodyClassAt}); above 0, hits and classes are sampled from
 * the distribution sharpened or flattened by the temperature, using `random`.
 * @param tempoBpm tempo recorded in the phrase (default 120).
 */
export function outputToPhrase(kind: ModelKind, out: Float32Array, temperature = 0, random: () => number = Math.random, tempoBpm = 120): Phrase {
  const steps = out.length / featureSize(kind);
  if (kind === 'drums') {
    const K = DRUM_CLASSES;
    const grid = new Float32Array(out.length);
    for (let t = 0; t < steps; t++) {
      const row = t * DRUM_FEATURES;
      for (let k = 0; k < K; k++) {
        const logit = out[row + k]!;
        const hit = temperature > 0 ? random() < sigmoid(logit / temperature) : logit >= 0;
        grid[row + k] = hit ? 1 : 0;
        grid[row + K + k] = sigmoid(out[row + K + k]!);
        grid[row + 2 * K + k] = 0.5 * Math.tanh(out[row + 2 * K + k]!);
      }
    }
    return drumGridToPhrase(grid, tempoBpm);
  }
  const F = MELODY_FEATURES;
  const tokens = new Int16Array(steps);
  const velocity = new Float32Array(steps);
  const probs = new Float64Array(MELODY_CLASSES);
  for (let t = 0; t < steps; t++) {
    const row = t * F;
    let best = melodyClassAt(out, row);
    if (temperature > 0) {
      let sum = 0;
      let max = -Infinity;
      for (let c = 0; c < MELODY_CLASSES; c++) max = Math.max(max, out[row + c]!);
      for (let c = 0; c < MELODY_CLASSES; c++) sum += probs[c] = Math.exp((out[row + c]! - max) / temperature);
      let u = random() * sum;
      best = MELODY_CLASSES - 1;
      for (let c = 0; c < MELODY_CLASSES; c++) {
        u -= probs[c]!;
        if (u < 0) {
          best = c;
          break;
        }
      }
    }
    tokens[t] = best;
    velocity[t] = sigmoid(out[row + MELODY_CLASSES]!);
  }
  return melodyTokensToPhrase(tokens, velocity, tempoBpm);
}

/**
 * Deterministic melody decoding of one step's 90 logits at `offset`
 * ("structured argmax"): first the event type with the most probability in
 * total — no event, note-off, or a note-on of any pitch — then, for a note-on,
 * the most likely pitch. Plain argmax over the 90 classes would drop a note
 * the model is sure of whenever it is unsure of its pitch.
 * @returns the class, 0…89.
 */
export function melodyClassAt(logits: ArrayLike<number>, offset: number): number {
  let max = -Infinity;
  for (let c = 0; c < MELODY_CLASSES; c++) max = Math.max(max, logits[offset + c]!);
  let noteOn = 0;
  let bestPitch = 2;
  for (let c = 2; c < MELODY_CLASSES; c++) {
    noteOn += Math.exp(logits[offset + c]! - max);
    if (logits[offset + c]! > logits[offset + bestPitch]!) bestPitch = c;
  }
  const noEvent = Math.exp(logits[offset]! - max);
  const off = Math.exp(logits[offset + 1]! - max);
  if (noteOn > noEvent && noteOn > off) return bestPitch;
  return off > noEvent ? 1 : 0;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
