// Unit tests of the bundle format (pure: pages are built in Node, no IndexedDB).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUNDLE_MARKER, encodeBundle, parseBundle } from '../../../log/export/bundle.ts';
import { EventPageBuilder } from '../../../log/codec/event-page.ts';
import { encodeFeaturePage } from '../../../log/codec/feature-page.ts';
import { decodePage, encodePage } from '../../../log/codec/page.ts';
import { crc32 } from '../../../log/codec/crc32.ts';
import { emptyKindCounts, type LogRecord } from '../../../log/records.ts';
import { normaliseSessionMeta, type SessionMeta } from '../../../log/session-meta.ts';
import type { PageMetaRow, SessionRow } from '../../../log/db.ts';

const meta = normaliseSessionMeta({
  wallStartMs: 1_700_000_000_000, audioStartTimeS: 1, sampleRateHz: 48000, pluginVersion: '0.1.0',
  host: { name: 'test' }, stateAtStart: { a: [1, 2] }, features: { names: ['rms', 'zcr'], hopSamples: 512 },
});

/** A small session: one events page and one features page. */
async function smallSession(): Promise<{ row: SessionRow; pages: PageMetaRow[]; bytes: Uint8Array[]; events: LogRecord[] }> {
  const events: LogRecord[] = [
    { kind: 'midi', direction: 'in', source: 'host', bytes: Uint8Array.of(0x90, 60, 100), audioTimeS: 1.5, frame: 72000, wallTimeMs: 1_700_000_000_500 },
    { kind: 'marker', label: 'here', audioTimeS: 1.75, frame: 84000, wallTimeMs: 1_700_000_000_750 },
  ];
  const builder = new EventPageBuilder(48000);
  events.forEach((e, i) => builder.append(i + 1, e as Exclude<LogRecord, { kind: 'features' }>));
  const eventsBytes = await encodePage('events', builder.body(), true);
  const values = Float32Array.from({ length: 20 }, (_, i) => i * 0.25);
  const featuresBytes = await encodePage('features', encodeFeaturePage(0, {
    audioTimeS: 1, frame: 48000, wallTimeMs: 1_700_000_000_000, firstHopIndex: 0, frameCount: 10, featureCount: 2, values,
  }, 'f32'), true);
  const eventCounts = { ...emptyKindCounts(), midi: 1, marker: 1 };
  const featureCounts = { ...emptyKindCounts(), features: 1 };
  const hopS = 512 / 48000;
  const pages: PageMetaRow[] = [
    { sessionId: 's1', pageSeq: 0, type: 'features', t0S: 1, t1S: 1 + 9 * hopS, counts: featureCounts, featureFrames: 10, byteLength: featuresBytes.length, crc32: crc32(featuresBytes) },
    { sessionId: 's1', pageSeq: 1, type: 'events', t0S: 1.5, t1S: 1.75, counts: eventCounts, featureFrames: 0, byteLength: eventsBytes.length, crc32: crc32(eventsBytes) },
  ];
  const row: SessionRow = {
    id: 's1', name: 'small', state: 'closed', startWallMs: meta.wallStartMs, startAudioTimeS: meta.audioStartTimeS, pluginVersion: meta.pluginVersion, updatedWallMs: 1_700_000_001_000,
    counts: { ...emptyKindCounts(), midi: 1, marker: 1, features: 1 }, featureFrames: 10, endAudioTimeS: 1.75,
    storedBytes: eventsBytes.length + featuresBytes.length, pageCount: 2, droppedRecords: 0,
  };
  return { row, pages, bytes: [featuresBytes, eventsBytes], events };
}

test('a bundle round-trips: header, row, page bytes and decoded records', async () => {
  const { row, pages, bytes, events } = await smallSession();
  const bundle = encodeBundle(row, meta, pages, bytes, 123);
  assert.deepEqual(bundle.subarray(0, 8), BUNDLE_MARKER);
  const parsed = await parseBundle(bundle);
  assert.equal(parsed.header.exportedWallMs, 123);
  assert.deepEqual(parsed.header.session, row);
  assert.deepEqual(parsed.header.meta, meta);
  assert.deepEqual(parsed.pages.map((p) => p.bytes), bytes);
  assert.deepEqual(parsed.pages.map((p) => ({ ...p.meta, sessionId: 's1' })), pages);
  assert.deepEqual((await decodePage(parsed.pages[1].bytes, 'p1')).records.map((r) => r.record), events);
  assert.equal((await decodePage(parsed.pages[0].bytes, 'p0')).records[0].record.kind, 'features');
  assert.deepEqual(parsed.pages.map((p) => p.recordCount), [1, 2]);
  assert.equal(parsed.musicRecords, 2, 'the note-on and the marker');
});

