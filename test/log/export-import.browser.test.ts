// Export, import, replay and the SessionLogApi against real IndexedDB in headless Chromium.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tonejsMidi from '@tonejs/midi';
import { openLogPage, type LogPage } from '../helpers/log/browser-harness.ts';
import type { LogKit } from '../helpers/log/browser-entry.ts';
import type { LogRecord } from '../../log/records.ts';

const Midi: typeof tonejsMidi.Midi = tonejsMidi.Midi ?? (tonejsMidi as unknown as { default: typeof tonejsMidi }).default.Midi;

let h: LogPage;
let sessionId: string;
before(async () => {
  h = await openLogPage();
  // One 90-second session shared by the tests below.
  sessionId = await h.page.evaluate(async () => {
    const k = (globalThis as unknown as { logKit: LogKit }).logKit;
    await k.deleteDatabase('export');
    await k.deleteDatabase('export-copy');
    const writer = await k.log.SessionLog.open({ dbName: 'export' });
    const synth = new k.SyntheticSession({ seed: 21 });
    const id = await writer.start(synth.meta('export me'));
    await k.writeSynthetic(writer, synth, 0, 90);
    await writer.close();
    return id;
  });
});
after(async () => {
  await h?.close();
});

test('export then import is lossless: same records, meta and catalog row', async () => {
  const report = await h.page.evaluate(async (id) => {
    const k = (globalThis as unknown as { logKit: LogKit }).logKit;
    const source = await k.log.SessionCatalog.open('export');
    const target = await k.log.SessionCatalog.open('export-copy');
    const bundle = await k.log.exportBundle(source, id);
    const intoOther = await k.log.importBundle(target, bundle);
    const intoSame = await k.log.importBundle(source, bundle, { name: 'second copy' });
    const original = await source.readRecords(id);
    const copy = await target.readRecords(intoOther.sessionId);
    const sameDbCopy = await source.readRecords(intoSame.sessionId);
    const rowA = await source.require(id);
    const rowB = await target.require(intoOther.sessionId);
    const rowC = await source.require(intoSame.sessionId);
    const reExport = await k.log.exportBundle(target, intoOther.sessionId);
    return {
      bundleBytes: bundle.length,
      records: original.length,
      intoOther, intoSame,
      recordsDifference: k.firstDifference(copy, original) ?? null,
      sameDbDifference: k.firstDifference(sameDbCopy, original) ?? null,
      // The copy differs only in when it was written and imported.
      rowDifference: k.firstDifference({ ...rowB, updatedWallMs: 0, importedWallMs: undefined }, { ...rowA, updatedWallMs: 0, importedWallMs: undefined }) ?? null,
      importedWallMs: rowB.importedWallMs ?? null,
      metaDifference: k.firstDifference(await target.meta(intoOther.sessionId), await source.meta(id)) ?? null,
      renamed: rowC.name,
      // Apart from the export time stamp in the header, a re-export is byte-identical.
      reExportDifference: k.firstDifference(
        k.log.encodeBundle(rowB, await target.meta(intoOther.sessionId), await target.pages(intoOther.sessionId), await target.allPageBytes(intoOther.sessionId), 0),
        k.log.encodeBundle(rowA, await source.meta(id), await source.pages(id), await source.allPageBytes(id), 0),
      ) ?? null,
      reExportBytes: reExport.length,
    };
  }, sessionId);
  assert.ok(report.records > 6000, `a 90 s session has many records, got ${report.records}`);
  assert.equal(report.intoOther.sessionId, sessionId, 'a free id is kept');
  assert.equal(report.intoOther.newId, false);
  assert.equal(report.intoSame.newId, true, 'an id already in the log gets a new one');
  assert.notEqual(report.intoSame.sessionId, sessionId);
  assert.equal(report.recordsDifference, null);
  assert.equal(report.sameDbDifference, null);
  assert.equal(report.rowDifference, null);
  assert.equal(typeof report.importedWallMs, 'number', 'the copy records when it was imported');
  assert.equal(report.metaDifference, null);
  assert.equal(report.renamed, 'second copy');
  assert.equal(report.reExportDifference, null);
  assert.equal(report.reExportBytes, report.bundleBytes);
});

