/**
 * The GUI stream's boundary check and readers (protocol/features.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BATCH_NOTE_STRIDE, BatchNote, batchFeature, batchNoteCount, validateFeatureBatch } from '../../protocol/features.ts';
import { FEATURE_COUNT, FeatureIndex } from '../../dsp/features/feature-names.ts';

function batch(overrides: Record<string, unknown> = {}) {
  const frames = new Float32Array(2 * FEATURE_COUNT);
  frames[FEATURE_COUNT + FeatureIndex.rms] = 0.25;
  return {
    type: 'features',
    frames,
    frameCount: 2,
    featureCount: FEATURE_COUNT,
    firstFrameIndex: 10,
    firstFrameTimeS: 0.1,
    hopSize: 512,
    sampleRate: 48000,
    tempoBpm: 120,
    beatPhase: 0.5,
    keyIndex: 21,
    keyConfidence: 0.6,
    notes: new Float64Array([60, 100, 0.1, 0.4, 36, 90, 0.2, 0.21]),
    ...overrides,
  };
}

test('a well-formed batch passes and reads back', () => {
  const b = validateFeatureBatch(batch());
  assert.equal(batchFeature(b, 1, FeatureIndex.rms), 0.25);
  assert.equal(batchNoteCount(b), 2);
  assert.equal(b.notes![BATCH_NOTE_STRIDE + BatchNote.pitch], 36);
  assert.equal(batchNoteCount(validateFeatureBatch(batch({ notes: null }))), 0);
});

test('malformed batches are rejected with the field, the expectation and the value', () => {
  const cases: [unknown, RegExp][] = [
    [null, /FeatureBatch\.\(batch\): expected an object, got null/],
    [batch({ type: 'phrase' }), /FeatureBatch\.type: expected 'features', got "phrase"/],
    [batch({ frames: [1, 2] }), /FeatureBatch\.frames: expected a Float32Array, got Array/],
    [batch({ frameCount: 3 }), /FeatureBatch\.frames: expected at least frameCount × featureCount = 105 values, got 70/],
    [batch({ beatPhase: 1.5 }), /FeatureBatch\.beatPhase: expected a finite number in \[0, 1\], got 1\.5/],
    [batch({ keyIndex: 24 }), /FeatureBatch\.keyIndex/],
    [batch({ keyConfidence: 1.5 }), /FeatureBatch\.keyConfidence/],
    [batch({ tempoBpm: Number.NaN }), /FeatureBatch\.tempoBpm: expected a finite number/],
    [batch({ notes: new Float64Array(3) }), /FeatureBatch\.notes: expected a length that is a multiple of 4, got 3/],
  ];
  for (const [value, message] of cases) assert.throws(() => validateFeatureBatch(value), message);
});
