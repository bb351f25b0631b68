import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { inputSize } from '../../models/core/config.ts';
import { FastVae } from '../../models/fast/vae.ts';
import { decode, encode, variablesFromParameters } from '../../models/training/graph.ts';
import { seededUniform } from '../../models/runtime/random.ts';
import { randomWeights, tinyConfig } from './helpers.ts';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

for (const [kind, simd] of [['drums', true], ['melody', true], ['drums', false], ['melody', false]] as const) {
  test(`fast path (${simd ? 'WebAssembly SIMD' : 'JavaScript'} kernels) equals the tfjs graph (${kind}): latents and logits within 1e-4`, async () => {
    await tf.setBackend('cpu');
    const config = tinyConfig(kind);
    const weights = randomWeights(config, 7, 0.4);
    const fast = new FastVae(weights, { simd });
    assert.equal(fast.kernel, simd ? 'wasm-simd' : 'js', 'Node has WebAssembly SIMD, so the SIMD kernel must be the one tested');
    const vars = variablesFromParameters(config, weights.params);
    const random = seededUniform(3);
    const F = inputSize(kind);
    const x = new Float32Array(config.steps * F).map(() => (random() < 0.3 ? random() : 0));
    const ref = tf.tidy(() => {
      const { mu, sigma } = encode(vars, tf.tensor3d(x, [1, config.steps, F]));
      const out = decode(vars, mu, config.steps);
      return { mu: mu.dataSync().slice(), sigma: sigma.dataSync().slice(), out: out.dataSync().slice() };
    });
    const got = fast.encode(x);
    assert.ok(maxAbsDiff(got.mu, ref.mu) < 1e-4, `mu differs by ${maxAbsDiff(got.mu, ref.mu)}`);
    assert.ok(maxAbsDiff(got.sigma, ref.sigma) < 1e-4, `sigma differs by ${maxAbsDiff(got.sigma, ref.sigma)}`);
    const out = fast.decode(got.mu);
    assert.ok(maxAbsDiff(out, ref.out) < 1e-4, `logits differ by ${maxAbsDiff(out, ref.out)}`);
    // The comparison must be able to fail: a perturbed weight changes the output.
    weights.params.dec_uh![0]! += 0.5;
    assert.ok(maxAbsDiff(new FastVae(weights, { simd }).decode(got.mu), ref.out) > 1e-3);
    tf.dispose(Object.values(vars));
  });
}
