import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { build } from 'esbuild';
import { serializeWeights } from '../../../models/core/weights.ts';
import { createRuntime, loadModel } from '../../../models/runtime/index.ts';
import { grooveNotes, phraseOf, randomWeights, scaleNotes, tinyConfig } from '../../helpers/models.ts';

const drumsWeights = randomWeights(tinyConfig('drums'), 11, 0.6);
const melodyWeights = randomWeights(tinyConfig('melody'), 12, 0.6);

test('runtime operations have the right shapes (drums and melody)', () => {
  for (const [weights, notes] of [
    [drumsWeights, grooveNotes(2)],
    [melodyWeights, scaleNotes(2)],
  ] as const) {
    const model = createRuntime(weights);
    const phrase = phraseOf([...notes], 8, 110);
    const z = model.encode(phrase);
    assert.ok(z instanceof Float32Array);
    assert.equal(z.length, 8);
    const decoded = model.decode(z);
    assert.equal(decoded.lengthBeats, 8);
    assert.equal(decoded.beatsPerBar, 4);
    for (const n of decoded.notes) {
      assert.ok(n.startBeats >= 0 && n.startBeats < 8.5 && n.durationBeats > 0);
      assert.ok(n.velocity >= 1 && n.velocity <= 127 && Number.isInteger(n.velocity));
    }
    assert.equal(model.interpolate(z, z, 0.3).length, 8);
    assert.equal(model.sample({ seed: 1 }).z.length, 8);
    assert.equal(model.similar(z, 0.5, { seed: 1 }).z.length, 8);
    const next = model.continue(phraseOf([...notes], 16, 110));
    assert.equal(next.z.length, 8);
    assert.equal(next.phrase.tempoBpm, 110);
    model.dispose();
  }
});

test('interpolate is the straight line between latents', () => {
  const model = createRuntime(drumsWeights);
  const a = Float32Array.from({ length: 8 }, (_, i) => i);
  const b = Float32Array.from({ length: 8 }, (_, i) => 1 - i);
  assert.deepEqual(model.interpolate(a, b, 0), a);
  assert.deepEqual(model.interpolate(a, b, 1), b);
  assert.deepEqual([...model.interpolate(a, b, 0.5)], new Array(8).fill(0.5));
});

test('same seed, same result; different seeds differ; decode at temperature 0 is deterministic', () => {
  const model = createRuntime(melodyWeights);
  const a = model.sample({ seed: 42, temperature: 1 });
  const b = model.sample({ seed: 42, temperature: 1 });
  assert.deepEqual(a, b);
  const c = model.sample({ seed: 43, temperature: 1 });
  assert.notDeepEqual(a.z, c.z);
  assert.deepEqual(model.decode(a.z), model.decode(a.z));
  // Two runtimes with the same seed produce the same stream.
  const r1 = createRuntime(melodyWeights, { seed: 9 });
  const r2 = createRuntime(melodyWeights, { seed: 9 });
  assert.deepEqual([r1.sample().z, r1.sample().z], [r2.sample().z, r2.sample().z]);
});

test('bad inputs are rejected with clear errors; dispose is idempotent', () => {
  const model = createRuntime(drumsWeights);
  assert.throws(() => model.decode(new Float32Array(3)), /latent of 8 values, got 3/);
  assert.throws(() => model.similar(new Float32Array(8), -1), /variation must be/);
  assert.throws(() => model.decode(new Float32Array(8), { temperature: -1 }), /temperature/);
  model.dispose();
  model.dispose();
  assert.throws(() => model.decode(new Float32Array(8)), /after dispose/);
});

test('loadModel reads weights from bytes and from a base URL with fetch', async () => {
  const { manifest, bin } = serializeWeights(drumsWeights);
  const fromBytes = await loadModel({ manifest, weights: bin });
  const z = fromBytes.encode(phraseOf(grooveNotes(2)));
  const requested: string[] = [];
  const fakeFetch = (async (url: string) => {
    requested.push(url);
    if (url.endsWith('model.json')) return new Response(JSON.stringify(manifest));
    if (url.endsWith('weights.bin')) return new Response(bin.slice().buffer);
    return new Response('missing', { status: 404, statusText: 'Not Found' });
  }) as typeof fetch;
  const fromUrl = await loadModel({ name: 'drums', baseUrl: 'https://example.test/plugin/weights' }, { fetch: fakeFetch });
  assert.deepEqual(requested.sort(), ['https://example.test/plugin/weights/drums/model.json', 'https://example.test/plugin/weights/drums/weights.bin']);
  assert.deepEqual(fromUrl.encode(phraseOf(grooveNotes(2))), z);
  await assert.rejects(loadModel({ url: 'https://example.test/nowhere/' }, { fetch: (async () => new Response('x', { status: 404, statusText: 'Not Found' })) as typeof fetch }), /404/);
  await assert.rejects(loadModel({ manifest: { format: 'other' }, weights: bin }), /format/);
});

