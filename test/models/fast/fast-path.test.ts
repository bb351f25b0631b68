import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { inputSize } from '../../../models/core/config.ts';
import { FastVae } from '../../../models/fast/vae.ts';
import { decode, encode, previousSteps, variablesFromParameters } from '../../../models/training/graph.ts';
import { DRUM_CLASSES } from '../../../models/representation/drums.ts';
import { seededUniform } from '../../../models/runtime/random.ts';
import { randomWeights, tinyConfig } from '../../helpers/models.ts';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

const cases = [
  ['drums', true, 'autoregressive'], ['melody', true, 'autoregressive'], ['drums', false, 'autoregressive'], ['melody', false, 'autoregressive'],
  ['drums', true, 'parallel'], ['melody', false, 'parallel'],
] as const;

for (const [kind, simd, decoder] of cases) {
  test(`fast path (${simd ? 'WebAssembly SIMD' : 'JavaScript'} kernels) equals the tfjs graph (${kind}, ${decoder} decoder): latents and logits within 1e-4`, async () => {
    await tf.setBackend('cpu');
    const config = tinyConfig(kind, { decoder });
    const weights = randomWeights(config, 7, 0.4);
    const fast = new FastVae(weights, { simd });
    assert.equal(fast.kernel, simd ? 'wasm-simd' : 'js', 'Node has WebAssembly SIMD, so the SIMD kernel must be the one tested');
    assert.equal(fast.autoregressive, decoder === 'autoregressive');
    const vars = variablesFromParameters(config, weights.params);
    const random = seededUniform(3);
    const F = inputSize(kind);
    const x = new Float32Array(config.steps * F).map(() => (random() < 0.3 ? random() : 0));
    const got = fast.encode(x);
    // Greedy decoding: the graph, fed the events the fast path chose, must give the fast path's logits.
    const events = new Float32Array(config.steps * F);
    const out = fast.decode(got.mu, undefined, { events });
    const teacherForced = fast.decode(got.mu, undefined, { teacher: x });
    const ref = tf.tidy(() => {
      const { mu, sigma } = encode(vars, tf.tensor3d(x, [1, config.steps, F]));
      const own = decode(vars, mu, config.steps, previousSteps(tf.tensor3d(events, [1, config.steps, F])));
      const forced = decode(vars, mu, config.steps, previousSteps(tf.tensor3d(x, [1, config.steps, F])));
      return { mu: mu.dataSync().slice(), sigma: sigma.dataSync().slice(), out: own.dataSync().slice(), forced: forced.dataSync().slice() };
    });
    assert.ok(maxAbsDiff(got.mu, ref.mu) < 1e-4, `mu differs by ${maxAbsDiff(got.mu, ref.mu)}`);
    assert.ok(maxAbsDiff(got.sigma, ref.sigma) < 1e-4, `sigma differs by ${maxAbsDiff(got.sigma, ref.sigma)}`);
    assert.ok(maxAbsDiff(out, ref.out) < 1e-4, `logits differ by ${maxAbsDiff(out, ref.out)}`);
    assert.ok(maxAbsDiff(teacherForced, ref.forced) < 1e-4, `teacher-forced logits differ by ${maxAbsDiff(teacherForced, ref.forced)}`);
    // The comparison must be able to fail: a perturbed weight changes the output.
    weights.params.dec_uh![0]! += 0.5;
    assert.ok(maxAbsDiff(new FastVae(weights, { simd }).decode(got.mu), ref.out) > 1e-3);
    tf.dispose(Object.values(vars));
  });
}

test('an autoregressive decoder reads back the events it chose; a parallel one does not', () => {
  for (const decoder of ['autoregressive', 'parallel'] as const) {
    const weights = randomWeights(tinyConfig('drums', { decoder }), 5, 0.5);
    const fast = new FastVae(weights);
    const z = new Float32Array(weights.config.latentSize).fill(0.3);
    const F = inputSize('drums');
    const greedyEvents = new Float32Array(weights.config.steps * F);
    const greedy = fast.decode(z, undefined, { events: greedyEvents }).slice();
    // Greedy choices are the thresholded logits, velocity and offset only on hits.
    for (let t = 0; t < weights.config.steps; t++) {
      for (let k = 0; k < DRUM_CLASSES; k++) {
        const hit = greedy[t * F + k]! >= 0;
        assert.equal(greedyEvents[t * F + k], hit ? 1 : 0);
        if (!hit) assert.equal(greedyEvents[t * F + DRUM_CLASSES + k], 0);
      }
    }
    // A chooser that hits everything: only the autoregressive decoder's later logits move.
    const allHits = fast.decode(z, undefined, { choose: (_o, _oo, ev, eo) => ev.fill(1, eo, eo + F) });
    assert.deepEqual(allHits.subarray(0, F), greedy.subarray(0, F), 'the first step reads no events');
    const moved = maxAbsDiff(allHits, greedy);
    if (decoder === 'autoregressive') assert.ok(moved > 1e-3, `later steps should follow the choices (moved ${moved})`);
    else assert.equal(moved, 0);
  }
});

test('decode rejects buffers of the wrong length', () => {
  const fast = new FastVae(randomWeights(tinyConfig('melody'), 2));
  const z = new Float32Array(fast.config.latentSize);
  assert.throws(() => fast.decode(z, undefined, { teacher: new Float32Array(5) }), /teacher must hold 32 × 91/);
  assert.throws(() => fast.decode(z, undefined, { events: new Float32Array(5) }), /events must hold/);
});