test('a truncated, corrupt or foreign file is refused with a clear message and changes nothing', async () => {
  const report = await h.page.evaluate(async (id) => {
    const k = (globalThis as unknown as { logKit: LogKit }).logKit;
    const catalog = await k.log.SessionCatalog.open('export');
    const bundle = await k.log.exportBundle(catalog, id);
    const counts = async () => [await catalog.db.count('sessions'), await catalog.db.count('pageMeta'), await catalog.db.count('pageData')].join('/');
    const before = await counts();
    const flip = (at: number) => {
      const copy = bundle.slice();
      copy[at] ^= 0x20;
      return copy;
    };
    const cases: Record<string, Uint8Array> = {
      truncated: bundle.subarray(0, Math.floor(bundle.length * 0.6)),
      'missing end marker': bundle.subarray(0, bundle.length - 3),
      'flipped page byte': flip(bundle.length - 5000),
      'flipped header byte': flip(40),
      'not a bundle': new TextEncoder().encode('{"format":"something else"}'.padEnd(100, ' ')),
      'newer version': (() => {
        const copy = bundle.slice();
        new DataView(copy.buffer).setUint32(8, 2, true);
        return copy;
      })(),
      'extra bytes': (() => {
        const copy = new Uint8Array(bundle.length + 4);
        copy.set(bundle);
        return copy;
      })(),
      empty: new Uint8Array(0),
    };
    const messages: Record<string, string> = {};
    for (const [name, data] of Object.entries(cases)) {
      try {
        await k.log.importBundle(catalog, data);
        messages[name] = 'ACCEPTED';
      } catch (error) {
        messages[name] = (error as Error).message;
      }
    }
    return { before, after: await counts(), messages };
  }, sessionId);
  assert.equal(report.after, report.before, 'nothing was written');
  const m = report.messages;
  assert.match(m.truncated, /truncated bundle: .* need \d+ bytes, the file has \d+/);
  assert.match(m['missing end marker'], /truncated bundle|end marker/);
  assert.match(m['flipped page byte'], /corrupt bundle: bundle page \d+ .* fails its CRC-32 check/);
  assert.match(m['flipped header byte'], /corrupt bundle: the header fails its CRC-32 check/);
  assert.match(m['not a bundle'], /not a Deep Improv session bundle: expected the format marker 89 44 49 4c 4f 47 0d 0a at byte 0, found 7b 22/);
  assert.match(m['newer version'], /unsupported bundle format version 2: this plugin reads version 1 \(the file was written by a newer version\)/);
  assert.match(m['extra bytes'], /corrupt bundle: 4 unexpected bytes after the last page/);
  assert.match(m.empty, /not a Deep Improv session bundle: the file is only 0 bytes/);
});

