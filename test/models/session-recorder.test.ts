// The session starts at its first record, not when the batch carrying it arrived (Node).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { earliestInBatch } from '../../models/session-recorder.ts';
import { LOG_EVENT, LOG_EVENT_STRIDE, type LogBatch } from '../../protocol/processor-worker.ts';
import { ANALYSIS_HOP_SIZE } from '../../protocol/features.ts';

const batch = (over: Partial<LogBatch>): LogBatch => ({
  type: 'log-batch', audioTimeS: 2, engineStartFrame: 0, features: null, featureFrameCount: 0, firstFeatureIndex: 0, events: null, eventCount: 0, ...over,
});

test('the earliest of the first feature frame, the first event and the send time', () => {
  const sr = 48000;
  assert.equal(earliestInBatch(batch({}), sr), 2, 'an empty batch starts when it was sent');
  const features = new Float32Array(35 * 4);
  // Frames from hop 180 of an engine started at frame 4800 (4800 + 180 × 512 = 96960, 2.02 s), sent at 2.1 s.
  assert.equal(earliestInBatch(batch({ audioTimeS: 2.1, engineStartFrame: 4800, firstFeatureIndex: 180, features, featureFrameCount: 4 }), sr),
    (4800 + 180 * ANALYSIS_HOP_SIZE) / sr);
  const events = new Float64Array(LOG_EVENT_STRIDE * 2);
  events.set([96000, LOG_EVENT.MIDI_IN, 0x90, 60, 100, 96100, LOG_EVENT.MIDI_THRU, 0x90, 60, 100]);
  assert.equal(earliestInBatch(batch({ audioTimeS: 2.1, engineStartFrame: 4800, firstFeatureIndex: 180, features, featureFrameCount: 4, events, eventCount: 2 }), sr), 2);
  assert.equal(earliestInBatch(batch({ audioTimeS: 2.1, engineStartFrame: 4800, firstFeatureIndex: 180, features, featureFrameCount: 0, events, eventCount: 0 }), sr), 2.1,
    'buffers past the counts are not read');
});
