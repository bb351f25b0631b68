import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { run as train } from '../../../cli/train.ts';
import { defaultConfig, validateConfig } from '../../../models/core/config.ts';
import { loadWindows } from '../../../models/training/data.ts';
import { defaultCheckpointDir, readModelDir, weightsFromCheckpoint } from '../../../models/training/files.ts';
import { chordPlan, chordSpeeds, flatDirections, flatLoss, flatPlan } from '../../../models/training/flat.ts';
import { matMul } from '../../../models/training/graph.ts';
import { buildManifest } from '../../../models/training/manifest.ts';
import { defaultTrainOptions, type FlatContext, type TrainOptions } from '../../../models/training/options.ts';
import { ridgeRegression } from '../../../models/training/ridge.ts';
import { Trainer, type StepLosses } from '../../../models/training/trainer.ts';
import { writeFixtures } from './fixtures.ts';
import { tinyConfig } from '../../helpers/models.ts';

const dir = mkdtempSync(join(tmpdir(), 'di-train-'));
const fx = writeFixtures(dir);
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

test('training steps reduce the loss on a tiny fixture (flat regulariser on)', async () => {
  await tf.setBackend('cpu');
  const data = loadWindows('drums', fx.drumsDir);
  const trainer = new Trainer(tinyConfig('drums'), defaultTrainOptions({ steps: 40, batchSize: 8, flatBatch: 4, learningRate: 1e-2 }), data);
  try {
    const first = trainer.step();
    assert.ok(Number.isFinite(first.flat) && first.flat > 0, 'the flat term is computed');
    let last = first;
    for (let i = 0; i < 30; i++) last = trainer.step();
    assert.ok(last.reconstruction < first.reconstruction * 0.7, `reconstruction ${first.reconstruction} -> ${last.reconstruction}`);
  } finally {
    trainer.dispose();
  }
});

test('a resumed checkpoint continues exactly like an uninterrupted run', async () => {
  await tf.setBackend('cpu');
  const data = loadWindows('melody', fx.jsbFile);
  const options = defaultTrainOptions({ steps: 10, batchSize: 4, flatBatch: 2, seed: 5 });
  const a = new Trainer(tinyConfig('melody'), options, data);
  const b = new Trainer(tinyConfig('melody'), options, data);
  try {
    a.step();
    a.step();
    const saved = await a.checkpoint();
    const expected = [a.step().total, a.step().total];
    await b.restore(saved.json, saved.bin);
    assert.equal(b.state.step, 2);
    const got = [b.step().total, b.step().total];
    for (let i = 0; i < 2; i++) assert.ok(Math.abs(got[i]! - expected[i]!) < 1e-4, `step ${i + 3}: ${got[i]} vs ${expected[i]}`);
  } finally {
    a.dispose();
    b.dispose();
  }
});

test('the plain VAE (flat weight 0) has no flat term', async () => {
  await tf.setBackend('cpu');
  const trainer = new Trainer(tinyConfig('drums', { flat: false }), defaultTrainOptions({ batchSize: 4, flatWeight: 0 }), loadWindows('drums', fx.drumsDir));
  try {
    assert.equal(trainer.step().flat, 0);
  } finally {
    trainer.dispose();
  }
});

test('word dropout: with every teacher-forced input blanked the decoder learns nothing from the events (dec_wx stays put)', async () => {
  await tf.setBackend('cpu');
  const data = loadWindows('melody', fx.jsbFile);
  const moved = (inputDropout: number): number => {
    const trainer = new Trainer(tinyConfig('melody'), defaultTrainOptions({ batchSize: 4, flatBatch: 2, inputDropout }), data);
    try {
      const before = Float32Array.from(trainer.vars.dec_wx!.dataSync());
      const losses = trainer.step();
      assert.ok(Number.isFinite(losses.total), `finite loss with input dropout ${inputDropout}`);
      const after = Float32Array.from(trainer.vars.dec_wx!.dataSync());
      return before.reduce((m, v, i) => Math.max(m, Math.abs(v - after[i]!)), 0);
    } finally {
      trainer.dispose();
    }
  };
  assert.equal(moved(1), 0, 'all inputs blanked: no gradient reaches dec_wx');
  assert.ok(moved(0) > 0, 'no dropout: dec_wx is trained');
  assert.ok(moved(0.5) > 0, 'half dropped: dec_wx is still trained');
});

