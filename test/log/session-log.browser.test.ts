// The session log writer against real IndexedDB in headless Chromium:
// durability across reloads and crashes, degraded modes, two instances, retention.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openLogPage, type LogPage } from './browser-harness.ts';
import type { LogKit } from './browser-entry.ts';

let h: LogPage;
before(async () => {
  h = await openLogPage();
});
after(async () => {
  await h?.close();
});

test('a 10-minute session at live data rates is all there after a page reload', async () => {
  const written = await h.page.evaluate(async () => {
    const k = (globalThis as unknown as { logKit: LogKit }).logKit;
    await k.deleteDatabase('ten-minutes');
    const writer = await k.log.SessionLog.open({ dbName: 'ten-minutes' });
    const synth = new k.SyntheticSession({ seed: 10 });
    const id = await writer.start(synth.meta('ten minutes'));
    await k.writeSynthetic(writer, synth, 0, 600);
    // flush() as on pagehide, not close(): the reload below is the page going away.
    await writer.flush();
    return { id, status: writer.status, stats: writer.stats };
  });
  assert.equal(written.status.state, 'ok', written.status.message);
  assert.equal(written.stats.rejectedRecords, 0, written.stats.lastProblem);
  await h.page.reload();
  await h.page.waitForFunction(() => 'logKit' in globalThis);
  const report = await h.page.evaluate(async (id) => {
    const k = (globalThis as unknown as { logKit: LogKit }).logKit;
    const catalog = await k.log.SessionCatalog.open('ten-minutes');
    const [summary] = await catalog.list();
    const records = await catalog.readRecords(id);
    const synth = new k.SyntheticSession({ seed: 10 });
    const f = synth.options.featureNames.length;
    const expectedEvents = [];
    const expectedFeatures: number[] = [];
    for (let s = 0; s < 600; s++) {
      const second = synth.second(s);
      expectedEvents.push(...second.events);
      for (const v of second.features) expectedFeatures.push(v);
    }
    // The log reads back in time order (ties in append order): a stable sort of what was appended.
    expectedEvents.sort((a, b) => a.audioTimeS - b.audioTimeS);
    const events = records.filter((r) => r.kind !== 'features');
    const chunks = records.filter((r) => r.kind === 'features');
    // Features are u16-quantised per feature per chunk: check each value against its chunk's step.
    let frames = 0;
    let worst = 0;
    let nextHop = 0;
    let gapOrOverlap = 0;
    for (const c of chunks) {
      if (c.firstHopIndex !== nextHop) gapOrOverlap++;
      nextHop = c.firstHopIndex + c.frameCount;
      for (let j = 0; j < f; j++) {
        let min = Infinity;
        let max = -Infinity;
        for (let i = 0; i < c.frameCount; i++) {
          const v = expectedFeatures[(c.firstHopIndex + i) * f + j];
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
        const tolerance = (max - min) / 65532 / 2 + Math.abs(max) * 2 ** -22;
        for (let i = 0; i < c.frameCount; i++) {
          const error = Math.abs(c.values[i * f + j] - expectedFeatures[(c.firstHopIndex + i) * f + j]);
          worst = Math.max(worst, error / tolerance);
        }
      }
      frames += c.frameCount;
    }
    return {
      summary,
      eventCount: events.length,
      expectedEventCount: expectedEvents.length,
      eventDifference: k.firstDifference(events, expectedEvents) ?? null,
      frames,
      expectedFrames: expectedFeatures.length / f,
      worstErrorOverTolerance: worst,
      gapOrOverlap,
      chunkTimingOk: chunks.every((c) => c.frame === synth.meta().features!.originFrame! + c.firstHopIndex * 512 && c.audioTimeS === c.frame / 48000),
    };
  }, written.id);
  assert.equal(report.eventCount, report.expectedEventCount);
  assert.equal(report.eventDifference, null);
  assert.equal(report.frames, report.expectedFrames);
  assert.equal(report.frames, 56250, '600 s × 93.75 frames/s');
  assert.equal(report.gapOrOverlap, 0);
  assert.ok(report.worstErrorOverTolerance <= 1, `worst feature error is ${report.worstErrorOverTolerance} × the quantisation tolerance`);
  assert.ok(report.chunkTimingOk, 'feature chunk timing follows the hop index');
  assert.equal(report.summary.counts.features, Math.ceil(56250 / 94), 'chunks of 94 frames (about one second)');
  assert.equal(report.summary.featureFrames, 56250);
  assert.equal(report.summary.counts.midi + report.summary.counts.note + report.summary.counts.param + report.summary.counts.analysis +
    report.summary.counts.model + report.summary.counts.transport + report.summary.counts.marker, report.expectedEventCount);
  assert.equal(report.summary.name, 'ten minutes');
  assert.equal(report.summary.state, 'recording', 'never closed: the page went away');
});

test('float32 features are stored exactly', async () => {
  const report = await h.page.evaluate(async () => {
    const k = (globalThis as unknown as { logKit: LogKit }).logKit;
    await k.deleteDatabase('f32');
    const writer = await k.log.SessionLog.open({ dbName: 'f32', featureEncoding: 'f32' });
    const synth = new k.SyntheticSession({ seed: 3 });
    const id = await writer.start(synth.meta());
    await k.writeSynthetic(writer, synth, 0, 20);
    await writer.close();
    const catalog = await k.log.SessionCatalog.open('f32');
    const chunks = await catalog.readRecords(id, { kinds: ['features'] });
    const got: number[] = [];
    for (const c of chunks) if (c.kind === 'features') got.push(...c.values);
    const expected: number[] = [];
    for (let s = 0; s < 20; s++) expected.push(...synth.second(s).features);
    return { difference: k.firstDifference(got, expected) ?? null, n: got.length };
  });
  assert.equal(report.n, Math.ceil(20 * 93.75) * 36);
  assert.equal(report.difference, null);
});

test('a renderer crash loses at most about one second of records', async () => {
  const page = await h.newPage();
  const cut = await page.evaluate(async () => {
    const k = (globalThis as unknown as { logKit: LogKit }).logKit;
    await k.deleteDatabase('crash');
    const writer = await k.log.SessionLog.open({ dbName: 'crash' });
    const synth = new k.SyntheticSession({ seed: 5 });
    await writer.start(synth.meta('crash'));
    // Append in real time (30 batches per second) for 3 s, remembering when each record went in.
    const all = [0, 1, 2].flatMap((second) => synth.second(second).events).sort((a, b) => a.audioTimeS - b.audioTimeS);
    const appendedAt: number[] = [];
    for (let b = 0; b < 90; b++) {
      const limit = synth.options.audioStartTimeS + (b + 1) / 30;
      while (appendedAt.length < all.length && all[appendedAt.length].audioTimeS < limit) {
        writer.append(all[appendedAt.length]);
        appendedAt.push(performance.now());
      }
      await new Promise((r) => setTimeout(r, 1000 / 30));
    }
    const crashAt = performance.now();
    return { olderThanOneSecond: appendedAt.filter((t) => t <= crashAt - 1000).length, total: appendedAt.length };
  });
  // Kill the renderer without pagehide or unload: what IndexedDB committed is all that survives.
  await page.goto('chrome://crash').catch(() => undefined);
  const reader = await h.newPage();
  const stored = await reader.evaluate(async () => {
    const k = (globalThis as unknown as { logKit: LogKit }).logKit;
    const catalog = await k.log.SessionCatalog.open('crash');
    const [session] = await catalog.list();
    const records = await catalog.readRecords(session.id);
    const synth = new k.SyntheticSession({ seed: 5 });
    const expected = [0, 1, 2].flatMap((s) => synth.second(s).events).sort((a, b) => a.audioTimeS - b.audioTimeS);
    return { count: records.length, prefixDifference: k.firstDifference(records, expected.slice(0, records.length)) ?? null };
  });
  await reader.close();
  assert.ok(cut.olderThanOneSecond > 100, `expected a real-time run, only ${cut.olderThanOneSecond} records were older than 1 s`);
  assert.ok(stored.count >= cut.olderThanOneSecond, `${stored.count} records survived the crash, but ${cut.olderThanOneSecond} were appended more than 1 s before it`);
  assert.ok(stored.count <= cut.total);
  assert.equal(stored.prefixDifference, null);
});
