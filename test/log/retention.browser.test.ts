// Retention against real IndexedDB in headless Chromium: empty sessions never push out sessions with music,
// and an imported session counts from its import time.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openLogPage, type LogPage } from '../helpers/log/browser-harness.ts';
import type { LogKit } from '../helpers/log/browser-entry.ts';

let h: LogPage;
before(async () => {
  h = await openLogPage();
});
after(async () => {
  await h?.close();
});

test('fifty plugin starts with nothing played keep the one session that holds music', async () => {
  const report = await h.page.evaluate(async () => {
    const k = (globalThis as unknown as { logKit: LogKit }).logKit;
    await k.deleteDatabase('empty-starts');
    const real = await k.log.SessionLog.open({ dbName: 'empty-starts' });
    const synth = new k.SyntheticSession({ wallStartMs: 1000 });
    const realId = await real.start(synth.meta('played'));
    await k.writeSynthetic(real, synth, 0, 2);
    await real.close();
    for (let i = 0; i < 50; i++) {
      // What a plugin start with nothing played writes: features of silence, a transport record, no music.
      const w = await k.log.SessionLog.open({ dbName: 'empty-starts' });
      const quiet = new k.SyntheticSession({ wallStartMs: 2000 + i * 1000 });
      await w.start(quiet.meta(`quiet ${i}`));
      w.appendFeatures(0, new Float32Array(10 * 36), 10);
      w.append({ kind: 'transport', playing: false, tempoBpm: 120, timeSigNumerator: 4, timeSigDenominator: 4, currentBar: 0, currentBarStartedS: 0, audioTimeS: 2, frame: 96000, wallTimeMs: 2000 + i * 1000 });
      await w.close();
    }
    const catalog = await k.log.SessionCatalog.open('empty-starts');
    const list = await catalog.list();
    catalog.close();
    return { realId, count: list.length, ids: list.map((s) => s.id), real: list.find((s) => s.id === realId) };
  });
  assert.ok(report.ids.includes(report.realId), 'the session with music survives 50 empty starts');
  assert.equal(report.count, 50, 'retention still keeps the log at its limit of 50 sessions');
  assert.equal(report.real?.hasMusic, true);
});

test('a re-imported session counts from its import time, so the next start does not delete it', async () => {
  const report = await h.page.evaluate(async () => {
    const k = (globalThis as unknown as { logKit: LogKit }).logKit;
    await k.deleteDatabase('reimport');
    const retention = { maxSessions: 3, maxBytes: Infinity };
    const record = async (name: string, wallStartMs: number): Promise<string> => {
      const w = await k.log.SessionLog.open({ dbName: 'reimport', retention });
      const synth = new k.SyntheticSession({ wallStartMs });
      const id = await w.start(synth.meta(name));
      await k.writeSynthetic(w, synth, 0, 1);
      await w.close();
      return id;
    };
    const oldId = await record('old', 1000);
    const catalog = await k.log.SessionCatalog.open('reimport');
    const bundle = await k.log.exportBundle(catalog, oldId);
    await catalog.delete(oldId);
    await record('b', 2000);
    await record('c', 3000);
    const before = Date.now();
    const imported = await k.log.importBundle(catalog, bundle);
    const afterImport = (await catalog.list()).find((s) => s.id === imported.sessionId);
    await record('d', 4000);
    const names = (await catalog.list()).map((s) => s.name);
    catalog.close();
    return { names, importedWallMs: afterImport?.importedWallMs ?? null, before };
  });
  assert.ok(report.importedWallMs !== null && report.importedWallMs >= report.before, 'the import time is recorded');
  // Trimmed to 3 at the last start: 'b' is the oldest by retention time; the import is newer than 'c'.
  assert.deepEqual(report.names.sort(), ['c', 'd', 'old']);
});
