// Unit tests of the log's boundary checks and settings: session meta, records, options, retention planning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSessionName, normaliseSessionMeta } from '../../log/session-meta.ts';
import { MAX_SESSION_NAME_LENGTH } from '../../log/limits.ts';
import { recordProblem } from '../../log/validate-record.ts';
import { defaultSessionLogOptions, resolveSessionLogOptions } from '../../log/options.ts';
import { describeRetention, planRetention } from '../../log/retention.ts';
import { rowHasMusic, summarise, STALE_RECORDING_MS, type SessionSummary } from '../../log/catalog.ts';
import { newSessionId } from '../../log/session-id.ts';
import { defaultSessionName } from '../../log/session-log.ts';
import { emptyKindCounts, isMusicRecord } from '../../log/records.ts';
import type { SessionRow } from '../../log/db.ts';

test('session meta gets its defaults and an opaque state is copied through JSON', () => {
  const state = { params: { mode: 1 }, when: new Date(0) };
  const meta = normaliseSessionMeta({ wallStartMs: 5, audioStartTimeS: 0.5, sampleRateHz: 44100, pluginVersion: '1', stateAtStart: state });
  assert.deepEqual(meta, {
    wallStartMs: 5, audioStartTimeS: 0.5, audioStartFrame: 22050, sampleRateHz: 44100, pluginVersion: '1', host: {},
    stateAtStart: { params: { mode: 1 }, when: '1970-01-01T00:00:00.000Z' },
    features: { names: [], hopSamples: 512, sampleRateHz: 44100, originFrame: 22050 },
  });
  assert.notEqual(meta.stateAtStart, state);
});

test('malformed session meta is refused naming the field, what was expected and what arrived', () => {
  const ok = { wallStartMs: 1, audioStartTimeS: 0, sampleRateHz: 48000, pluginVersion: '1' };
  assert.throws(() => normaliseSessionMeta(null), /session meta: expected an object, got null/);
  assert.throws(() => normaliseSessionMeta({ ...ok, sampleRateHz: 0 }), /sampleRateHz must be > 0, got 0/);
  assert.throws(() => normaliseSessionMeta({ ...ok, wallStartMs: NaN }), /wallStartMs must be a finite number, got number NaN/);
  assert.throws(() => normaliseSessionMeta({ ...ok, pluginVersion: 3 }), /pluginVersion must be a string, got number 3/);
  assert.throws(() => normaliseSessionMeta({ ...ok, features: { names: ['a', 2] } }), /features.names must be an array of strings, got an array of 2/);
  assert.throws(() => normaliseSessionMeta({ ...ok, features: { hopSamples: -1 } }), /features.hopSamples must be > 0, got -1/);
  assert.throws(() => normaliseSessionMeta({ ...ok, host: { big: 10n } }), /host must be JSON-serialisable/);
});

test('records are checked kind by kind', () => {
  const t = { audioTimeS: 1, frame: 48000, wallTimeMs: 1 };
  assert.equal(recordProblem({ kind: 'midi', direction: 'in', source: 'host', bytes: Uint8Array.of(0xf8), ...t }), undefined);
  assert.equal(recordProblem({ kind: 'analysis', ...t }), undefined);
  assert.match(recordProblem({ kind: 'midi', direction: 'sideways', source: 'host', bytes: Uint8Array.of(1), ...t }) ?? '', /direction must be 'in' or 'out', got the string "sideways"/);
  assert.match(recordProblem({ kind: 'midi', direction: 'in', source: 'host', bytes: [0x90, 1, 2], ...t }) ?? '', /bytes must be a non-empty Uint8Array, got an array of 3/);
  assert.match(recordProblem({ kind: 'param', id: 'x', value: 1, ...t, frame: Infinity }) ?? '', /param record: frame must be a finite number/);
  assert.match(recordProblem({ kind: 'features', firstHopIndex: 0, frameCount: 2, featureCount: 3, values: new Float32Array(5), ...t }) ?? '', /values has 5 numbers, expected frameCount × featureCount = 6/);
  assert.match(recordProblem({ kind: 'transport', playing: 'yes', ...t }) ?? '', /playing must be a boolean/);
  assert.match(recordProblem({ kind: 'model', model: 'm', call: 'c', latent: [1], ...t }) ?? '', /latent must be a Float32Array or absent/);
  assert.match(recordProblem({ kind: 'marker', ...t }) ?? '', /label must be a string, got nothing/);
  assert.match(recordProblem('midi') ?? '', /expected a record object/);
});

