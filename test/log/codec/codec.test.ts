// Unit tests of the log's binary codecs (pure code, run in Node).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteReader, ByteWriter } from '../../../log/codec/bytes.ts';
import { crc32 } from '../../../log/codec/crc32.ts';
import { readValue, writeValue } from '../../../log/codec/value.ts';
import { EventPageBuilder, decodeEventPage } from '../../../log/codec/event-page.ts';
import { decodeFeaturePage, encodeFeaturePage, quantisationError } from '../../../log/codec/feature-page.ts';
import { decodePage, encodePage, openPage } from '../../../log/codec/page.ts';
import type { LogRecord } from '../../../log/records.ts';

test('varints round-trip every magnitude up to 2^53 and zigzag keeps signs', () => {
  const out = new ByteWriter(4);
  const unsigned = [0, 1, 127, 128, 300, 2 ** 31, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER];
  const signed = [0, -1, 1, -64, 64, -(2 ** 40), 2 ** 52, -(2 ** 52)];
  for (const v of unsigned) out.varuint(v);
  for (const v of signed) out.varint(v);
  const input = new ByteReader(out.toBytes(), 'test');
  for (const v of unsigned) assert.equal(input.varuint(), v);
  for (const v of signed) assert.equal(input.varint(), v);
  input.end();
});

test('the reader refuses to read past the end with a message naming the data', () => {
  const input = new ByteReader(new Uint8Array([1, 2]), 'page 7');
  assert.throws(() => input.f64(), /page 7: truncated, needed 8 more byte\(s\) at offset 0 of 2/);
});

test('crc32 matches the standard check value', () => {
  assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
  assert.equal(crc32(new Uint8Array(0)), 0);
});

test('tagged values round-trip exactly, including -0, NaN, infinities and typed arrays', () => {
  const value = {
    a: null, b: true, c: false, d: -0, e: NaN, f: Infinity, g: -Infinity, h: 1.5, i: 2 ** 60, j: -12345,
    s: 'héllo ✓', arr: [1, 'x', [2, { y: 3 }]], f32: new Float32Array([1.5, -2, NaN]), f64: new Float64Array([Math.PI]),
    u8: new Uint8Array([0, 255]), i32: new Int32Array([-5, 2 ** 31 - 1]), i16: new Int16Array([-32768, 7]), u16: new Uint16Array([65535]),
  };
  const out = new ByteWriter();
  writeValue(out, value);
  const back = readValue(new ByteReader(out.toBytes(), 'v'));
  assert.deepEqual(back, value);
  assert.ok(Object.is((back as { d: number }).d, -0));
});

test('tagged values drop undefined properties and refuse functions and class instances', () => {
  const out = new ByteWriter();
  writeValue(out, { a: 1, b: undefined });
  assert.deepEqual(readValue(new ByteReader(out.toBytes(), 'v')), { a: 1 });
  assert.throws(() => writeValue(new ByteWriter(), { f: () => 1 }), /cannot store a value of type function/);
  assert.throws(() => writeValue(new ByteWriter(), new Map()), /cannot store a value of type Map/);
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.throws(() => writeValue(new ByteWriter(), cyclic), /nested deeper/);
});

