/**
 * The worker serves the model operations (encode, decode, interpolate,
 * sample, similar, continue) on the shipped models, from the built plugin in
 * Chromium; bad input gets a clear error.
 * Needs `npm run build` (npm test runs it first).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startHostFixture, type HostFixture } from '../helpers/host-fixture.ts';

let fx: HostFixture;

before(async () => {
  fx = await startHostFixture();
});

after(async () => {
  await fx?.close();
});

test('the worker serves encode, decode, interpolate, sample, similar and continue for both models', async () => {
  const page = await fx.hostPage();
  const r = await page.evaluate(async (url) => {
    const w = window as any;
    const ctx = new AudioContext();
    const [groupId] = await w.initializeWamHost(ctx);
    const { default: Plugin } = await import(url);
    const node = (await Plugin.createInstance(groupId, ctx)).audioNode;
    const out: Record<string, unknown> = { status: await node.workerStatus() };
    for (const [model, pitches] of [['melody', [60, 62, 64, 65, 67, 69, 71, 72]], ['drums', [36, 42, 38, 42, 36, 42, 38, 42]]] as const) {
      const phrase = { source: 'file', lengthBeats: 8, tempoBpm: 120, beatsPerBar: 4, notes: pitches.map((pitch, i) => ({ pitch, velocity: 100, startBeats: i, durationBeats: 0.5 })) };
      const z = await node.model({ op: 'encode', model, phrase });
      const decoded = await node.model({ op: 'decode', model, latent: z });
      const a = await node.model({ op: 'sample', model, seed: 7 });
      const b = await node.model({ op: 'sample', model, seed: 7 });
      const mid = await node.model({ op: 'interpolate', model, from: z, to: a.latent, t: 0 });
      const same = await node.model({ op: 'similar', model, latent: z, variation: 0, seed: 1 });
      const next = await node.model({ op: 'continue', model, phrase, seed: 1 });
      out[model] = {
        latentSize: z.length, finite: z.every(Number.isFinite), decodedNotes: decoded.notes.length,
        seeded: JSON.stringify(a) === JSON.stringify(b), interpolateStart: JSON.stringify(mid) === JSON.stringify(z),
        similarZero: JSON.stringify(same.latent) === JSON.stringify(z), continued: Array.isArray(next.phrase.notes),
      };
    }
    try { await node.model({ op: 'decode', model: 'melody', latent: [1, 2, 3] }); out.badLatent = 'accepted'; } catch (e) { out.badLatent = (e as Error).message; }
    try { await node.model({ op: 'encode', model: 'tuba', phrase: {} }); out.badModel = 'accepted'; } catch (e) { out.badModel = (e as Error).message; }
    node.destroy();
    return out;
  }, fx.pluginUrl);
  await page.close();
  assert.deepEqual((r.status as any).models.sort(), ['drums', 'melody']);
  for (const model of ['melody', 'drums']) {
    const m = r[model] as any;
    assert.ok(m.latentSize >= 8 && m.finite, `${model}: a finite latent`);
    assert.equal(m.seeded, true, `${model}: a seed replays`);
    assert.equal(m.interpolateStart, true, `${model}: t = 0 is the start`);
    assert.equal(m.similarZero, true, `${model}: variation 0 keeps the latent`);
    assert.equal(m.continued, true);
  }
  assert.match(String(r.badLatent), /latent of \d+ values/);
  assert.match(String(r.badModel), /unknown model 'tuba'/);
});

test('the worker bundle carries no tfjs: inference is the plain TypeScript fast path, with no tensors to leak', () => {
  const worker = readFileSync('dist/worker.js', 'utf8');
  assert.doesNotMatch(worker, /tfjs|@tensorflow/);
});
