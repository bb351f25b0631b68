/**
 * The bridge protocol codec against the shared vectors
 * (protocol/bridge-vectors.txt, also passed by the C codec): each line's hex
 * decodes to its canonical text, and re-encodes to the same hex unless the
 * line is marked decode-only. Plus the decoder's never-throw boundary.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  BRIDGE_MAX_BODY_BYTES, decodeBridgeMessage, encodeBridgeMessage, paramIdOf, type BridgeMessage, type DecodeResult,
} from '../../protocol/bridge.ts';
import { PARAMETERS } from '../../protocol/parameters.ts';

const VECTORS = new URL('../../protocol/bridge-vectors.txt', import.meta.url);

/** The canonical text of protocol/bridge-vectors.txt's header. */
function canonical(result: DecodeResult): string {
  if (!result.ok) return result.error === 'unknown' ? `UNKNOWN type=${result.typeCode}` : 'MALFORMED';
  const m: BridgeMessage = result.message;
  const data = (d: number[]): string => `size=${d.length} data=${d.map((b) => b.toString(16).padStart(2, '0')).join(',')}`;
  switch (m.type) {
    case 'HELLO': return `HELLO sample_rate_hz=${m.sampleRateHz} max_block_frames=${m.maxBlockFrames} instance_nonce=${m.instanceNonce} host=${m.host}`;
    case 'TRANSPORT':
      return `TRANSPORT block_sample_time=${m.blockSampleTime} song_pos_beats=${m.songPosBeats} bar_start_beats=${m.barStartBeats} tempo_bpm=${m.tempoBpm}`
        + ` loop_start_beats=${m.loopStartBeats} loop_end_beats=${m.loopEndBeats} ts_num=${m.tsNum} ts_denom=${m.tsDenom} flags=${m.flags}`;
    case 'MIDI_IN': return `MIDI_IN sample_time=${m.sampleTime} song_pos_beats=${m.songPosBeats} ${data(m.data)}`;
    case 'PARAM': return `PARAM param_id=${m.paramId} value=${m.value}`;
    case 'STATE_GET': return `STATE_GET request_id=${m.requestId}`;
    case 'STATE': return `STATE request_id=${m.requestId} json=${m.json}`;
    case 'STATE_SET': return `STATE_SET json=${m.json}`;
    case 'PING': return `PING ping_id=${m.pingId} native_time_ns=${m.nativeTimeNs}`;
    case 'PONG': return `PONG ping_id=${m.pingId} native_time_ns=${m.nativeTimeNs}`;
    case 'STATS': return `STATS exact=${m.exact} late=${m.late} dropped=${m.dropped} overflow=${m.overflow} round_trip_ms=${m.roundTripMs}`;
    case 'MIDI_OUT': return `MIDI_OUT song_pos_beats=${m.songPosBeats} ${data(m.data)}`;
    case 'ALL_NOTES_OFF': return 'ALL_NOTES_OFF';
  }
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const unhex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));

interface Vector { line: number; hex: string; text: string; decodeOnly: boolean }
const vectors: Vector[] = readFileSync(VECTORS, 'utf8').split('\n').flatMap((raw, i) => {
  if (raw.trim() === '' || raw.startsWith('#')) return [];
  const [h, text, flag] = raw.split('\t');
  return [{ line: i + 1, hex: h, text, decodeOnly: flag === 'decode-only' }];
});

test('the shared vectors file has vectors of every message type, unknown and malformed', () => {
  const names = new Set(vectors.map((v) => v.text.split(' ')[0]));
  for (const n of ['HELLO', 'TRANSPORT', 'MIDI_IN', 'PARAM', 'STATE_GET', 'STATE', 'STATE_SET', 'PING', 'PONG', 'STATS', 'MIDI_OUT', 'ALL_NOTES_OFF', 'UNKNOWN', 'MALFORMED']) {
    assert.ok(names.has(n), `no vector for ${n}`);
  }
});