test('a stored "__proto__" key reads back as data, not as a prototype', () => {
  const out = new ByteWriter();
  writeValue(out, JSON.parse('{"__proto__": {"polluted": true}}'));
  const back = readValue(new ByteReader(out.toBytes(), 'v')) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(back), Object.prototype);
  assert.deepEqual(Object.keys(back), ['__proto__']);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

const SR = 48000;
function sampleEvents(): Exclude<LogRecord, { kind: 'features' }>[] {
  return [
    { kind: 'midi', direction: 'in', source: 'host', bytes: new Uint8Array([0x90, 60, 100]), audioTimeS: 48000 / SR, frame: 48000, wallTimeMs: 1_700_000_000_000 },
    { kind: 'midi', direction: 'out', source: 'generated', bytes: new Uint8Array([0x80, 60, 0]), audioTimeS: 1.25, frame: 60000, wallTimeMs: 1_700_000_000_250.5 },
    { kind: 'midi', direction: 'in', source: 'webmidi', bytes: new Uint8Array([0xf0, 0x7e, 1, 2, 3, 0xf7]), audioTimeS: 1.3, frame: 62400.25, wallTimeMs: 1_700_000_000_300 },
    { kind: 'param', id: 'temperature', value: 0.8, audioTimeS: 1.4, frame: 67200, wallTimeMs: 1_700_000_000_400, source: 'gui' },
    { kind: 'param', id: 'mode', value: 2, audioTimeS: 1.41, frame: 67680, wallTimeMs: 1_700_000_000_410 },
    { kind: 'note', source: 'audio-notes', pitch: 64, velocity: 90, durationS: 0.31, confidence: 0.9, audioTimeS: 1.5, frame: 72000, wallTimeMs: 1_700_000_000_500 },
    { kind: 'analysis', tempoBpm: 121.5, keyRoot: 9, keyScale: 'minor', audioTimeS: 2, frame: 96000, wallTimeMs: 1_700_000_001_000 },
    {
      kind: 'model', model: 'melody', call: 'encode', latent: new Float32Array([0.1, -0.2, 3]), elapsedMs: 12.5, audioTimeS: 2.1, frame: 100800, wallTimeMs: 1_700_000_001_100,
      input: { source: 'host-midi', notes: [{ pitch: 60, velocity: 100, startBeats: 0, durationBeats: 0.5 }], lengthBeats: 8, tempoBpm: 120, beatsPerBar: 4 },
      detail: { temperature: 0.8, tags: ['a'] },
    },
    { kind: 'transport', playing: true, tempoBpm: 120, timeSigNumerator: 4, timeSigDenominator: 4, currentBar: 3, currentBarStartedS: 1.9, audioTimeS: 2.2, frame: 105600, wallTimeMs: 1_700_000_001_200 },
    { kind: 'marker', label: 'chorus ✓', color: '#f80', audioTimeS: -0, frame: -0, wallTimeMs: -1.5 },
    { kind: 'midi', direction: 'in', source: 'host', bytes: new Uint8Array([0xf8]), audioTimeS: 0.5, frame: 2 ** 53 + 2, wallTimeMs: 3 },
  ];
}

test('an events page round-trips every kind and every number exactly', () => {
  const builder = new EventPageBuilder(SR);
  const records = sampleEvents();
  records.forEach((r, i) => builder.append(10 + i * 3, r));
  assert.equal(builder.count, records.length);
  assert.equal(builder.kindCounts.midi, 4);
  assert.equal(builder.t0S, -0);
  assert.equal(builder.t1S, 2.2);
  const back = decodeEventPage(builder.body(), 'p');
  assert.deepEqual(back.map((s) => s.seq), records.map((_, i) => 10 + i * 3));
  assert.deepEqual(back.map((s) => s.record), records);
  const marker = back[9].record;
  assert.ok(Object.is(marker.audioTimeS, -0) && Object.is(marker.frame, -0));
});

test('an events page stays compact: a MIDI note message costs about 10 bytes', () => {
  const builder = new EventPageBuilder(SR);
  for (let i = 0; i < 1000; i++) {
    const frame = 48000 + i * 480;
    builder.append(i, { kind: 'midi', direction: 'in', source: 'host', bytes: new Uint8Array([0x90, 60 + (i % 12), 90]), audioTimeS: frame / SR, frame, wallTimeMs: 1_700_000_000_000 + i * 10 });
  }
  const bytesPerRecord = builder.body().length / 1000;
  assert.ok(bytesPerRecord < 12, `bytes per MIDI record: ${bytesPerRecord}`);
});

test('a record that cannot be encoded leaves the page as it was', () => {
  const builder = new EventPageBuilder(SR);
  builder.append(0, sampleEvents()[0]);
  const before = builder.body();
  assert.throws(() => builder.append(1, { kind: 'model', model: 'm', call: 'x', detail: { bad: Symbol('s') }, audioTimeS: 9, frame: 1, wallTimeMs: 2 } as LogRecord as Exclude<LogRecord, { kind: 'features' }>));
  assert.equal(builder.count, 1);
  assert.deepEqual(builder.body(), before);
  builder.append(1, sampleEvents()[1]);
  assert.deepEqual(decodeEventPage(builder.body(), 'p').map((s) => s.record), sampleEvents().slice(0, 2));
});

function chunk(frames: number, features: number, fill: (i: number, j: number) => number) {
  const values = new Float32Array(frames * features);
  for (let i = 0; i < frames; i++) for (let j = 0; j < features; j++) values[i * features + j] = fill(i, j);
  return { audioTimeS: 1.5, frame: 72000, wallTimeMs: 1_700_000_000_000.25, firstHopIndex: 140, frameCount: frames, featureCount: features, values };
}

test('a features page in f32 is bit-exact, NaN and infinities included', () => {
  const c = chunk(94, 36, (i, j) => (j === 3 && i === 5 ? NaN : j === 4 && i === 6 ? -Infinity : Math.sin(i * 0.1 + j) * 10 ** (j % 5)));
  const back = decodeFeaturePage(encodeFeaturePage(77, c, 'f32'), 'p');
  assert.equal(back.seq, 77);
  assert.equal(back.encoding, 'f32');
  assert.deepEqual(back.record, { kind: 'features', ...c });
});

for (const encoding of ['u16', 'u12'] as const) {
  test(`a features page in ${encoding} is within its error bound, and exact for chunk extremes, two-valued features and non-finite values`, () => {
    const fill = (i: number, j: number): number =>
      j === 0 ? 3.25
        : j === 1 ? (i === 3 ? Infinity : i === 4 ? NaN : i === 5 ? -Infinity : i)
          : j === 2 ? Math.cos(i) * 1e-4
            : j === 3 ? 20000 * Math.abs((Math.sin(i * 12.9898) * 43758.5453) % 1)
              : j === 4 ? (i % 3 === 0 ? 1 : 0)
                : -i * 0.5;
    const c = chunk(94, 6, fill);
    const body = encodeFeaturePage(1, c, encoding);
    const back = decodeFeaturePage(body, 'p');
    assert.equal(back.encoding, encoding);
    const bound = quantisationError(encoding);
    for (let j = 0; j < 6; j++) {
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < 94; i++) {
        const v = c.values[i * 6 + j];
        if (Number.isFinite(v)) { min = Math.min(min, v); max = Math.max(max, v); }
      }
      const tolerance = (max - min) * bound + Math.max(Math.abs(max), Math.abs(min)) * 2 ** -23;
      for (let i = 0; i < 94; i++) {
        const v = c.values[i * 6 + j];
        const got = back.record.values[i * 6 + j];
        if (!Number.isFinite(v) || v === min || v === max) assert.ok(Object.is(v, got), `feature ${j} frame ${i}: ${v} became ${got} (should be exact)`);
        else assert.ok(Math.abs(got - v) <= tolerance, `feature ${j} frame ${i}: ${v} became ${got}, tolerance ${tolerance}`);
      }
    }
    // Raw sizes before deflate: 2 or 1.5 bytes a value, plus min and max per feature.
    const perValue = encoding === 'u16' ? 2 : 1.5;
    assert.ok(body.length <= 94 * 6 * perValue + 6 * 8 + 48, `${encoding} page is ${body.length} bytes`);
  });
}

