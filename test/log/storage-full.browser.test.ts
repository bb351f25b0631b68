// A full disk in headless Chromium: the origin's quota is forced to 200 KB through the DevTools protocol
// (Storage.overrideQuotaForOrigin), so IndexedDB itself refuses the writes, as on a full device.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openLogPage, type LogPage } from '../helpers/log/browser-harness.ts';
import type { LogKit } from '../helpers/log/browser-entry.ts';

let h: LogPage;
before(async () => {
  // A browser of its own: a fresh origin whose usage is this file's alone.
  h = await openLogPage();
  const cdp = await h.context.newCDPSession(h.page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: h.server.origin, quotaSize: 200 * 1024 });
});
after(async () => {
  await h?.close();
});

const MIDI_RECORDS = 32_000;

/** Appends 32,000 short sysex messages of random data (about 25 bytes each however well pages deflate, 800 kB in all), flushing every 1,000 as the timer does at live rates, then closes. */
async function fillAndClose(dbName: string, quotaBytes: number): Promise<Record<string, any>> {
  return h.page.evaluate(async ({ dbName, quotaBytes, total }) => {
    const k = (globalThis as unknown as { logKit: LogKit }).logKit;
    const writer = await k.log.SessionLog.open({ dbName, quotaBytes, retryIntervalMs: 50 });
    const states: string[] = [];
    writer.onStatus((s) => states.push(`${s.state}: ${s.message}`));
    const id = await writer.start(new k.SyntheticSession().meta('full disk'));
    let seed = 1;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < total; i++) {
      const frame = 96000 + i * 480;
      const bytes = Uint8Array.from({ length: 20 }, (_, j) => (j === 0 ? 0xf0 : j === 19 ? 0xf7 : Math.floor(random() * 128)));
      writer.append({ kind: 'midi', direction: 'in', source: 'host', bytes, audioTimeS: frame / 48000, frame, wallTimeMs: 1.7e12 + i * 10 });
      if (i % 1000 === 999) await writer.flush();
    }
    await writer.close();
    const catalog = await k.log.SessionCatalog.open(dbName);
    const row = await catalog.require(id);
    const stored = (await catalog.readRecords(id, { kinds: ['midi'] })).length;
    catalog.close();
    return { states, afterClose: writer.status, stats: writer.stats, row, stored };
  }, { dbName, quotaBytes, total: MIDI_RECORDS });
}

test('when the writer\'s storage cap is reached, the closed session row and the status count every record not stored', async () => {
  const report = await fillAndClose('capped', 150_000);
  assert.ok(report.states.some((s: string) => /^degraded-memory: Storage is full/.test(s)), report.states.join('\n'));
  assert.ok(report.stored > 0 && report.stored < MIDI_RECORDS, `some but not all records were stored (${report.stored})`);
  assert.equal(report.row.counts.midi, report.stored);
  assert.equal(report.row.state, 'closed');
  assert.equal(report.row.counts.midi + report.row.droppedRecords, MIDI_RECORDS, `the row counts ${report.row.counts.midi} stored and ${report.row.droppedRecords} lost of ${MIDI_RECORDS}`);
  assert.equal(report.afterClose.droppedRecords, report.row.droppedRecords, 'the status after close says how many were lost');
  assert.equal(report.stats.droppedRecords, report.row.droppedRecords);
  assert.equal(report.afterClose.state, 'failed');
  assert.match(report.afterClose.message, new RegExp(`Closed with ${report.row.droppedRecords} record\\(s\\) unsaved \\(storage is full`));
});

test('when the origin quota is full, the status counts every record not stored and the row never claims a clean close', async () => {
  // Must run after the capped test: it fills the origin for the import test below.
  const report = await fillAndClose('full', Infinity);
  assert.ok(report.states.some((s: string) => /^degraded-memory: Storage is full/.test(s)), report.states.join('\n'));
  assert.ok(report.stored < MIDI_RECORDS, `not all records were stored (${report.stored})`);
  assert.equal(report.afterClose.droppedRecords, MIDI_RECORDS - report.stored, 'the status counts every record not stored');
  assert.match(report.afterClose.message, new RegExp(`Closed with ${MIDI_RECORDS - report.stored} record\\(s\\) unsaved \\(storage is full\\)`));
  // Chromium refuses every write, even the small closing row, once the origin is over its quota: the row stays
  // as last stored (recording, so it lists as interrupted) rather than saying it closed with nothing lost.
  if (report.row.state === 'closed') assert.equal(report.row.counts.midi + report.row.droppedRecords, MIDI_RECORDS);
  else assert.equal(report.row.state, 'recording');
});

test('an import while the quota is full says the storage is full', async () => {
  const report = await h.page.evaluate(async () => {
    const k = (globalThis as unknown as { logKit: LogKit }).logKit;
    const api = await k.log.LocalSessionLogApi.open('full');
    const [session] = await api.list();
    const file = await api.export(session.id, 'bundle');
    const before = (await api.list()).length;
    let message = 'ACCEPTED';
    try {
      await api.import(file.bytes);
    } catch (error) {
      message = (error as Error).message;
    }
    const after = (await api.list()).length;
    api.close();
    return { message, before, after };
  });
  assert.match(report.message, /^import failed, nothing was written: storage is full \(QuotaExceededError/);
  assert.match(report.message, /delete or export old sessions/);
  assert.equal(report.after, report.before);
});
