// Unit tests of the page assembler (pure: no IndexedDB, no timers; a fake clock).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PageAssembler, type EventRecord } from '../../../log/writer/page-assembler.ts';
import { decodeEventPage } from '../../../log/codec/event-page.ts';
import { decodeFeaturePage } from '../../../log/codec/feature-page.ts';
import { normaliseSessionMeta } from '../../../log/session-meta.ts';
import { resolveSessionLogOptions } from '../../../log/options.ts';
import { MAX_CHUNK_VALUE_BYTES, MAX_RECORD_BYTES } from '../../../log/limits.ts';

const SR = 48000;
const meta = normaliseSessionMeta({
  wallStartMs: 1_700_000_000_000, audioStartTimeS: 0, sampleRateHz: SR, pluginVersion: '1',
  features: { names: ['rms', 'zcr'], hopSamples: 480 },
});
const options = { pageSeconds: 1, maxPageBytes: 256 * 1024, featureEncoding: 'f32' as const };

const note = (timeS: number, status = 0x90): EventRecord => ({
  kind: 'midi', direction: 'in', source: 'host', bytes: Uint8Array.of(status, 60, 100), audioTimeS: timeS, frame: timeS * SR, wallTimeMs: 1_700_000_000_000 + timeS * 1000,
});

/** Frames `from … from + n - 1`, each feature = hop index + feature index / 10. */
const frames = (from: number, n: number): Float32Array => Float32Array.from({ length: n * 2 }, (_, i) => from + Math.floor(i / 2) + (i % 2) / 10);

test('feature chunks close at pageSeconds of frames and take the events page with them', () => {
  const a = new PageAssembler(meta, options, () => 0);
  assert.equal(a.chunkFrames, 100, '1 s at 480-sample hops, 48 kHz');
  a.appendEvent(note(0.5));
  assert.equal(a.appendFeatures(0, frames(0, 150), 150), undefined);
  const pages = a.takePages(-Infinity);
  assert.deepEqual(pages.map((p) => [p.type, p.pageSeq, p.final]), [['features', 1, true], ['events', 0, true]]);
  const chunk = decodeFeaturePage(pages[0].body, 'chunk').record;
  assert.equal(chunk.frameCount, 100);
  assert.equal(chunk.firstHopIndex, 0);
  assert.deepEqual(chunk.values.subarray(0, 4), Float32Array.of(0, 0.1, 1, 1.1));
  assert.equal(pages[0].featureFrames, 100);
  assert.equal(pages[0].t1S, 99 * 0.01);
  assert.deepEqual(decodeEventPage(pages[1].body, 'events').map((s) => s.record), [note(0.5)]);
  assert.equal(a.hasUnsaved, true, 'the second chunk is open with 50 frames');
});

test('a gap in the hop index starts a new chunk; records are numbered in append order', () => {
  const a = new PageAssembler(meta, options, () => 0);
  a.appendFeatures(0, frames(0, 10), 10);
  a.appendEvent(note(0.05));
  a.appendFeatures(500, frames(500, 10), 10);
  a.closeOpenPages();
  const pages = a.takePages(-Infinity);
  assert.deepEqual(pages.map((p) => [p.type, p.pageSeq]), [['features', 0], ['events', 1], ['features', 2]]);
  assert.deepEqual(pages.map((p) => p.final), [true, true, true]);
  assert.equal(decodeFeaturePage(pages[0].body, 'a').seq, 0);
  assert.equal(decodeEventPage(pages[1].body, 'b')[0].seq, 1);
  assert.equal(decodeFeaturePage(pages[2].body, 'c').record.firstHopIndex, 500);
  assert.equal(a.hasUnsaved, false);
});

