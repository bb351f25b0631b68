// Every feature the engine writes has a readable name, and unknown names are shown as stored (Node).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FEATURE_NAMES } from '../../dsp/features/feature-names.ts';
import { featureLabel } from '../../protocol/feature-labels.ts';

test('each of the engine\'s feature columns has a readable, distinct label', () => {
  const labels = FEATURE_NAMES.map(featureLabel);
  FEATURE_NAMES.forEach((name, i) => {
    assert.notEqual(labels[i], name, `${name} has a label`);
    assert.match(labels[i], /^[A-Z]/, `${labels[i]} reads as a name`);
  });
  assert.equal(new Set(labels).size, labels.length);
  assert.equal(featureLabel('centroid_hz'), 'Spectral centroid (Hz)');
  assert.equal(featureLabel('mfcc_12'), 'MFCC 12');
  assert.equal(featureLabel('chroma_1'), 'Chroma C♯');
});

test('a column this version does not know keeps its stored name', () => {
  assert.equal(featureLabel('spare_0'), 'spare_0');
  assert.equal(featureLabel('chroma_12'), 'chroma_12');
});
