// The session log writer against real IndexedDB in headless Chromium:
// durability across reloads and crashes, degraded modes, two instances, retention.
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
    // Features are quantised to 12 bits per feature per chunk (the default): check each value against its chunk's bound.
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
        const tolerance = (max - min) * k.log.quantisationError('u12') + Math.max(Math.abs(max), Math.abs(min)) * 2 ** -23;
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

test('close() while a timed flush is writing still stores the last records and marks the session closed', async () => {
  // A timed flush that is mid-write when close() runs must not retire the
  // session before close()'s final pages are written (a race once seen as a
  // closed session missing its last second).
  const report = await h.page.evaluate(async () => {
    const k = (globalThis as unknown as { logKit: LogKit }).logKit;
    await k.deleteDatabase('close-race');
    const results: { delayMs: number; stored: number; expected: number; state: string }[] = [];
    for (let trial = 0; trial < 24; trial++) {
      // Timed flushes every 10 ms that write open pages at once, so one is nearly always in flight.
      const writer = await k.log.SessionLog.open({ dbName: 'close-race', flushIntervalMs: 10, maxLossMs: 0 });
      const synth = new k.SyntheticSession({ seed: 100 + trial });
      const id = await writer.start(synth.meta(`trial ${trial}`));
      await k.writeSynthetic(writer, synth, 0, 2, 1);
      const delayMs = trial % 12;
      await new Promise((r) => setTimeout(r, delayMs));
      const last = synth.second(2);
      for (const e of last.events) writer.append(e);
      await writer.close();
      const catalog = await k.log.SessionCatalog.open('close-race');
      const events = (await catalog.readRecords(id)).filter((r) => r.kind !== 'features');
      const [summary] = (await catalog.list()).filter((x) => x.id === id);
      const expected = [0, 1, 2].reduce((n, s) => n + synth.second(s).events.length, 0);
      results.push({ delayMs, stored: events.length, expected, state: summary?.state ?? 'missing' });
    }
    return results;
  });
  for (const r of report) {
    assert.equal(r.stored, r.expected, `close after ${r.delayMs} ms stored ${r.stored} of ${r.expected} events`);
    assert.equal(r.state, 'closed', `close after ${r.delayMs} ms left the session '${r.state}'`);
  }
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

test('when the quota is reached the writer keeps accepting records, degrades to memory and never throws', async () => {
  const report = await h.page.evaluate(async () => {
    const k = (globalThis as unknown as { logKit: LogKit }).logKit;
    await k.deleteDatabase('quota');
    const writer = await k.log.SessionLog.open({ dbName: 'quota', quotaBytes: 50_000, maxMemoryBytes: 200_000, retryIntervalMs: 50 });
    const states: string[] = [];
    writer.onStatus((s) => states.push(s.state));
    const synth = new k.SyntheticSession({ seed: 7 });
    await writer.start(synth.meta());
    let threw: string | null = null;
    try {
      await k.writeSynthetic(writer, synth, 0, 60, 1);
      await writer.flush();
    } catch (error) {
      threw = String(error);
    }
    const during = writer.status;
    const stats = writer.stats;
    const catalog = await k.log.SessionCatalog.open('quota');
    const [stored] = await catalog.list();
    await writer.close();
    return { threw, states, during, stats, stored, afterClose: writer.status };
  });
  assert.equal(report.threw, null);
  assert.deepEqual(report.states.filter((state, i) => state !== report.states[i - 1]), ['ok', 'degraded-memory', 'failed']);
  assert.equal(report.during.state, 'degraded-memory');
  assert.match(report.during.message, /Storage is full/);
  assert.ok(report.during.bufferedBytes > 0, 'the newest data is held in memory');
  assert.ok(report.during.bufferedBytes <= 200_000 + 20_000, `memory buffer ${report.during.bufferedBytes} bytes stays near its 200 kB bound`);
  assert.ok(report.during.droppedRecords > 0, 'the oldest pages were pushed out of the bounded buffer');
  assert.equal(report.stats.rejectedRecords, 0);
  assert.ok(report.stats.writeFailures > 0);
  assert.ok(report.stored.storedBytes <= 50_000, `stored ${report.stored.storedBytes} bytes, over the 50 kB quota`);
  assert.equal(report.afterClose.state, 'failed', 'closing with unsaved records says so');
  assert.match(report.afterClose.message, /unsaved/);
});

test('without IndexedDB the writer starts degraded and still accepts everything', async () => {
  const page = await h.newPage();
  const report = await page.evaluate(async () => {
    const k = (globalThis as unknown as { logKit: LogKit }).logKit;
    Object.defineProperty(globalThis, 'indexedDB', { value: undefined, configurable: true });
    const writer = await k.log.SessionLog.open({ dbName: 'absent', retryIntervalMs: 20 });
    const synth = new k.SyntheticSession();
    let threw: string | null = null;
    let id = '';
    try {
      id = await writer.start(synth.meta());
      await k.writeSynthetic(writer, synth, 0, 5);
      writer.append({ kind: 'marker', label: 'still here', audioTimeS: 9, frame: 432000, wallTimeMs: 1 });
      await writer.flush();
    } catch (error) {
      threw = String(error);
    }
    return { threw, id, status: writer.status, stats: writer.stats };
  });
  await page.close();
  assert.equal(report.threw, null);
  assert.match(report.id, /^[0-9a-z]+-[0-9a-f]{12}$/);
  assert.equal(report.status.state, 'degraded-memory');
  assert.match(report.status.message, /IndexedDB is unavailable/);
  assert.ok(report.status.bufferedBytes > 0);
  assert.ok(report.stats.appendedRecords > 400);
});

test('a malformed record is dropped and counted, not thrown', async () => {
  const report = await h.page.evaluate(async () => {
    const k = (globalThis as unknown as { logKit: LogKit }).logKit;
    const writer = await k.log.SessionLog.open({ dbName: 'malformed' });
    await writer.start(new k.SyntheticSession().meta());
    const bad: unknown[] = [null, { kind: 'midi' }, { kind: 'nope', audioTimeS: 0, frame: 0, wallTimeMs: 0 },
      { kind: 'param', id: 'x', value: 1, audioTimeS: NaN, frame: 0, wallTimeMs: 0 },
      { kind: 'model', model: 'm', call: 'c', detail: { f: () => 1 }, audioTimeS: 0, frame: 0, wallTimeMs: 0 }];
    for (const b of bad) writer.append(b as never);
    writer.appendFeatures(1.5, new Float32Array(36), 1);
    writer.appendFeatures(0, new Float32Array(3), 1);
    const stats = writer.stats;
    await writer.close();
    return stats;
  });
  assert.equal(report.rejectedRecords, 7);
  assert.equal(report.appendedRecords, 0);
  assert.match(report.lastProblem ?? '', /expected a Float32Array of at least 1 × 36 values, got 3/);
});

test('deleting the database under a live writer degrades it, and it recovers into a fresh database', async () => {
  const report = await h.page.evaluate(async () => {
    const k = (globalThis as unknown as { logKit: LogKit }).logKit;
    await k.deleteDatabase('deleted');
    const writer = await k.log.SessionLog.open({ dbName: 'deleted', retryIntervalMs: 300 });
    const states: string[] = [];
    writer.onStatus((s) => states.push(`${s.state}: ${s.message}`));
    const synth = new k.SyntheticSession({ seed: 9 });
    const id = await writer.start(synth.meta());
    await k.writeSynthetic(writer, synth, 0, 10);
    await writer.flush();
    await k.deleteDatabase('deleted');
    const afterDelete = writer.status.state;
    await k.writeSynthetic(writer, synth, 10, 5);
    await new Promise((r) => setTimeout(r, 800));
    await writer.flush();
    const recovered = writer.status;
    await writer.close();
    const catalog = await k.log.SessionCatalog.open('deleted');
    const rows = await catalog.list();
    const records = await catalog.readRecords(id, { kinds: ['midi'] });
    return { afterDelete, states, recovered, rows, firstMidiS: records[0]?.audioTimeS };
  });
  assert.equal(report.afterDelete, 'degraded-memory');
  assert.ok(report.states.some((s) => /Lost the log database/.test(s)), report.states.join('\n'));
  assert.equal(report.recovered.state, 'ok', report.recovered.message);
  assert.equal(report.rows.length, 1);
  assert.equal(report.rows[0].state, 'closed');
  assert.ok(report.rows[0].droppedRecords > 0, 'what the deleted database held is counted as lost');
  assert.ok(report.firstMidiS >= 2 + 10 - 1, 'the new database holds the records written after the deletion');
});

test('two instances in one page write separate sessions in one database', async () => {
  const report = await h.page.evaluate(async () => {
    const k = (globalThis as unknown as { logKit: LogKit }).logKit;
    await k.deleteDatabase('two');
    const a = await k.log.SessionLog.open({ dbName: 'two' });
    const b = await k.log.SessionLog.open({ dbName: 'two' });
    const synthA = new k.SyntheticSession({ seed: 1, notesPerSecond: 2, clock: false });
    const synthB = new k.SyntheticSession({ seed: 2, notesPerSecond: 6, clock: true });
    const [idA, idB] = await Promise.all([a.start({ ...synthA.meta('A'), instanceId: 'a' }), b.start({ ...synthB.meta('B'), instanceId: 'b' })]);
    await Promise.all([k.writeSynthetic(a, synthA, 0, 20, 1), k.writeSynthetic(b, synthB, 0, 20, 1)]);
    await Promise.all([a.close(), b.close()]);
    const catalog = await k.log.SessionCatalog.open('two');
    const list = await catalog.list();
    const expected = (synth: InstanceType<typeof k.SyntheticSession>) => {
      let n = 0;
      for (let s = 0; s < 20; s++) n += synth.second(s).events.filter((e) => e.kind === 'midi').length;
      return n;
    };
    return { idA, idB, list, midiA: expected(synthA), midiB: expected(synthB) };
  });
  assert.notEqual(report.idA, report.idB);
  assert.equal(report.list.length, 2);
  const a = report.list.find((s) => s.id === report.idA);
  const b = report.list.find((s) => s.id === report.idB);
  assert.equal(a?.name, 'A');
  assert.equal(b?.name, 'B');
  assert.equal(a?.counts.midi, report.midiA);
  assert.equal(b?.counts.midi, report.midiB);
  assert.notEqual(report.midiA, report.midiB);
});

test('retention keeps the newest sessions and never deletes a live one', async () => {
  const report = await h.page.evaluate(async () => {
    const k = (globalThis as unknown as { logKit: LogKit }).logKit;
    await k.deleteDatabase('retention');
    const live = await k.log.SessionLog.open({ dbName: 'retention' });
    const liveId = await live.start({ ...new k.SyntheticSession({ wallStartMs: 1000 }).meta('oldest but live') });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const w = await k.log.SessionLog.open({ dbName: 'retention', retention: { maxSessions: 3, maxBytes: Infinity } });
      const synth = new k.SyntheticSession({ wallStartMs: 2000 + i * 1000 });
      ids.push(await w.start(synth.meta(`s${i}`)));
      await k.writeSynthetic(w, synth, 0, 1);
      await w.close();
    }
    const catalog = await k.log.SessionCatalog.open('retention');
    const names = (await catalog.list()).map((s) => s.name);
    await live.close();
    return { names, liveId };
  });
  // Each start trims to 3 sessions; the live one is protected, so the closed ones go, oldest first.
  assert.deepEqual(report.names, ['s4', 's3', 'oldest but live']);
});

test('the writer works in a module worker, as the plugin runs it, and the page reads what it wrote', async () => {
  const report = await h.page.evaluate(async () => {
    const k = (globalThis as unknown as { logKit: LogKit }).logKit;
    await k.deleteDatabase('worker');
    const worker = new Worker('/log-worker.js', { type: 'module' });
    const reply = (type: string) => new Promise<Record<string, any>>((resolve, reject) => {
      worker.onmessage = (e) => { if (e.data.type === type) resolve(e.data); };
      worker.onerror = (e) => reject(new Error(e.message));
    });
    const recorded = reply('recorded');
    worker.postMessage({ type: 'record', dbName: 'worker', seconds: 30 });
    const { id, status, stats } = await recorded;
    const catalog = await k.log.SessionCatalog.open('worker');
    const whileOpen = (await catalog.list())[0];
    const records = await catalog.readRecords(id);
    const closed = reply('closed');
    worker.postMessage({ type: 'close' });
    await closed;
    const afterClose = (await catalog.list())[0];
    worker.terminate();
    const synth = new k.SyntheticSession({ seed: 4 });
    const expected = [];
    for (let s = 0; s < 30; s++) expected.push(...synth.second(s).events);
    expected.sort((a, b) => a.audioTimeS - b.audioTimeS);
    return {
      status, stats, whileOpen, afterClose,
      difference: k.firstDifference(records.filter((r) => r.kind !== 'features'), expected) ?? null,
      frames: records.reduce((n, r) => n + (r.kind === 'features' ? r.frameCount : 0), 0),
    };
  });
  assert.equal(report.status.state, 'ok', report.status.message);
  assert.equal(report.stats.rejectedRecords, 0);
  assert.equal(report.difference, null);
  assert.equal(report.frames, Math.ceil(30 * 93.75));
  assert.equal(report.whileOpen.state, 'recording');
  assert.equal(report.whileOpen.name, 'from a worker');
  assert.equal(report.afterClose.state, 'closed');
});