test('flat directions: the first rows follow their own interpolation (unit length), the rest are the random ones', async () => {
  await tf.setBackend('cpu');
  const a = tf.tensor2d([3, 4, 0, 1, 1, 1, 5, 5, 5], [3, 3]);
  const b = tf.tensor2d([0, 0, 0, 1, 1, 0, 5, 5, 5], [3, 3]);
  const random = Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  const two = flatDirections(a, b, random, 2).arraySync();
  assert.deepEqual(two[0]!.map((v) => Math.round(v * 1000) / 1000), [0.6, 0.8, 0]);
  assert.deepEqual(two[1]!.map((v) => Math.round(v * 1000) / 1000), [0, 0, 1]);
  assert.deepEqual(two[2], [0, 0, 1], 'the third row keeps its random direction');
  assert.deepEqual(flatDirections(a, b, random, 0).arraySync(), [[1, 0, 0], [0, 1, 0], [0, 0, 1]], 'share 0: all random');
  const data = loadWindows('melody', fx.jsbFile);
  const trainer = new Trainer(tinyConfig('melody'), defaultTrainOptions({ batchSize: 4, flatBatch: 2, flatPathShare: 1 }), data);
  try {
    const losses = trainer.step();
    assert.ok(Number.isFinite(losses.flat) && losses.flat >= 0, 'a finite flat penalty along the paths');
  } finally {
    trainer.dispose();
  }
});

