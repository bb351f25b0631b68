import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DrumReconstruction, f1, MelodyReconstruction, pathEvenness } from '../../../models/eval/metrics.ts';
import { evaluateModel } from '../../../models/eval/evaluate.ts';
import { drumsToGrid, DRUM_CLASS_NAMES } from '../../../models/representation/drums.ts';
import { noteOnClass } from '../../../models/representation/melody.ts';
import { grooveNotes, randomWeights, tinyConfig } from '../../helpers/models.ts';

test('F1 from counts', () => {
  assert.equal(f1({ tp: 0, fp: 0, fn: 0 }), 1);
  assert.equal(f1({ tp: 2, fp: 1, fn: 1 }), 4 / 6);
});

test('drum reconstruction: perfect logits give F1 1 and zero errors; a missed class lowers its F1', () => {
  const grid = drumsToGrid(grooveNotes(2));
  const perfect = new Float32Array(grid.length);
  for (let row = 0; row < grid.length; row += 27) {
    for (let k = 0; k < 9; k++) {
      perfect[row + k] = grid[row + k]! ? 10 : -10;
      perfect[row + 9 + k] = Math.log(grid[row + 9 + k]! / (1 - grid[row + 9 + k]!) || 1e-9);
      perfect[row + 18 + k] = Math.atanh(2 * grid[row + 18 + k]!);
    }
  }
  const r = new DrumReconstruction();
  r.add(grid, perfect, 120);
  const s = r.summary(DRUM_CLASS_NAMES) as { hit_f1: number; velocity_mae_midi: number; timing_mae_ms: number };
  assert.equal(s.hit_f1, 1);
  assert.ok(s.velocity_mae_midi < 0.01 && s.timing_mae_ms < 0.01);
  const noSnare = perfect.slice();
  for (let row = 0; row < grid.length; row += 27) noSnare[row + 1] = -10;
  const r2 = new DrumReconstruction();
  r2.add(grid, noSnare, 120);
  const s2 = r2.summary(DRUM_CLASS_NAMES) as { hit_f1: number; hit_f1_per_class: Record<string, number> };
  assert.equal(s2.hit_f1_per_class.snare, 0);
  assert.equal(s2.hit_f1_per_class.kick, 1);
  assert.ok(s2.hit_f1 < 1);
});

test('melody reconstruction: onset F1 on (step, pitch) and token accuracy', () => {
  const tokens = new Int16Array(32);
  tokens[0] = noteOnClass(60);
  tokens[8] = noteOnClass(64);
  const out = new Float32Array(32 * 91);
  for (let t = 0; t < 32; t++) out[t * 91 + tokens[t]!] = 5;
  // Wrong pitch at step 8: one missed onset and one false onset.
  out[8 * 91 + noteOnClass(64)] = 0;
  out[8 * 91 + noteOnClass(65)] = 5;
  const r = new MelodyReconstruction();
  r.add(tokens, out);
  const s = r.summary() as { onset_f1: number; token_accuracy: number };
  assert.equal(s.onset_f1, 0.5);
  assert.ok(Math.abs(s.token_accuracy - 31 / 32) < 1e-4);
});

test('path evenness: even steps give max/mean 1, one jump gives a large ratio', () => {
  assert.equal(pathEvenness([1, 1, 1, 1]).maxOverMean, 1);
  assert.equal(pathEvenness([0, 0, 0, 4]).maxOverMean, 4);
  assert.equal(pathEvenness([0, 0]).maxOverMean, 1);
  assert.deepEqual(pathEvenness([1, 3, 2, 2]).relative, [0.5, 1.5, 1, 1], 'each change over the mean');
  assert.deepEqual(pathEvenness([0, 0]).relative, [1, 1]);
});

test('evaluateModel reports every section', () => {
  const weights = randomWeights(tinyConfig('drums'), 2, 0.5);
  const windows = [0, 1, 2].map((i) => ({ grid: drumsToGrid(grooveNotes(2).filter((_, k) => k % (i + 2) !== 0)), sequence: 0, startStep: i * 32, tempoBpm: 100 }));
  const report = evaluateModel(weights, windows, { pairs: 4, samples: 5 }) as {
    reconstruction: { hit_f1: number };
    interpolation: { soft: { max_over_mean: number; neighbour_change_mean: number; profile: number[] | null } };
    statistics: { data: { hits_per_bar: number }; prior_samples: unknown };
    continuation: { pairs: number; learned_transition: number };
  };
  assert.equal(report.continuation.pairs, 2, 'windows 0→1 and 1→2 follow each other');
  assert.ok(report.reconstruction.hit_f1 >= 0 && report.reconstruction.hit_f1 <= 1);
  assert.ok(report.interpolation.soft.max_over_mean >= 1);
  const profile = report.interpolation.soft.profile!;
  assert.equal(profile.length, 10, 'one entry per neighbour step of 11 points');
  assert.ok(Math.abs(profile.reduce((a, b) => a + b, 0) / 10 - 1) < 1e-3, 'relative changes average 1 over the path');
  assert.ok(Math.max(...profile) <= report.interpolation.soft.max_over_mean + 1e-3, 'no position exceeds the mean of the paths\' max/mean');
  assert.ok(report.statistics.data.hits_per_bar > 0);
  assert.throws(() => evaluateModel(weights, windows.slice(0, 1)), /at least 2 windows/);
});