test('options fill defaults and clamp out-of-range numbers', () => {
  assert.deepEqual(resolveSessionLogOptions(), defaultSessionLogOptions());
  const o = resolveSessionLogOptions({ flushIntervalMs: 1, maxMemoryBytes: -5, featureEncoding: 'f64' as never, retention: { maxSessions: 0, maxBytes: 10 } });
  assert.equal(o.flushIntervalMs, 10);
  assert.equal(o.maxMemoryBytes, 0);
  assert.equal(o.featureEncoding, 'u12');
  assert.deepEqual(o.retention, { maxSessions: 1, maxBytes: 10 });
  assert.equal(o.dbName, 'deep-improv-log');
  assert.equal(o.quotaBytes, Infinity);
});

const summary = (id: string, startWallMs: number, storedBytes: number, state: SessionSummary['state'] = 'closed', more: Partial<SessionSummary> = {}): SessionSummary => ({
  id, name: id, state, startWallMs, durationS: 1, counts: emptyKindCounts(), featureFrames: 0, storedBytes, droppedRecords: 0, pluginVersion: '1',
  hasMusic: true, importedWallMs: undefined, ...more,
});

test('retention deletes the oldest closed sessions until both limits hold, never a live or kept one', () => {
  const sessions = [summary('a', 1, 100), summary('b', 2, 100, 'recording'), summary('c', 3, 100, 'interrupted'), summary('d', 4, 100), summary('e', 5, 100)];
  assert.deepEqual(planRetention(sessions, { maxSessions: 10, maxBytes: 1000 }, new Set()), []);
  assert.deepEqual(planRetention(sessions, { maxSessions: 3, maxBytes: 1000 }, new Set()), ['a', 'c']);
  assert.deepEqual(planRetention(sessions, { maxSessions: 10, maxBytes: 250 }, new Set(['a'])), ['c', 'd', 'e']);
  assert.deepEqual(planRetention(sessions, { maxSessions: 1, maxBytes: 0 }, new Set()), ['a', 'c', 'd', 'e']);
});

test('retention deletes sessions without music first, and counts an imported session from its import time', () => {
  const empty = (id: string, at: number) => summary(id, at, 10, 'closed', { hasMusic: false });
  const sessions = [summary('music-old', 1, 100), empty('empty-1', 2), empty('empty-2', 3), summary('music-new', 4, 100), empty('live-empty', 5)];
  assert.deepEqual(planRetention(sessions, { maxSessions: 3, maxBytes: Infinity }, new Set(['live-empty'])), ['empty-1', 'empty-2']);
  assert.deepEqual(planRetention(sessions, { maxSessions: 2, maxBytes: Infinity }, new Set(['live-empty'])), ['empty-1', 'empty-2', 'music-old']);
  const imported = [summary('reimported', 1, 100, 'closed', { importedWallMs: 10 }), summary('b', 2, 100), summary('c', 3, 100)];
  assert.deepEqual(planRetention(imported, { maxSessions: 2, maxBytes: Infinity }, new Set()), ['b']);
  assert.equal(describeRetention({ maxSessions: 50, maxBytes: 512 * 1024 * 1024 }), 'keeps the newest 50 sessions and 512 MiB; sessions without music go first');
});