test('open pages are snapshotted only once their oldest unsaved data is old enough, and again after new data', () => {
  let now = 1000;
  const a = new PageAssembler(meta, options, () => now);
  a.appendEvent(note(0.1));
  now = 1200;
  a.appendFeatures(0, frames(0, 5), 5);
  assert.deepEqual(a.takePages(999), [], 'nothing is old enough');
  const first = a.takePages(1000);
  assert.deepEqual(first.map((p) => [p.type, p.final]), [['events', false]], 'the events page got its data at 1000, the chunk at 1200');
  assert.deepEqual(a.takePages(1000), [], 'a snapshot is taken once');
  const second = a.takePages(Infinity);
  assert.deepEqual(second.map((p) => [p.type, p.final]), [['features', false]]);
  now = 1500;
  a.appendEvent(note(0.2));
  const third = a.takePages(Infinity);
  assert.equal(decodeEventPage(third[0].body, 'e').length, 2, 'a snapshot holds the whole open page');
  a.markOpenPagesUnsaved();
  assert.deepEqual(a.takePages(Infinity).map((p) => p.type), ['events', 'features'], 'after a lost database both are written again');
});

test('an events page closes by itself after two pageSeconds of audio or maxPageBytes of records', () => {
  const a = new PageAssembler(meta, options, () => 0);
  a.appendEvent(note(0));
  a.appendEvent(note(1.5));
  assert.equal(a.hasClosedPages, false);
  a.appendEvent(note(2));
  assert.equal(a.hasClosedPages, true);
  const small = new PageAssembler(meta, { ...options, maxPageBytes: 1024 }, () => 0);
  for (let i = 0; i < 200; i++) small.appendEvent(note(i / 1000));
  const pages = small.takePages(-Infinity);
  assert.ok(pages.length >= 2, `${pages.length} pages`);
  assert.ok(pages.every((p) => p.body.length < 1024 + 64));
});

test('music records are counted; a record that cannot be encoded is refused and leaves no trace', () => {
  const a = new PageAssembler(meta, options, () => 0);
  a.appendEvent(note(0));
  a.appendEvent(note(0.1, 0xf8));
  a.appendEvent({ kind: 'marker', label: 'here', audioTimeS: 0.2, frame: 9600, wallTimeMs: 1 });
  assert.equal(a.musicRecords, 2, 'the note and the marker; MIDI clock is not music');
  const refused = a.appendEvent({ kind: 'model', model: 'm', call: 'c', detail: { when: new Date(0) }, audioTimeS: 0.3, frame: 14400, wallTimeMs: 1 });
  assert.match(refused ?? '', /^model record: /);
  a.closeOpenPages();
  const [page] = a.takePages(-Infinity);
  assert.equal(decodeEventPage(page.body, 'p').length, 3);
  assert.deepEqual(decodeEventPage(page.body, 'p').map((s) => s.seq), [0, 1, 2]);
});

test('bad feature arguments are refused with a message, and a chunk never passes its value limit', () => {
  const a = new PageAssembler(meta, options, () => 0);
  assert.match(a.appendFeatures(1.5, new Float32Array(2), 1) ?? '', /must be integers/);
  assert.match(a.appendFeatures(0, new Float32Array(3), 2) ?? '', /expected a Float32Array of at least 2 × 2 values, got 3/);
  assert.equal(a.hasUnsaved, false);
  const wide = normaliseSessionMeta({ ...meta, features: { names: Array.from({ length: 60000 }, (_, i) => `f${i}`), hopSamples: 480 } });
  const big = new PageAssembler(wide, { ...options, pageSeconds: 10 }, () => 0);
  assert.equal(big.chunkFrames, Math.floor(MAX_CHUNK_VALUE_BYTES / (4 * 60000)));
});

test('a record over the 32 MiB record maximum is refused, and maxPageBytes is capped at 16 MiB', () => {
  const a = new PageAssembler(meta, options, () => 0);
  const dump = new Uint8Array(MAX_RECORD_BYTES + 16);
  dump[0] = 0xf0;
  dump[dump.length - 1] = 0xf7;
  const refused = a.appendEvent({ kind: 'midi', direction: 'in', source: 'host', bytes: dump, audioTimeS: 0, frame: 0, wallTimeMs: 1 });
  assert.match(refused ?? '', new RegExp(`^midi record: the record takes \\d+ bytes, over the ${MAX_RECORD_BYTES}-byte record maximum`));
  assert.equal(a.hasUnsaved, false);
  assert.equal(a.musicRecords, 0);
  assert.equal(resolveSessionLogOptions({ maxPageBytes: 1e12 }).maxPageBytes, 16 * 1024 * 1024);
});
