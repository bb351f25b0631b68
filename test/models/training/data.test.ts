import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consecutivePairs, loadWindows, transpositionRange, writeFeatures } from '../../../models/training/data.ts';
import { writeFixtures } from './fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'di-data-'));
const fx = writeFixtures(dir);
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

test('a folder of MIDI files is read recursively (.mid and .MID), other files ignored', () => {
  const set = loadWindows('drums', fx.drumsDir);
  assert.equal(set.sequences, 2);
  // 4 bars per file, 2-bar windows every bar: starts at 0, 1, 2, 3 bars (the last two padded).
  assert.equal(set.windows.length, 8);
  assert.ok(set.windows.every((w) => w.grid!.length === 32 * 27));
  assert.deepEqual([...new Set(set.windows.map((w) => w.tempoBpm))].sort(), [100, 120]);
});

test('a Groove-style info.csv selects the split', () => {
  assert.equal(loadWindows('drums', fx.grooveDir, { split: 'train' }).sequences, 1);
  assert.equal(loadWindows('drums', fx.grooveDir, { split: 'validation' }).sequences, 1);
  assert.throws(() => loadWindows('drums', fx.grooveDir, { split: 'test' }), /no \.mid\/\.midi files/);
});

test('a single .mid file, and the JSB JSON with train / valid splits', () => {
  assert.equal(loadWindows('melody', fx.melodyFile).windows.length, 4);
  const train = loadWindows('melody', fx.jsbFile, { split: 'train' });
  assert.equal(train.sequences, 8, '2 chorales × 4 voices');
  assert.equal(train.windows.length, 8 * 4);
  assert.equal(loadWindows('melody', fx.jsbFile, { split: 'validation' }).sequences, 4);
  const pairs = consecutivePairs(train);
  assert.equal(pairs.length, 8 * 2, 'windows 2 bars apart in the same voice');
});

test('melody features are one-hot + velocity and transpose within range', () => {
  const set = loadWindows('melody', fx.jsbFile, { split: 'train' });
  const w = set.windows[0]!;
  const out = new Float32Array(32 * 91);
  writeFeatures('melody', w, out, 0, 0);
  for (let t = 0; t < 32; t++) assert.equal(out.subarray(t * 91, t * 91 + 90).reduce((a, b) => a + b, 0), 1);
  const [lo, hi] = transpositionRange(w);
  assert.ok(lo < 0 && hi > 0);
  const moved = new Float32Array(32 * 91);
  writeFeatures('melody', w, moved, 0, 2);
  const first = out.subarray(0, 90).indexOf(1);
  assert.equal(moved.subarray(0, 90).indexOf(1), first + 2);
});

test('bad data paths give clear errors', () => {
  assert.throws(() => loadWindows('drums', join(dir, 'nope')), /does not exist/);
  assert.throws(() => loadWindows('drums', fx.jsbFile), /holds melodies/);
  assert.throws(() => loadWindows('melody', join(fx.drumsDir, 'nested', 'notes.txt')), /expected a \.mid/);
});