test('music is notes, markers and MIDI channel or sysex messages, not clock, features or parameters', () => {
  const t = { audioTimeS: 0, frame: 0, wallTimeMs: 0 };
  const midi = (...bytes: number[]) => ({ kind: 'midi' as const, direction: 'in' as const, source: 'host', bytes: Uint8Array.from(bytes), ...t });
  assert.equal(isMusicRecord(midi(0x90, 60, 100)), true);
  assert.equal(isMusicRecord(midi(0xb0, 1, 2)), true);
  assert.equal(isMusicRecord(midi(0xf0, 1, 0xf7)), true);
  assert.equal(isMusicRecord(midi(0xf8)), false, 'MIDI clock');
  assert.equal(isMusicRecord(midi(0xfe)), false, 'active sensing');
  assert.equal(isMusicRecord({ kind: 'note', source: 'audio-notes', pitch: 60, velocity: 90, durationS: 0.5, ...t }), true);
  assert.equal(isMusicRecord({ kind: 'marker', label: 'x', ...t }), true);
  assert.equal(isMusicRecord({ kind: 'param', id: 'x', value: 1, ...t }), false);
  assert.equal(isMusicRecord({ kind: 'features', firstHopIndex: 0, frameCount: 1, featureCount: 0, values: new Float32Array(0), ...t }), false);
  const row = { counts: emptyKindCounts() };
  assert.equal(rowHasMusic(row), false);
  assert.equal(rowHasMusic({ counts: { ...emptyKindCounts(), midi: 3 } }), true, 'a row from an older version: its counts decide');
  assert.equal(rowHasMusic({ counts: { ...emptyKindCounts(), midi: 3 }, musicRecords: 0 }), false, 'clock only');
});

test('a recording session that stopped writing shows as interrupted', () => {
  const row: SessionRow = {
    id: 'x', name: 'x', state: 'recording', startWallMs: 500, startAudioTimeS: 2.5, pluginVersion: '1',
    updatedWallMs: 1000, counts: emptyKindCounts(), featureFrames: 0, endAudioTimeS: 12.5, storedBytes: 0, pageCount: 0, droppedRecords: 0,
  };
  assert.equal(summarise(row, 1000 + STALE_RECORDING_MS - 1).state, 'recording');
  assert.equal(summarise(row, 1000 + STALE_RECORDING_MS + 1).state, 'interrupted');
  assert.equal(summarise({ ...row, state: 'closed' }, 1e12).state, 'closed');
  assert.equal(summarise(row).durationS, 10);
});

test('session ids sort by start time and differ between instances starting together', () => {
  const a = newSessionId(1_700_000_000_000);
  const b = newSessionId(1_700_000_000_000);
  assert.match(a, /^[0-9a-z]+-[0-9a-f]{12}$/);
  assert.notEqual(a, b);
  assert.ok(newSessionId(1_700_000_000_000) < newSessionId(1_800_000_000_000));
  assert.match(defaultSessionName(Date.UTC(2025, 2, 1, 12)), /^2025-03-0[12] \d\d:00:00$/);
});

test('a session name is at most 200 characters, wherever it comes from', () => {
  const ok = { wallStartMs: 1, audioStartTimeS: 0, sampleRateHz: 48000, pluginVersion: '1' };
  const huge = 'x'.repeat(8 * 1024 * 1024);
  assert.throws(() => normaliseSessionMeta({ ...ok, name: huge }), /session meta: a session name is at most 200 characters, got 8388608/);
  assert.equal(normaliseSessionMeta({ ...ok, name: `  ${'y'.repeat(200)}  ` }).name, 'y'.repeat(200), 'trimmed first');
  assert.equal(checkSessionName(' take 1 ', 'rename'), 'take 1');
  assert.throws(() => checkSessionName('z'.repeat(201), 'rename'), (e: Error) => e instanceof RangeError && /rename: a session name is at most 200 characters, got 201/.test(e.message));
  assert.throws(() => checkSessionName(5, 'import'), /import: the name must be a string, got number 5/);
  assert.equal(MAX_SESSION_NAME_LENGTH, 200);
});
