import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { inputSize } from '../../../models/core/config.ts';
import { FastVae } from '../../../models/fast/vae.ts';
import { LatentRefiner } from '../../../models/fast/refine.ts';
import { decode, previousSteps, reconstructionLoss, variablesFromParameters } from '../../../models/training/graph.ts';
import { writeMelodyFeatures } from '../../../models/representation/features.ts';
import { seededUniform } from '../../../models/runtime/random.ts';
import { randomWeights, tinyConfig } from '../../helpers/models.ts';

/** A plausible window of model inputs: drum hits with velocities and offsets, or one-hot melody classes with velocities. */
function windowFor(kind: 'drums' | 'melody', steps: number, seed: number): Float32Array {
  const random = seededUniform(seed);
  const F = inputSize(kind);
  const x = new Float32Array(steps * F);
  if (kind === 'drums') {
    for (let t = 0; t < steps; t++) {
      for (let k = 0; k < 9; k++) {
        if (random() < 0.2) {
          x[t * F + k] = 1;
          x[t * F + 9 + k] = random();
          x[t * F + 18 + k] = random() - 0.5;
        }
      }
    }
    return x;
  }
  const tokens = Array.from({ length: steps }, () => Math.floor(random() * 90));
  writeMelodyFeatures(tokens, tokens.map(() => random()), x);
  return x;
}

const cases = [['drums', 'parallel', true], ['drums', 'autoregressive', false], ['melody', 'autoregressive', true], ['melody', 'parallel', false]] as const;

for (const [kind, decoder, simd] of cases) {
  test(`latent refinement: the hand-written gradient equals tfjs's automatic gradient of the training loss (${kind}, ${decoder} decoder, ${simd ? 'WebAssembly SIMD' : 'JavaScript'} kernels)`, async () => {
    await tf.setBackend('cpu');
    const config = tinyConfig(kind, { decoder });
    const weights = randomWeights(config, 11, 0.4);
    const refiner = new LatentRefiner(weights, { simd });
    assert.equal(refiner.kernel, simd ? 'wasm-simd' : 'js');
    const x = windowFor(kind, config.steps, 5);
    const random = seededUniform(9);
    const z = new Float32Array(config.latentSize).map(() => 2 * random() - 1);
    const lambda = 0.3;
    const loss = refiner.lossAndGradient(x, z, lambda);
    const vars = variablesFromParameters(config, weights.params);
    const F = inputSize(kind);
    const objective = (zt: tf.Tensor): tf.Scalar => {
      const target = tf.tensor3d(x, [1, config.steps, F]);
      const rec = reconstructionLoss(config, decode(vars, zt as tf.Tensor2D, config.steps, previousSteps(target)), target);
      return tf.add(rec, tf.mul(0.5 * lambda, tf.sum(tf.square(zt)))) as tf.Scalar;
    };
    const { value, grad } = tf.valueAndGrad(objective)(tf.tensor2d(z, [1, config.latentSize]));
    const refGrad = grad.dataSync();
    const refLoss = value.dataSync()[0]!;
    assert.ok(Math.abs(loss - refLoss) < 1e-3 * Math.max(1, Math.abs(refLoss)), `loss ${loss} against tfjs ${refLoss}`);
    let maxDiff = 0;
    let maxRef = 0;
    for (let k = 0; k < z.length; k++) {
      maxDiff = Math.max(maxDiff, Math.abs(refiner.gradient[k]! - refGrad[k]!));
      maxRef = Math.max(maxRef, Math.abs(refGrad[k]!));
    }
    assert.ok(maxRef > 1e-2, 'the gradient must not be trivially zero');
    assert.ok(maxDiff < 1e-3 * maxRef, `gradient differs by ${maxDiff} (largest component ${maxRef})`);
    tf.dispose([value, grad, ...Object.values(vars)]);
  });
}

test('latent refinement lowers the objective and brings the decoded window closer to its target; 0 steps returns z₀', () => {
  const config = tinyConfig('drums', { decoder: 'parallel' });
  const weights = randomWeights(config, 2, 0.5);
  const refiner = new LatentRefiner(weights);
  const fast = new FastVae(weights);
  const x = windowFor('drums', config.steps, 8);
  const z0 = fast.encode(x).mu;
  const before = refiner.lossAndGradient(x, z0, 0.1);
  const z = refiner.refine(x, z0, { steps: 30 });
  const after = refiner.lossAndGradient(x, z, 0.1);
  assert.ok(after < before - 1, `objective ${before} → ${after}`);
  assert.deepEqual(Array.from(refiner.refine(x, z0, { steps: 0 })), Array.from(z0));
  assert.notEqual(refiner.refine(x, z0, { steps: 0 }), z0, 'a copy, never the caller\'s array');
  assert.throws(() => refiner.refine(x.subarray(1), z0), /input values/);
  assert.throws(() => refiner.refine(x, z0, { steps: -1 }), /steps/);
});