test('every vector decodes to its canonical text', () => {
  for (const v of vectors) assert.equal(canonical(decodeBridgeMessage(unhex(v.hex))), v.text, `line ${v.line}`);
});

test('every decoded message re-encodes to the same bytes (unless decode-only)', () => {
  let checked = 0;
  for (const v of vectors) {
    const r = decodeBridgeMessage(unhex(v.hex));
    if (!r.ok || v.decodeOnly) continue;
    assert.equal(hex(encodeBridgeMessage(r.message)), v.hex, `line ${v.line}`);
    checked++;
  }
  assert.ok(checked >= 20, `only ${checked} vectors re-encoded`);
});

test('decoding reads from a view into a larger buffer', () => {
  const inner = unhex('1101000000000000');
  const outer = new Uint8Array(20);
  outer.set(inner, 5);
  assert.equal(canonical(decodeBridgeMessage(outer.subarray(5, 13))), 'ALL_NOTES_OFF');
});

test('the decoder never throws on random or truncated input', () => {
  let seed = 12345;
  const rand = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const valid = vectors.filter((v) => !v.text.startsWith('MALFORMED')).map((v) => unhex(v.hex));
  for (let i = 0; i < 5000; i++) {
    const base = valid[Math.floor(rand() * valid.length)];
    const bytes = base.slice(0, Math.floor(rand() * (base.length + 2)));
    if (bytes.length > 0 && rand() < 0.5) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
    const r = decodeBridgeMessage(bytes);
    assert.equal(typeof r.ok, 'boolean');
  }
});

test('a body over 1 MiB is malformed on decode and refused on encode', () => {
  const big = new Uint8Array(8 + BRIDGE_MAX_BODY_BYTES + 1);
  big.set([0x07, 1, 0, 0]);
  new DataView(big.buffer).setUint32(4, BRIDGE_MAX_BODY_BYTES + 1, true);
  assert.deepEqual(decodeBridgeMessage(big).ok, false);
  assert.throws(() => encodeBridgeMessage({ type: 'STATE_SET', json: 'x'.repeat(BRIDGE_MAX_BODY_BYTES + 1) }), RangeError);
  assert.equal(encodeBridgeMessage({ type: 'STATE_SET', json: 'x'.repeat(BRIDGE_MAX_BODY_BYTES) }).length, 8 + BRIDGE_MAX_BODY_BYTES);
});

test('the encoder refuses fields it cannot write', () => {
  assert.throws(() => encodeBridgeMessage({ type: 'MIDI_OUT', songPosBeats: 0, data: [] }), RangeError);
  assert.throws(() => encodeBridgeMessage({ type: 'MIDI_OUT', songPosBeats: 0, data: [0x90, 60, 64, 0] }), RangeError);
  assert.throws(() => encodeBridgeMessage({ type: 'MIDI_OUT', songPosBeats: 0, data: [0x190] }), RangeError);
  assert.throws(() => encodeBridgeMessage({ type: 'PONG', pingId: -1, nativeTimeNs: 0n }), RangeError);
  assert.throws(() => encodeBridgeMessage({ type: 'PONG', pingId: 1, nativeTimeNs: 1n << 64n }), RangeError);
  assert.throws(() => encodeBridgeMessage({ type: 'HELLO', sampleRateHz: 1, maxBlockFrames: 1, instanceNonce: 1, host: 'é'.repeat(129) }), RangeError);
});

test('parameter ids are the FNV-1a hashes the native table holds', () => {
  const table = readFileSync(new URL('../../bridge/native/params_table.h', import.meta.url), 'utf8');
  for (const p of PARAMETERS) {
    const row = new RegExp(`\\{0x([0-9a-f]+)u, "${p.id}"`).exec(table);
    assert.ok(row, `no row for ${p.id}`);
    assert.equal(paramIdOf(p.id), parseInt(row[1], 16), p.id);
  }
  assert.equal(paramIdOf(''), 0x811c9dc5);
  assert.equal(paramIdOf('a'), 0xe40c292c);
});
