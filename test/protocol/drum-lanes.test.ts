import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DRUM_LANES, drumLaneOf } from '../../protocol/drum-lanes.ts';
import { DRUM_CLASS_NAMES, DRUM_CLASS_PITCHES, drumClassOf } from '../../models/representation/drums.ts';

test('the drum lanes are the drum model\'s classes, in its order, with the same keys', () => {
  assert.deepEqual(DRUM_LANES.map((l) => l.id), [...DRUM_CLASS_NAMES]);
  assert.deepEqual(DRUM_LANES.map((l) => [...l.pitches]), DRUM_CLASS_PITCHES.map((p) => [...p]));
  for (let pitch = -1; pitch <= 128; pitch++) assert.equal(drumLaneOf(pitch), drumClassOf(pitch), `pitch ${pitch}`);
});

test('a snare key lands in the snare lane; unmapped keys and bad input in none', () => {
  assert.equal(DRUM_LANES[drumLaneOf(38)].id, 'snare');
  assert.equal(DRUM_LANES[drumLaneOf(36)].label, 'kick');
  assert.equal(DRUM_LANES[drumLaneOf(42)].label, 'closed hat');
  assert.equal(drumLaneOf(60.5), -1);
  assert.equal(drumLaneOf(Number.NaN), -1);
  assert.equal(drumLaneOf(90), -1);
});