test('a crafted 1 MB bundle whose page inflates to half a gigabyte is refused at the stated length; an oversized file before it is read', async () => {
  const report = await h.page.evaluate(async (id) => {
    const k = (globalThis as unknown as { logKit: LogKit }).logKit;
    const catalog = await k.log.SessionCatalog.open('export');
    const api = k.log.LocalSessionLogApi.fromCatalog(catalog);
    // 512 MiB of zeros deflated in 1 MiB steps (about 0.5 MB), in a page envelope that states a 200-byte body.
    const z = new CompressionStream('deflate');
    const w = z.writable.getWriter();
    const zeros = new Uint8Array(1 << 20);
    const feeding = (async () => {
      for (let i = 0; i < 512; i++) await w.write(zeros);
      await w.close();
    })();
    const parts: Uint8Array[] = [];
    const r = z.readable.getReader();
    for (;;) {
      const { done, value } = await r.read();
      if (done) break;
      parts.push(value);
    }
    await feeding;
    const payloadLength = parts.reduce((n, p) => n + p.length, 0);
    const page = new Uint8Array(8 + payloadLength);
    page.set([0x45, 1, 1, 0]);
    new DataView(page.buffer).setUint32(4, 200, true);
    let o = 8;
    for (const p of parts) {
      page.set(p, o);
      o += p.length;
    }
    const row = await catalog.require(id);
    const meta = await catalog.meta(id);
    const counts = { ...row.counts, features: 0, midi: 1, note: 0, analysis: 0, model: 0, param: 0, transport: 0, marker: 0 };
    const bomb = k.log.encodeBundle({ ...row, counts, featureFrames: 0 }, meta, [{
      sessionId: id, pageSeq: 0, type: 'events', t0S: 0, t1S: 0, counts, featureFrames: 0, byteLength: page.length, crc32: 0,
    }], [page]);
    const before = (await api.list()).length;
    const message = async (bytes: Uint8Array): Promise<string> => {
      try {
        await api.import(bytes);
        return 'ACCEPTED';
      } catch (error) {
        return (error as Error).message;
      }
    };
    const bombMessage = await message(bomb);
    const limits = await api.limits();
    const hugeMessage = await message(new Uint8Array(limits.maxImportBytes + 1));
    return { bombBytes: bomb.length, bombMessage, hugeMessage, limits, unchanged: (await api.list()).length === before };
  }, sessionId);
  assert.ok(report.bombBytes < 1024 * 1024, `the crafted file is ${report.bombBytes} bytes`);
  assert.match(report.bombMessage, /corrupt bundle: bundle page 0 .*the body inflates to more than the 200 bytes the envelope states/);
  assert.equal(report.limits.maxImportBytes, 256 * 1024 * 1024);
  assert.match(report.hugeMessage, /the file is 256\.0 MiB \(268435457 bytes\); the log imports bundles of at most 256 MiB/);
  assert.ok(report.unchanged, 'nothing was imported');
});

test('an 8 MB session name is refused by rename and import with a clear error, and nothing changes', async () => {
  const report = await h.page.evaluate(async (id) => {
    const k = (globalThis as unknown as { logKit: LogKit }).logKit;
    const api = k.log.LocalSessionLogApi.fromCatalog(await k.log.SessionCatalog.open('export'));
    const huge = 'n'.repeat(8 * 1024 * 1024);
    const message = async (run: () => Promise<unknown>): Promise<string> => {
      try {
        await run();
        return 'ACCEPTED';
      } catch (error) {
        return (error as Error).message;
      }
    };
    const before = await api.list();
    const bundle = (await api.export(id, 'bundle')).bytes;
    const renamed = await message(() => api.rename(id, huge));
    const imported = await message(() => api.import(bundle, { name: huge }));
    const after = await api.list();
    return { renamed, imported, unchanged: JSON.stringify(after) === JSON.stringify(before), limits: await api.limits() };
  }, sessionId);
  assert.match(report.renamed, /^rename: a session name is at most 200 characters, got 8388608$/);
  assert.match(report.imported, /^import: a session name is at most 200 characters, got 8388608$/);
  assert.equal(report.limits.maxNameLength, 200);
  assert.ok(report.unchanged);
});