test('tensor memory stays flat over 1,000 calls (the runtime holds no tensors)', () => {
  const model = createRuntime(drumsWeights);
  const phrase = phraseOf(grooveNotes(2));
  model.decode(model.encode(phrase));
  const before = tf.memory().numTensors;
  for (let i = 0; i < 1000; i++) {
    const z = model.encode(phrase);
    model.decode(model.similar(z, 0.2, { seed: i }).z);
  }
  assert.equal(tf.memory().numTensors, before);
  model.dispose();
});

test('the runtime bundle contains neither tfjs nor training code', async () => {
  const result = await build({ entryPoints: ['models/runtime/index.ts'], bundle: true, write: false, format: 'esm', platform: 'browser', metafile: true });
  const inputs = Object.keys(result.metafile.inputs);
  assert.ok(inputs.some((p) => p.includes('models/fast/vae.ts')));
  assert.ok(!inputs.some((p) => p.includes('@tensorflow') || p.includes('models/training/')), inputs.join('\n'));
});

test('encode refines the posterior mean: the shipped models reproduce a phrase better from it; refineSteps 0 gives the mean', async () => {
  const { loadModelFromDir } = await import('../../../models/runtime/node.ts');
  const { resolveModelDir } = await import('../../../models/training/files.ts');
  const cells = (notes: readonly { pitch: number; startBeats: number }[]): Set<string> => new Set(notes.map((n) => `${n.pitch}@${Math.round(n.startBeats * 4)}`));
  const f1 = (truth: Set<string>, guess: Set<string>): number => {
    const tp = [...guess].filter((c) => truth.has(c)).length;
    return (2 * tp) / Math.max(1, truth.size + guess.size);
  };
  // A groove with a tom fill (the shipped drum model gets the plain groove right from the mean already) and a scale, unlike a chorale.
  const fill = [6.75, 7, 7.25, 7.5].map((startBeats, i) => ({ pitch: [50, 48, 45, 43][i]!, velocity: 90, startBeats, durationBeats: 0.125 }));
  const groove = [...grooveNotes(2).filter((n) => n.startBeats < 6.75 || n.pitch === 42), ...fill].sort((a, b) => a.startBeats - b.startBeats);
  for (const [name, notes] of [['drums', groove], ['melody', scaleNotes(2)]] as const) {
    const model = await loadModelFromDir(resolveModelDir(name));
    const phrase = phraseOf(notes);
    const truth = cells(phrase.notes);
    const mean = model.encode(phrase, { refineSteps: 0 });
    const refined = model.encode(phrase);
    assert.notDeepEqual(Array.from(refined), Array.from(mean), `${name}: refinement moved nothing`);
    assert.deepEqual(model.encode(phrase), refined, `${name}: refinement is deterministic`);
    const fromMean = f1(truth, cells(model.decode(mean).notes));
    const fromRefined = f1(truth, cells(model.decode(refined).notes));
    assert.ok(fromRefined > fromMean, `${name}: F1 ${fromMean} from the mean, ${fromRefined} refined`);
    assert.throws(() => model.encode(phrase, { refineSteps: -2 }), /steps/);
    model.dispose();
  }
});

test('one seeded generator: the training stream is the runtime stream, and its saved state continues it', async () => {
  const { SeededRandom, seededUniform } = await import('../../../models/runtime/random.ts');
  const uniform = seededUniform(42);
  const random = new SeededRandom(42);
  const a = Array.from({ length: 5 }, () => random.next());
  assert.deepEqual(a, Array.from({ length: 5 }, () => uniform()));
  const saved = random.seedState;
  const next = [random.next(), random.int(3, 7), random.normal()];
  const again = new SeededRandom(0);
  again.seedState = saved;
  assert.deepEqual([again.next(), again.int(3, 7), again.normal()], next);
  const { readdirSync, readFileSync } = await import('node:fs');
  const copies = (readdirSync(new URL('../../../models/', import.meta.url), { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts'))
    .filter((f) => readFileSync(new URL(`../../../models/${f}`, import.meta.url), 'utf8').includes('0x6d2b79f5'));
  assert.deepEqual(copies.map((f) => f.replace(/\\/g, '/')), ['runtime/random.ts'], 'mulberry32 lives in one file');
});
