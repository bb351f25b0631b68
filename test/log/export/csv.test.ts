// CSV time counts from the session's start, so a session's CSV starts at 0 whatever the audio clock read (Node).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { featuresToCsv } from '../../../log/export/csv.ts';
import { timeOrigin } from '../../../log/catalog.ts';
import { normaliseSessionMeta } from '../../../log/session-meta.ts';
import type { FeaturesRecord } from '../../../log/records.ts';

const chunk = (frame: number, frameCount: number): FeaturesRecord => ({
  kind: 'features', audioTimeS: frame / 48000, frame, wallTimeMs: 0, firstHopIndex: 0, frameCount, featureCount: 1,
  values: new Float32Array(frameCount).fill(0.5),
});

test('time_s is 0 at the session start, not the audio clock time', () => {
  // The plugin started recording 83.2 s into the audio context's life.
  const meta = normaliseSessionMeta({ wallStartMs: 0, audioStartTimeS: 83.2, sampleRateHz: 48000, pluginVersion: 't', features: { names: ['rms'], hopSamples: 480 } });
  const rows = featuresToCsv(meta, [chunk(83.2 * 48000, 3)]).trim().split('\n').slice(1);
  assert.deepEqual(rows.map((r) => r.split(',')[0]), ['0', '0.01', '0.02']);
});

test('a session whose first frames precede its recorded start counts from the first frame', () => {
  // Older recordings started a session when the first batch arrived, after the frames it carried.
  const meta = normaliseSessionMeta({ wallStartMs: 0, audioStartTimeS: 1.6, sampleRateHz: 48000, pluginVersion: 't', features: { names: ['rms'], hopSamples: 480 } });
  const origin = timeOrigin(meta, [{ t0S: 1.5 }, { t0S: 1.58 }, { t0S: 2 }]);
  assert.equal(origin, 1.5);
  const rows = featuresToCsv(meta, [chunk(1.5 * 48000, 2)], origin).trim().split('\n').slice(1);
  assert.deepEqual(rows.map((r) => r.split(',')[0]), ['0', '0.01']);
  assert.equal(timeOrigin(meta, [{ t0S: 2 }]), 1.6, 'records after the start leave it where it is');
});