test('the .mid export parses with @tonejs/midi, with the performer and generated notes on separate tracks and the right notes and times', async () => {
  const report = await h.page.evaluate(async (id) => {
    const k = (globalThis as unknown as { logKit: LogKit }).logKit;
    const catalog = await k.log.SessionCatalog.open('export');
    const bytes = await k.log.exportMidi(catalog, id);
    const synth = new k.SyntheticSession({ seed: 21 });
    const events = [];
    for (let s = 0; s < 90; s++) events.push(...synth.second(s).events);
    events.sort((a, b) => a.audioTimeS - b.audioTimeS);
    const row = await catalog.require(id);
    const notes = k.log.spanNotes(events, row.endAudioTimeS);
    const markers = events.filter((e) => e.kind === 'marker').map((e) => ({ label: e.kind === 'marker' ? e.label : '', timeS: e.audioTimeS - 2 }));
    return { bytes: Array.from(bytes), notes, markers };
  }, sessionId);
  const midi = new Midi(Uint8Array.from(report.bytes));
  const byName = new Map(midi.tracks.map((t) => [t.name, t]));
  assert.deepEqual([...byName.keys()].sort(), ['Detected from audio', 'Generated', 'Performer']);
  const tick = 1 / 960; // 480 ticks per beat at 120 BPM
  for (const [lane, name] of [['performer', 'Performer'], ['generated', 'Generated'], ['detected', 'Detected from audio']] as const) {
    const expected = report.notes.filter((n) => n.lane === lane);
    const got = byName.get(name)?.notes ?? [];
    assert.equal(got.length, expected.length, `${name}: note count`);
    assert.ok(expected.length > 100);
    const sorted = [...got].sort((a, b) => a.time - b.time || a.midi - b.midi);
    sorted.forEach((note, i) => {
      const e = expected[i];
      assert.equal(note.midi, e.pitch, `${name} note ${i}: pitch`);
      assert.ok(Math.abs(note.time - (e.startS - 2)) <= tick, `${name} note ${i}: start ${note.time} vs ${e.startS - 2}`);
      assert.ok(Math.abs(note.duration - (e.endS - e.startS)) <= 2 * tick, `${name} note ${i}: duration`);
      assert.equal(Math.round(note.velocity * 127), e.velocity, `${name} note ${i}: velocity`);
    });
  }
  assert.equal(byName.get('Performer')?.channel, 0);
  assert.equal(byName.get('Generated')?.channel, 1);
  assert.ok((byName.get('Performer')?.controlChanges[1]?.length ?? 0) === 180, 'mod wheel CCs on the input track');
  assert.equal(byName.get('Performer')?.pitchBends.length, 450);
  const markers = midi.header.meta.filter((e) => e.type === 'marker');
  assert.deepEqual(markers.map((e) => e.text), report.markers.map((m) => m.label));
  markers.forEach((e, i) => assert.ok(Math.abs(midi.header.ticksToSeconds(e.ticks) - report.markers[i].timeS) <= tick));
});

test('the CSV export has time_s and the feature names, one row per frame, values that read back exactly', async () => {
  const report = await h.page.evaluate(async (id) => {
    const k = (globalThis as unknown as { logKit: LogKit }).logKit;
    const catalog = await k.log.SessionCatalog.open('export');
    const text = new TextDecoder().decode(await k.log.exportCsv(catalog, id));
    const lines = text.split('\n');
    const chunks = await catalog.readRecords(id, { kinds: ['features'] });
    const stored: number[] = [];
    for (const c of chunks) if (c.kind === 'features') stored.push(...c.values.subarray(0, 36 * 3));
    return { header: lines[0], rows: lines.length - 2, last: lines[lines.length - 1], firstRows: lines.slice(1, 4), stored: stored.slice(0, 36 * 3) };
  }, sessionId);
  assert.equal(report.header, ['time_s', 'rms', 'zcr', 'centroid_hz', 'bandwidth_hz', 'rolloff_hz', 'flux', 'flatness',
    ...Array.from({ length: 13 }, (_, i) => `mfcc_${i}`), ...Array.from({ length: 12 }, (_, i) => `chroma_${i}`), 'f0_hz', 'voiced', 'onset_strength', 'spare_0'].join(','));
  assert.equal(report.rows, Math.ceil(90 * 93.75));
  assert.equal(report.last, '', 'ends with a newline');
  report.firstRows.forEach((line, i) => {
    const cells = line.split(',');
    assert.equal(Number(cells[0]), Number(((i * 512) / 48000).toFixed(6)));
    cells.slice(1).forEach((cell, j) => assert.equal(Math.fround(Number(cell)), report.stored[i * 36 + j]));
  });
});