test('quantisation bounds: u16 is 16 times finer than u12, f32 is exact', () => {
  assert.equal(quantisationError('f32'), 0);
  assert.equal(quantisationError('u16'), 1 / 131064);
  assert.equal(quantisationError('u12'), 1 / 8184);
});

test('a u12 page with an odd number of codes packs and unpacks its last high nibble', () => {
  const c = chunk(3, 3, (i, j) => i * 1000 + j * 7);
  const back = decodeFeaturePage(encodeFeaturePage(0, c, 'u12'), 'p').record.values;
  assert.deepEqual(Array.from(back), Array.from(c.values));
});

test('a features page refuses a body whose counts do not match its size', () => {
  const body = encodeFeaturePage(1, chunk(10, 3, (i, j) => i + j), 'u16');
  assert.throws(() => decodeFeaturePage(body.subarray(0, body.length - 1), 'page 4'), /page 4: 10 frames of 3 features need 84 bytes of values, the page has 83/);
  const bad = body.slice();
  bad[1] = 9;
  assert.throws(() => decodeFeaturePage(bad, 'page 4'), /unknown feature encoding 9 \(expected 0 = f32, 1 = u16 or 2 = u12\)/);
});

test('page envelopes deflate, round-trip, and refuse corrupt or truncated data', async () => {
  const builder = new EventPageBuilder(SR);
  sampleEvents().forEach((r, i) => builder.append(i, r));
  const body = builder.body();
  const packed = await encodePage('events', body, true);
  const plain = await encodePage('events', body, false);
  assert.equal(plain.length, body.length + 8);
  assert.deepEqual((await openPage(packed, 'p')).body, body);
  const decoded = await decodePage(packed, 'p');
  assert.equal(decoded.type, 'events');
  assert.deepEqual(decoded.records.map((s) => s.record), sampleEvents());
  assert.equal(decoded.kindCounts.midi, 4);
  assert.equal(packed[2], 1, 'Node has CompressionStream, so the page is deflated');
  assert.ok(packed.length < plain.length);
  const flipped = packed.slice();
  flipped[flipped.length - 3] ^= 0x55;
  await assert.rejects(decodePage(flipped, 'page 2'), /page 2/);
  await assert.rejects(decodePage(packed.subarray(0, packed.length - 10), 'page 2'), /page 2/);
  const wrongType = plain.slice();
  wrongType[0] = 0x51;
  await assert.rejects(decodePage(wrongType, 'page 3'), /page 3: unknown page type byte 0x51/);
  await assert.rejects(decodePage(plain.subarray(0, plain.length - 2), 'page 3'), /page 3: body is \d+ bytes, the envelope says \d+/);
});
