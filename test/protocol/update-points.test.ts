/**
 * The phrase update points (protocol/update-points.ts): every whole beat, and
 * the steps of a bar's last beat; a step update only while it leaves the
 * margin before the decision for the bar line, so it goes at slow and
 * middle tempi and not at fast ones, or with a long lead.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { barLineAfter, isStepUpdate, isUpdatePoint, windowUpdatePoints } from '../../protocol/update-points.ts';

test('update points: the whole beats and the last three steps of each bar', () => {
  const points = Array.from({ length: 33 }, (_, s) => s).filter(isUpdatePoint);
  assert.deepEqual(points, [4, 8, 12, 13, 14, 15, 16, 20, 24, 28, 29, 30, 31, 32]);
  assert.deepEqual(points.filter(isStepUpdate), [13, 14, 15, 29, 30, 31]);
  assert.equal(barLineAfter(15), 4);
  assert.equal(barLineAfter(16), 8);
});

test('a window\'s update points: the step before each bar line up to 125 BPM, not above; a longer lead drops it', () => {
  assert.deepEqual(windowUpdatePoints(32, 100), [4, 8, 12, 13, 14, 15, 16, 20, 24, 28, 29, 30, 31]);
  assert.deepEqual(windowUpdatePoints(32, 120), [4, 8, 12, 13, 14, 15, 16, 20, 24, 28, 29, 30, 31]);
  assert.deepEqual(windowUpdatePoints(32, 140), [4, 8, 12, 13, 14, 16, 20, 24, 28, 29, 30]);
  assert.deepEqual(windowUpdatePoints(32, 120, 0.2), [4, 8, 12, 13, 14, 16, 20, 24, 28, 29, 30]);
});