test('replay yields every record in time order, the same as a full read', async () => {
  const report = await h.page.evaluate(async (id) => {
    const k = (globalThis as unknown as { logKit: LogKit }).logKit;
    const catalog = await k.log.SessionCatalog.open('export');
    const all = await catalog.readRecords(id);
    const replayed: LogRecord[] = [];
    for await (const r of k.log.replay(catalog, id)) replayed.push(r);
    const window: LogRecord[] = [];
    for await (const r of k.log.replay(catalog, id, { kinds: ['midi', 'marker'], fromS: 30, toS: 40 })) window.push(r);
    const expectedWindow = all.filter((r) => (r.kind === 'midi' || r.kind === 'marker') && r.audioTimeS >= 30 && r.audioTimeS <= 40);
    let missing = '';
    try {
      for await (const r of k.log.replay(catalog, 'no-such-session')) void r;
    } catch (error) {
      missing = (error as Error).message;
    }
    return {
      n: replayed.length,
      difference: k.firstDifference(replayed, all) ?? null,
      ordered: replayed.every((r, i) => i === 0 || replayed[i - 1].audioTimeS <= r.audioTimeS),
      windowDifference: k.firstDifference(window, expectedWindow) ?? null,
      windowN: window.length,
      missing,
    };
  }, sessionId);
  assert.ok(report.n > 6000);
  assert.ok(report.ordered);
  assert.equal(report.difference, null);
  assert.ok(report.windowN > 500);
  assert.equal(report.windowDifference, null);
  assert.match(report.missing, /no session with id "no-such-session"/);
});

test('the local SessionLogApi lists, reads, exports, renames, imports and deletes', async () => {
  const report = await h.page.evaluate(async (id) => {
    const k = (globalThis as unknown as { logKit: LogKit }).logKit;
    const api = await k.log.LocalSessionLogApi.open('export');
    const before = (await api.list()).length;
    const detail = await api.read(id, { kinds: ['marker'] });
    const overview = await api.overview(id, 90);
    await api.rename(id, '  Jam #1 / take 2 ');
    const files = await Promise.all((['bundle', 'csv', 'midi'] as const).map((f) => api.export(id, f)));
    const imported = await api.import(files[0].bytes, { name: 'restored' });
    const afterImport = (await api.list()).map((s) => s.name);
    await api.delete(imported.sessionId);
    let renameMissing = '';
    await api.rename('gone', 'x').catch((e: Error) => { renameMissing = e.message; });
    let deleteMissing = '';
    await api.delete('gone').catch((e: Error) => { deleteMissing = e.message; });
    const after = (await api.list()).length;
    api.close();
    return {
      before, after, afterImport, renameMissing, deleteMissing,
      markers: detail.records.map((r) => r.kind),
      summaryName: detail.summary.name,
      overview: { buckets: overview.buckets, names: overview.names.length, rmsFirst: overview.mean[0], durationS: overview.durationS, nan: overview.mean.some((v) => Number.isNaN(v)) },
      files: files.map((f) => [f.fileName, f.mimeType, f.bytes.length > 0]),
    };
  }, sessionId);
  assert.deepEqual(report.markers, ['marker']);
  assert.equal(report.summaryName, 'export me');
  assert.equal(report.overview.buckets, 90);
  assert.equal(report.overview.names, 36);
  assert.equal(report.overview.nan, false, 'every bucket of a continuous session has frames');
  assert.ok(report.overview.durationS > 89 && report.overview.durationS < 91);
  assert.deepEqual(report.files, [
    ['deep-improv-Jam-1-take-2.dilog', 'application/x-deep-improv-log', true],
    ['deep-improv-Jam-1-take-2-features.csv', 'text/csv', true],
    ['deep-improv-Jam-1-take-2-notes.mid', 'audio/midi', true],
  ]);
  assert.ok(report.afterImport.includes('restored'));
  assert.ok(report.afterImport.includes('Jam #1 / take 2'));
  assert.equal(report.after, report.before);
  assert.match(report.renameMissing, /no session with id "gone"/);
  assert.match(report.deleteMissing, /no session with id "gone"/);
});
