// Unit tests of the session browser's pure helpers: formatting and plot ranges (Node).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, formatCounts, formatDuration, formatOffset } from '../../../gui/session-browser/format.ts';
import { featureRange } from '../../../gui/session-browser/plot.ts';
import { MIN_PITCH_SPAN, pitchSpan } from '../../../gui/session-browser/roll.ts';
import { emptyKindCounts } from '../../../log/records.ts';
import type { SpanNote } from '../../../log/notes.ts';

test('durations, sizes, offsets and counts read the way the list shows them', () => {
  assert.equal(formatDuration(0), '0:00');
  assert.equal(formatDuration(59.99), '0:59');
  assert.equal(formatDuration(61), '1:01');
  assert.equal(formatDuration(3600 + 62), '1:01:02');
  assert.equal(formatDuration(NaN), '0:00');
  assert.equal(formatBytes(999), '999 B');
  assert.equal(formatBytes(12_345), '12.3 kB');
  assert.equal(formatBytes(21_400_000), '21.4 MB');
  assert.equal(formatBytes(2.5e9), '2.50 GB');
  assert.equal(formatOffset(59.94), '0:59.9');
  assert.equal(formatOffset(61.25), '1:01.3');
  assert.equal(formatCounts({ counts: { ...emptyKindCounts(), midi: 12, note: 3, marker: 1 } }), '12 MIDI · 3 notes · 1 markers');
});

test('a feature lane spans the finite extremes over all buckets', () => {
  const overview = {
    names: ['a', 'b'], buckets: 3, bucketS: 1, durationS: 3,
    min: Float32Array.from([0, NaN, -2, NaN, 1, NaN]),
    max: Float32Array.from([5, NaN, 3, NaN, 4, NaN]),
    mean: new Float32Array(6),
  };
  assert.deepEqual(featureRange(overview, 0), [-2, 5]);
  assert.deepEqual(featureRange(overview, 1), [0, 1], 'a feature with no finite value gets a unit range');
});

test('the piano roll shows at least an octave around the notes', () => {
  const note = (pitch: number): SpanNote => ({ lane: 'performer', channel: 0, pitch, velocity: 100, startS: 0, endS: 1 });
  assert.deepEqual(pitchSpan([]), [54, 66]);
  assert.deepEqual(pitchSpan([note(40), note(90)]), [40, 90]);
  const [low, high] = pitchSpan([note(60), note(62)]);
  assert.equal(high - low, MIN_PITCH_SPAN);
  assert.ok(low <= 60 && high >= 62);
  assert.deepEqual(pitchSpan([note(127)]), [115, 127], 'kept whole at the top of the MIDI range');
  assert.deepEqual(pitchSpan([note(0)]), [0, 12], 'and at the bottom');
});
