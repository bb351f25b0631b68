/**
 * The model's per-step input vectors, built from the representations: drums —
 * the 27-value grid row itself; melody — a one-hot of the 90 classes and the
 * note-on velocity (91 values).
 */
import { WINDOW_LOOK_BACK_BEATS, type Phrase } from '../../protocol/phrase.ts';
import type { ModelKind } from '../core/config.ts';
import { DRUM_CLASSES, drumGridToPhrase, phraseToDrumGrid } from './drums.ts';
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
  const notes = phrase.notes.filter((n) => n.startBeats >= cut - WINDOW_LOOK_BACK_BEATS).map((n) => ({ ...n, startBeats: Math.max(0, n.startBeats - cut) }));
  return { ...phrase, notes, lengthBeats: WINDOW_BEATS };
}

/** Chooses one decoded step's events; see {@link chooseStep}. */
export type StepChooser = (out: Float32Array, outOffset: number, events: Float32Array, eventOffset: number) => void;

/** Melody class probabilities of one sampled step (one module-level buffer: choosing never allocates). */
const classWeights = new Float64Array(MELODY_CLASSES);

/**
 * Chooses one step's events from the decoder's pre-activations at
 * `out[outOffset…]` and writes them at `events[eventOffset…]` in the input
 * layout — the very vector an autoregressive decoder reads back at the next
 * step. Drums: hit or not per class, and on hits the velocity (sigmoid) and
 * microtiming offset (0.5·tanh, in steps), zeros elsewhere. Melody: the
 * one-hot class and, on a note-on, its velocity (sigmoid), else 0, as in the
 * training data (velocity is nonzero only on note-ons; see `voiceToTokens`).
 * @param temperature 0 decodes deterministically (hit when p ≥ 0.5; melody by
 *   {@link melodyClassAt}); above 0, hits and classes are sampled from the
 *   distribution sharpened (< 1) or flattened (> 1) by it, using `random`.
 */
export function chooseStep(kind: ModelKind, out: Float32Array, outOffset: number, temperature: number, random: () => number, events: Float32Array, eventOffset: number): void {
  if (kind === 'drums') {
    const K = DRUM_CLASSES;
    for (let k = 0; k < K; k++) {
      const logit = out[outOffset + k]!;
      const hit = temperature > 0 ? random() < sigmoid(logit / temperature) : logit >= 0;
      events[eventOffset + k] = hit ? 1 : 0;
      events[eventOffset + K + k] = hit ? sigmoid(out[outOffset + K + k]!) : 0;
      events[eventOffset + 2 * K + k] = hit ? 0.5 * Math.tanh(out[outOffset + 2 * K + k]!) : 0;
    }
    return;
  }
  let best = melodyClassAt(out, outOffset);
  if (temperature > 0) {
    let sum = 0;
    let max = -Infinity;
    for (let c = 0; c < MELODY_CLASSES; c++) max = Math.max(max, out[outOffset + c]!);
    for (let c = 0; c < MELODY_CLASSES; c++) sum += classWeights[c] = Math.exp((out[outOffset + c]! - max) / temperature);
    let u = random() * sum;
    best = MELODY_CLASSES - 1;
    for (let c = 0; c < MELODY_CLASSES; c++) {
      u -= classWeights[c]!;
      if (u < 0) {
        best = c;
        break;
      }
    }
  }
  events.fill(0, eventOffset, eventOffset + MELODY_FEATURES);
  events[eventOffset + best] = 1;
  events[eventOffset + MELODY_CLASSES] = best >= 2 ? sigmoid(out[outOffset + MELODY_CLASSES]!) : 0;
}

/** A {@link StepChooser} for one kind, temperature and random source. */
export function stepChooser(kind: ModelKind, temperature = 0, random: () => number = Math.random): StepChooser {
  return (out, outOffset, events, eventOffset) => chooseStep(kind, out, outOffset, temperature, random, events, eventOffset);
}

/**
 * Turns chosen events (`steps × 27|91`, the input layout, as written by
 * {@link chooseStep}) into a phrase.
 * @param tempoBpm tempo recorded in the phrase (default 120).
 */
export function eventsToPhrase(kind: ModelKind, events: Float32Array, tempoBpm = 120): Phrase {
  if (kind === 'drums') return drumGridToPhrase(events, tempoBpm);
  const F = MELODY_FEATURES;
  const steps = events.length / F;
  const tokens = new Int16Array(steps);
  const velocity = new Float32Array(steps);
  for (let t = 0; t < steps; t++) {
    let cls = 0;
    for (let c = 1; c < MELODY_CLASSES; c++) if (events[t * F + c]! > events[t * F + cls]!) cls = c;
    tokens[t] = cls;
    velocity[t] = events[t * F + MELODY_CLASSES]!;
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