test('every kind of damage is refused with a message saying what is wrong', async () => {
  const { row, pages, bytes } = await smallSession();
  const good = encodeBundle(row, meta, pages, bytes, 0);
  const headerLength = new DataView(good.buffer).getUint32(12, true);
  const pageStart = 20 + headerLength;
  const rebuild = (mutate: (r: SessionRow, p: PageMetaRow[], m: SessionMeta) => void): Uint8Array => {
    const r = structuredClone(row);
    const p = structuredClone(pages);
    const m = structuredClone(meta);
    mutate(r, p, m);
    return encodeBundle(r, m, p, bytes, 0);
  };
  const flip = (at: number): Uint8Array => {
    const copy = good.slice();
    copy[at] ^= 0xff;
    return copy;
  };
  const cases: [string, Uint8Array, RegExp][] = [
    ['short', good.subarray(0, 10), /not a Deep Improv session bundle: the file is only 10 bytes/],
    ['marker', flip(1), /expected the format marker 89 44 49 4c 4f 47 0d 0a at byte 0, found 89 bb/],
    ['header crc', flip(30), /the header fails its CRC-32 check/],
    ['header length', (() => { const c = good.slice(); new DataView(c.buffer).setUint32(12, 1e9, true); return c; })(), /truncated bundle: the header says it is 1000000000 bytes/],
    ['page crc', flip(pageStart + 12), /bundle page 0 \(features, page number 0\) fails its CRC-32 check/],
    ['truncated pages', good.subarray(0, good.length - 20), /truncated bundle: 2 pages need \d+ bytes, the file has \d+/],
    ['end marker', (() => { const c = good.slice(); c[c.length - 1] = 0; return c; })(), /end marker "DILOGEND" is missing/],
    ['count mismatch', rebuild((r, p) => { p[1].counts.midi = 2; r.counts.midi = 2; }), /holds 1 midi record\(s\), the header says 2/],
    ['session count', rebuild((r) => { r.counts.marker = 5; }), /the pages hold 1 marker record\(s\), the session says 5/],
    ['frames', rebuild((r, p) => { p[0].featureFrames = 11; }), /holds 10 feature frames, the header says 11/],
    ['bad meta', rebuild((r, p, m) => { (m as { sampleRateHz: unknown }).sampleRateHz = 'fast'; }), /session meta: sampleRateHz must be a finite number, got the string "fast"/],
    ['meta mismatch', rebuild((r) => { r.startWallMs += 1; }), /the session row and the meta disagree/],
    ['bad state', rebuild((r) => { (r as { state: string }).state = 'paused'; }), /session.state must be 'recording' or 'closed', got the string "paused"/],
    ['duplicate page', rebuild((r, p) => { p[1].pageSeq = 0; }), /pages\[1\].pageSeq repeats an earlier page number/],
    ['huge name', rebuild((r) => { r.name = 'n'.repeat(8 * 1024 * 1024); }), /corrupt bundle header: session.name must be at most 200 characters, got 8388608/],
    ['unknown kind', rebuild((r) => { (r.counts as Record<string, number>).video = 1; }), /session.counts has an unknown kind "video"/],
  ];
  for (const [name, data, message] of cases) {
    await assert.rejects(parseBundle(data), (error: Error) => {
      assert.equal(error.name, 'BundleError', name);
      assert.match(error.message, message, name);
      return true;
    });
  }
});

test('a page whose data does not match the session layout is refused', async () => {
  const { row, pages, bytes } = await smallSession();
  const wrongMeta = structuredClone(meta);
  wrongMeta.features.names = ['rms'];
  await assert.rejects(parseBundle(encodeBundle(row, wrongMeta, pages, bytes, 0)), /has 2 features per frame, the session meta names 1/);
});

test('a page with a malformed record inside a valid envelope is refused', async () => {
  const { row, pages, bytes } = await smallSession();
  const builder = new EventPageBuilder(48000);
  // The builder encodes whatever it is given; a note without a pitch only fails the importer's record check.
  builder.append(1, { kind: 'marker', label: 'ok', audioTimeS: 1.5, frame: 72000, wallTimeMs: 1 });
  builder.append(2, { kind: 'note', source: 'x', velocity: 100, durationS: 0.5, audioTimeS: 1.6, frame: 76800, wallTimeMs: 2 } as unknown as Exclude<LogRecord, { kind: 'features' }>);
  const page = await encodePage('events', builder.body(), false);
  const p = structuredClone(pages);
  p[1] = { ...p[1], counts: { ...emptyKindCounts(), marker: 1, note: 1 }, byteLength: page.length, crc32: crc32(page) };
  const r = structuredClone(row);
  r.counts = { ...emptyKindCounts(), features: 1, marker: 1, note: 1 };
  await assert.rejects(parseBundle(encodeBundle(r, meta, p, [bytes[0], page], 0)), /bundle page 1 \(events, page number 1\): note record: pitch must be a finite number, got nothing/);
});
