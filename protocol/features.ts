/**
 * The ~30 Hz feature stream from the processor to the GUI, as the GUI reads
 * it. The message itself is `FeatureBatch` of protocol/node-processor.ts (the
 * processor↔node protocol owns the envelope); this file describes its
 * payload layout and gives the GUI a boundary check and readers.
 *
 * - `frames`: `frameCount × featureCount` float32 values, frame-major, in
 *   FEATURE_NAMES order (dsp/features/feature-names.ts); frame f of the batch
 *   is analysis frame `firstFrameIndex + f`, starting at
 *   `firstFrameTimeS + f·hopSize/sampleRate` on the audio clock.
 * - `notes`: notes and drum hits found since the previous batch, packed
 *   `BATCH_NOTE_STRIDE` numbers each (pitch, velocity, start s, end s on the
 *   audio clock), or null. Drum hits carry their GM key (36, 38, 42) and a
 *   nominal one-hop length.
 * - `tempoBpm` (0 = unknown), `beatPhase` in [0, 1) (0 on the beat),
 *   `keyIndex` (0–11 C…B major, 12–23 C…B minor, −1 no key: too little
 *   pitched material or too unsure), `keyConfidence` 0–1 (dsp/features/key-tracker.ts).
 */
import type { FeatureBatch } from './node-processor.ts';

export type { FeatureBatch };
/** The columns of `frames`: the feature table the engine computes (dsp/features/feature-names.ts). */
export { FEATURE_COUNT, FEATURE_NAMES, FeatureIndex } from '../dsp/features/feature-names.ts';

const TONICS = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'];

/** Names of the 24 key indices of `keyIndex` ('C major' … 'B minor'). */
export const KEY_NAMES: readonly string[] = Object.freeze([...TONICS.map((t) => `${t} major`), ...TONICS.map((t) => `${t} minor`)]);

/** Name of a key index, or 'unknown' for −1 / out of range. */
export function keyName(keyIndex: number): string {
  return keyIndex >= 0 && keyIndex < 24 ? KEY_NAMES[keyIndex] : 'unknown';
}

/**
 * Analysis frame and hop, in samples: the feature engine's defaults, what the
 * plugin analyses with, what the session log records and what
 * `deep-improv analyze` uses unless told otherwise.
 */
export const ANALYSIS_FRAME_SIZE = 2048;
export const ANALYSIS_HOP_SIZE = 512;

/** Numbers per packed note in `FeatureBatch.notes`. */
export const BATCH_NOTE_STRIDE = 4;
/** Offsets inside one packed note. */
export const BatchNote = Object.freeze({ pitch: 0, velocity: 1, startS: 2, endS: 3 });

function fail(what: string, expected: string, value: unknown): never {
  const shown = typeof value === 'object' && value !== null ? (value.constructor?.name ?? 'object') : JSON.stringify(value);
  throw new TypeError(`FeatureBatch.${what}: expected ${expected}, got ${shown}`);
}

function finite(batch: Record<string, unknown>, key: string, min = -Infinity, max = Infinity): void {
  const v = batch[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) fail(key, `a finite number in [${min}, ${max}]`, v);
}

/**
 * Checks a value received as a feature batch (shape, sizes, ranges) and
 * returns it typed.
 * @throws TypeError naming the field, what was expected and what arrived.
 */
export function validateFeatureBatch(value: unknown): FeatureBatch {
  if (typeof value !== 'object' || value === null) fail('(batch)', 'an object', value);
  const b = value as Record<string, unknown>;
  if (b.type !== 'features') fail('type', "'features'", b.type);
  finite(b, 'frameCount', 0);
  finite(b, 'featureCount', 1);
  if (!Number.isInteger(b.frameCount) || !Number.isInteger(b.featureCount)) fail('frameCount', 'integers frameCount and featureCount', b.frameCount);
  if (!(b.frames instanceof Float32Array)) fail('frames', 'a Float32Array', b.frames);
  const needed = (b.frameCount as number) * (b.featureCount as number);
  if ((b.frames as Float32Array).length < needed) fail('frames', `at least frameCount × featureCount = ${needed} values`, (b.frames as Float32Array).length);
  finite(b, 'firstFrameIndex', 0);
  finite(b, 'firstFrameTimeS');
  finite(b, 'hopSize', 1);
  finite(b, 'sampleRate', 1);
  finite(b, 'tempoBpm', 0, 1000);
  finite(b, 'beatPhase', 0, 1);
  finite(b, 'keyIndex', -1, 23);
  finite(b, 'keyConfidence', 0, 1);
  if (b.notes !== null) {
    if (!(b.notes instanceof Float64Array)) fail('notes', 'a Float64Array or null', b.notes);
    if ((b.notes as Float64Array).length % BATCH_NOTE_STRIDE !== 0) fail('notes', `a length that is a multiple of ${BATCH_NOTE_STRIDE}`, (b.notes as Float64Array).length);
  }
  return value as FeatureBatch;
}

/** Value of feature `featureIndex` in frame `frame` of the batch (no bounds check). */
export function batchFeature(batch: FeatureBatch, frame: number, featureIndex: number): number {
  return batch.frames[frame * batch.featureCount + featureIndex];
}

/** Number of packed notes in the batch. */
export function batchNoteCount(batch: FeatureBatch): number {
  return batch.notes ? batch.notes.length / BATCH_NOTE_STRIDE : 0;
}