test('flat plan: one pair per row (row m mixes windows m and m + 1), the draws as α, a share of the rows along their path', () => {
  const draws = Float32Array.from([0.5, 0.9, 0.1, 0.2, 0.3, 0.4, 0.6, 0.7]);
  const plan = flatPlan(8, 0.5, draws);
  assert.deepEqual([...plan.first], [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual([...plan.second], [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual([...plan.alpha], [...draws]);
  assert.equal(plan.pathRows, 4);
  assert.equal(flatPlan(8, 0, draws).pathRows, 0);
});

test('flat loss: the squared coefficient of variation over all rows; with a group layout, its mean within the groups', async () => {
  await tf.setBackend('cpu');
  const cv2 = (x: number[]): number => {
    const c = x.reduce((s, v) => s + v, 0) / x.length;
    return x.reduce((s, v) => s + (v - c) ** 2, 0) / x.length / (c * c + 1e-6);
  };
  const q = [1, 3, 2, 2, 5, 1];
  const close = (a: number, b: number): void => assert.ok(Math.abs(a - b) < 1e-5, `${a} vs ${b}`);
  close(flatLoss(tf.tensor1d(q)).dataSync()[0]!, cv2(q));
  close(flatLoss(tf.tensor1d(q), { groups: 3, size: 2 }).dataSync()[0]!, (cv2([1, 3]) + cv2([2, 2]) + cv2([5, 1])) / 3);
  assert.equal(flatLoss(tf.tensor1d([2, 2, 4, 4]), { groups: 2, size: 2 }).dataSync()[0], 0, 'even speed along each path costs nothing, whatever the paths\' speeds');
});

test('chord plan: N + 1 evenly spaced points from each first end (α = 1) to its second (α = 0), in the decoder rows of the finite-difference form', () => {
  const plan = chordPlan(4, 2);
  assert.equal(plan.groups, 2, '2 · 4 decoder rows hold 2 groups of 3 points');
  assert.deepEqual([...plan.first], [0, 0, 0, 1, 1, 1]);
  assert.deepEqual([...plan.second], [1, 1, 1, 2, 2, 2]);
  assert.deepEqual([...plan.alpha], [1, 0.5, 0, 1, 0.5, 0]);
  assert.throws(() => chordPlan(4, 1), /integer ≥ 2/);
  assert.throws(() => chordPlan(4, 2.5), /integer ≥ 2/);
  assert.throws(() => chordPlan(4, 10), /need 11 decoder rows/);
});

test('chord speeds: the squared change between neighbouring points of each group, laid out for the grouped flat loss', async () => {
  await tf.setBackend('cpu');
  const plan = chordPlan(4, 2);
  // Two groups of three 2-dimensional "distributions".
  const probs = tf.tensor2d([0, 0, 1, 0, 3, 0, 0, 0, 0, 2, 0, 4], [6, 2]);
  const { q, layout } = chordSpeeds(probs, plan);
  assert.deepEqual([...q.dataSync()], [1, 4, 4, 4]);
  assert.deepEqual(layout, { groups: 2, size: 2 });
  const loss = flatLoss(q, layout).dataSync()[0]!;
  assert.ok(Math.abs(loss - (0.36 + 0) / 2) < 1e-5, `uneven first path (cv² 0.36), even second: ${loss}`);
});

test("flat context (--flat-context): with word dropout the flat rows read the clean window or the dropped one; without, the two agree", async () => {
  await tf.setBackend('cpu');
  const data = loadWindows('melody', fx.jsbFile);
  const first = (flatContext: FlatContext, inputDropout: number): StepLosses => firstStepLosses(data, { flatChords: 2, flatContext, inputDropout });
  const clean = first('clean', 0.5);
  const dropped = first('dropped', 0.5);
  assert.notEqual(clean.flat, dropped.flat, 'another context, another flat penalty');
  assert.equal(clean.reconstruction, dropped.reconstruction, 'the reconstruction still reads the dropped inputs, from the same draws');
  assert.equal(first('clean', 0).flat, first('dropped', 0).flat, 'without word dropout the contexts are the same');
});

/** The losses of a fresh tiny melody trainer's first step (batch 5, 4 mixup rows along their paths). */
function firstStepLosses(data: ReturnType<typeof loadWindows>, overrides: Partial<TrainOptions>): StepLosses {
  const trainer = new Trainer(tinyConfig('melody'), defaultTrainOptions({ batchSize: 5, flatBatch: 4, flatPathShare: 1, ...overrides }), data);
  try {
    return trainer.step();
  } finally {
    trainer.dispose();
  }
}

/** The flat penalty of {@link firstStepLosses}. */
function firstFlatPenalty(data: ReturnType<typeof loadWindows>, overrides: Partial<TrainOptions>): number {
  return firstStepLosses(data, overrides).flat;
}

test('the chord form (--flat-chords) trains and differs from the finite difference', () => {
  const data = loadWindows('melody', fx.jsbFile);
  const firstStep = (flatChords: number): number => firstFlatPenalty(data, { flatChords });
  const chords = firstStep(2);
  assert.ok(Number.isFinite(chords) && chords >= 0, 'a finite chord penalty');
  assert.notEqual(chords, firstStep(0), 'another criterion than the ε finite difference');
  assert.equal(firstStep(2), chords, 'reproducible under the same seed');
  assert.throws(() => new Trainer(tinyConfig('melody'), defaultTrainOptions({ batchSize: 5, flatBatch: 4, flatChords: 9 }), data), /need 10 decoder rows/);
});

test('the manifest command replays a run stopped early with --stop-step, and a full run without it', () => {
  const weights = mkdtempSync(join(tmpdir(), 'di-manifest-'));
  try {
    const write = (name: string, steps: number, requested: number): void => {
      mkdirSync(join(weights, name));
      const training = { steps, options: defaultTrainOptions({ steps: requested, inputDropout: 0.3 }) };
      writeFileSync(join(weights, name, 'model.json'), JSON.stringify({ config: defaultConfig('melody'), training }));
      writeFileSync(join(weights, name, 'weights.bin'), new Uint8Array(4));
    };
    write('melody', 4111, 4200);
    write('melody-plain', 5000, 5000);
    const commands = Object.fromEntries(buildManifest(weights).models.map((m) => [m.name, m.training.command as string]));
    assert.match(commands.melody!, /--steps 4200 .*--input-dropout 0\.3 --stop-step 4111$/);
    assert.doesNotMatch(commands['melody-plain']!, /--stop-step/);
  } finally {
    rmSync(weights, { recursive: true, force: true });
  }
});

test('the transpose-first matMul has the same value and gradients as tf.matMul', async () => {
  await tf.setBackend('cpu');
  const a = tf.tensor2d([1, -2, 0.5, 3, 0.25, -1], [2, 3]);
  const b = tf.tensor2d([0.2, -0.7, 1.5, 0.3, -1.1, 0.9, 2, 0.4, -0.6, 0.8, 0.1, -0.3], [3, 4]);
  const loss = (mm: (x: tf.Tensor2D, y: tf.Tensor2D) => tf.Tensor2D) => (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(mm(x as tf.Tensor2D, y as tf.Tensor2D)));
  const [ga, gb] = tf.grads(loss(matMul))([a, b]);
  const [ra, rb] = tf.grads(loss((x, y) => tf.matMul(x, y)))([a, b]);
  assert.deepEqual(Array.from(matMul(a, b).dataSync()), Array.from(tf.matMul(a, b).dataSync()));
  for (const [got, want] of [[ga!, ra!], [gb!, rb!]]) {
    const d = got.dataSync().map((v, i) => Math.abs(v - want.dataSync()[i]!));
    assert.ok(Math.max(...d) < 1e-5);
  }
});

test('ridge regression recovers a linear map', () => {
  const W = [
    [0.5, -1],
    [2, 0.25],
  ];
  const xs: Float32Array[] = [];
  const ys: Float32Array[] = [];
  for (let i = 0; i < 50; i++) {
    const x = Float32Array.of(Math.sin(i), Math.cos(3 * i));
    xs.push(x);
    ys.push(Float32Array.of(x[0]! * W[0]![0]! + x[1]! * W[1]![0]! + 1, x[0]! * W[0]![1]! + x[1]! * W[1]![1]! - 2));
  }
  const { w, b } = ridgeRegression(xs, ys, 1e-6);
  assert.ok(Math.abs(w[0]! - 0.5) < 1e-3 && Math.abs(w[1]! + 1) < 1e-3 && Math.abs(w[2]! - 2) < 1e-3);
  assert.ok(Math.abs(b[0]! - 1) < 1e-3 && Math.abs(b[1]! + 2) < 1e-3);
});

test('`deep-improv train` writes a model and a checkpoint, and resumes from it', async () => {
  const out = join(dir, 'model');
  const ckpt = join(dir, 'ckpt');
  const common = ['--kind', 'drums', '--data', fx.drumsDir, '--out', out, '--checkpoint', ckpt, '--batch', '4', '--latent', '4', '--enc-units', '8', '--dec-units', '8', '--quiet'];
  assert.equal(await train([...common, '--steps', '2']), 0);
  assert.ok(existsSync(join(ckpt, 'checkpoint.json')));
  assert.equal(readModelDir(out).training?.steps, 2);
  assert.equal(await train([...common, '--steps', '3']), 0);
  const info = JSON.parse(readFileSync(join(out, 'training.json'), 'utf8')) as { steps: number };
  assert.equal(info.steps, 3, 'resumed at step 2 and ran one more');
  const fromCheckpoint = weightsFromCheckpoint(ckpt);
  assert.deepEqual(fromCheckpoint.params.dec_uh, readModelDir(out).params.dec_uh);
  // A checkpoint already at --stop-step is exported as it stands, on the longer run's schedule.
  assert.equal(await train([...common, '--steps', '5', '--stop-step', '3']), 0);
  const exported = JSON.parse(readFileSync(join(out, 'training.json'), 'utf8')) as { steps: number; requestedSteps: number; stoppedEarly: boolean };
  assert.deepEqual([exported.steps, exported.requestedSteps, exported.stoppedEarly], [3, 5, true]);
  assert.deepEqual(readModelDir(out).params.dec_uh, fromCheckpoint.params.dec_uh);
  await assert.rejects(train(['--kind', 'piano', '--data', fx.drumsDir, '--out', out]), /--kind must be/);
});

test('`deep-improv train` refuses to resume a checkpoint of another run (other data, other options) unless --fresh', async () => {
  // Two runs whose --out folders share their last name, and one checkpoint folder between them.
  const ckpt = join(dir, 'shared-ckpt');
  const sizes = ['--batch', '4', '--latent', '4', '--enc-units', '8', '--dec-units', '8', '--quiet', '--checkpoint', ckpt];
  const first = ['--kind', 'drums', '--data', fx.drumsDir, '--out', join(dir, 'a', 'model'), ...sizes];
  const second = ['--kind', 'drums', '--data', fx.grooveDir, '--out', join(dir, 'b', 'model'), ...sizes];
  assert.equal(await train([...first, '--steps', '2']), 0);
  await assert.rejects(train([...second, '--steps', '3']), /cannot resume from .*shared-ckpt: the checkpoint belongs to another run: the data differ .*pass --fresh/);
  await assert.rejects(train([...first, '--steps', '3', '--lr', '0.01']), /the checkpoint belongs to another run: option learningRate is 0\.002, this run 0\.01/);
  // The same run resumes (a longer --steps extends it); --fresh starts the other one over.
  assert.equal(await train([...first, '--steps', '3']), 0);
  assert.equal(readModelDir(join(dir, 'a', 'model')).training?.steps, 3);
  assert.equal(await train([...second, '--steps', '1', '--fresh']), 0);
  assert.equal(readModelDir(join(dir, 'b', 'model')).training?.steps, 1);
  // A checkpoint that records no run is refused too.
  const json = JSON.parse(readFileSync(join(ckpt, 'checkpoint.json'), 'utf8')) as Record<string, unknown>;
  delete json.run;
  writeFileSync(join(ckpt, 'checkpoint.json'), JSON.stringify(json));
  await assert.rejects(train([...second, '--steps', '2']), /does not record which run it belongs to/);
  // Without --checkpoint, output folders with the same name get their own checkpoint folders.
  assert.notEqual(defaultCheckpointDir(join(dir, 'a', 'model')), defaultCheckpointDir(join(dir, 'b', 'model')));
  assert.match(defaultCheckpointDir(join(dir, 'a', 'model')), /model-[0-9a-f]{8}$/);
});

test('the data fingerprint follows the files read, not where the folder lies', () => {
  const a = loadWindows('drums', fx.drumsDir);
  assert.equal(loadWindows('drums', fx.drumsDir).fingerprint, a.fingerprint);
  assert.notEqual(loadWindows('drums', fx.grooveDir).fingerprint, a.fingerprint);
  assert.notEqual(loadWindows('melody', fx.jsbFile).fingerprint, loadWindows('melody', fx.jsbFile, { split: 'valid' }).fingerprint);
});

test('`deep-improv train --flat-batch` sets the mixup latents per step and refuses a count that is no integer or does not fit the batch', async () => {
  const out = join(dir, 'flat-batch');
  const common = ['--kind', 'drums', '--data', fx.drumsDir, '--out', out, '--checkpoint', join(dir, 'flat-batch-ckpt'), '--fresh', '--steps', '1', '--batch', '6', '--latent', '4', '--enc-units', '8', '--dec-units', '8', '--quiet'];
  assert.equal(await train([...common, '--flat-batch', '5']), 0);
  const info = JSON.parse(readFileSync(join(out, 'training.json'), 'utf8')) as { options: { flatBatch: number } };
  assert.equal(info.options.flatBatch, 5);
  await assert.rejects(train([...common, '--flat-batch', '0']), /--flat-batch/);
  await assert.rejects(train([...common, '--flat-batch', '2.5']), /--flat-batch/);
  await assert.rejects(train([...common, '--flat-batch', '6']), /--flat-batch must be an integer in 1…5, got '6'/);
});

test('a checkpoint of one decoder kind is not restored into the other', async () => {
  await tf.setBackend('cpu');
  const data = loadWindows('melody', fx.jsbFile);
  const options = defaultTrainOptions({ steps: 4, batchSize: 4, flatBatch: 2 });
  const parallel = new Trainer(tinyConfig('melody', { decoder: 'parallel' }), options, data);
  const autoregressive = new Trainer(tinyConfig('melody'), options, data);
  try {
    const saved = await parallel.checkpoint();
    await assert.rejects(autoregressive.restore(saved.json, saved.bin), /decoder=parallel, this run wants autoregressive/);
  } finally {
    parallel.dispose();
    autoregressive.dispose();
  }
});

test('model files written before the decoder choice load as parallel decoders; a bad decoder name is refused', () => {
  const { decoder: _omitted, ...legacy } = tinyConfig('drums');
  assert.equal(validateConfig(legacy).decoder, 'parallel');
  assert.equal(validateConfig(tinyConfig('drums')).decoder, 'autoregressive');
  assert.throws(() => validateConfig({ ...legacy, decoder: 'transformer' }), /config.decoder must be 'autoregressive' or 'parallel'/);
});
