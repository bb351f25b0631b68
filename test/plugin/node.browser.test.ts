/**
 * `DeepImprovNode`'s lifecycle on the real plugin (the built dist/, in a bare
 * WAM host page in Chromium): `destroy()` settles what is pending — a
 * `debugInfo()` waiting for the processor rejects with a clear "destroyed"
 * error instead of hanging for ever — and drops every listener.
 * Needs `npm run build`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useHostFixture } from '../helpers/host-fixture.ts';

const fixture = useHostFixture();

test('destroy() rejects pending debugInfo() calls with a "destroyed" error, resolves pending flushes, and drops every listener', async () => {
  const page = await fixture.hostPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const result = await page.evaluate(async (url) => {
    const w = window as any;
    const { context, plugin } = await w.createPlugin(url);
    const node = plugin.audioNode;
    const answered = await node.debugInfo();
    const statuses: string[] = [];
    node.onStatus((s: { worker: string }) => statuses.push(s.worker));
    node.onPhrase(() => undefined);
    node.onCancel(() => undefined);
    const listenersBefore = node.listenerCount();
    const settled: string[] = [];
    const pending = [node.debugInfo(), node.debugInfo()].map((p: Promise<unknown>) => p.then(
      () => { settled.push('resolved'); },
      (e: Error) => { settled.push(`rejected: ${e.message}`); },
    ));
    const flushed = node.flushStreams().then(() => { settled.push('flushed'); });
    node.destroy();
    node.destroy();
    // Each promise settles (a hang would time the test out).
    await Promise.all([...pending, flushed]);
    let late = '';
    try { await node.debugInfo(); late = 'resolved'; } catch (e) { late = (e as Error).message; }
    await context.close();
    return { liveProcessors: answered.liveProcessors, statuses, listenersBefore, listenersAfter: node.listenerCount(), settled, late };
  }, fixture.pluginUrl);
  assert.equal(result.liveProcessors, 1);
  assert.deepEqual(result.statuses, ['ready']);
  assert.equal(result.listenersBefore, 3);
  assert.equal(result.listenersAfter, 0);
  assert.deepEqual(result.settled.sort(), [
    'flushed',
    'rejected: DeepImprovNode destroyed before the processor answered',
    'rejected: DeepImprovNode destroyed before the processor answered',
  ]);
  assert.equal(result.late, 'DeepImprovNode destroyed before the processor answered');
  assert.deepEqual(errors, []);
  await page.close();
});
