import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import LZString from 'lz-string';
import { PARAMETERS } from '../../../protocol/parameters.ts';
import { FACTORY_PRESETS } from '../../../plugin/presets/factory.ts';
import { decompressUriSafe, LZ_URI_ALPHABET } from '../../../plugin/presets/lz-decompress.ts';
import { decodeShareString, encodeShareString, parseShareInput, readPresetFromUrl, SHARE_PREFIX, shareLink } from '../../../plugin/presets/share.ts';
import { defaultState } from '../../../plugin/state/defaults.ts';
import { STATE_LIMITS, type PluginState } from '../../../plugin/state/schema.ts';
import { StateError, validateState } from '../../../plugin/state/validate.ts';
import { Rng, randomValidRaw } from '../state/fuzz-tools.ts';

/** The state a share string should bring back: the same, without device choices. */
function withoutDevices(state: PluginState): PluginState {
  return { ...validateState(state), devices: { midiOutputId: null, midiInputIds: [] } };
}

function throwsState(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (err: unknown) => err instanceof StateError && message.test(err.message));
}

test('share strings are URL-safe, start with the prefix, and round-trip every factory preset', () => {
  for (const p of FACTORY_PRESETS) {
    const s = encodeShareString(p.state);
    assert.ok(s.startsWith(SHARE_PREFIX));
    assert.match(s.slice(SHARE_PREFIX.length), /^[A-Za-z0-9+\-$]+$/);
    assert.equal(encodeURIComponent(s).replace(/%24/g, '$').replace(/%2B/g, '+'), s, 'nothing else needs escaping');
    assert.deepEqual(decodeShareString(s), withoutDevices(p.state), p.id);
  }
});

test('every parameter survives a share-string round trip', () => {
  for (const spec of PARAMETERS) {
    const state = defaultState();
    state.parameters[spec.id] = spec.type === 'float' ? spec.minValue + 0.61 * (spec.maxValue - spec.minValue) : spec.maxValue;
    assert.equal(decodeShareString(encodeShareString(state)).parameters[spec.id], state.parameters[spec.id], spec.id);
  }
});

test('random valid states round-trip through share strings and links (device choices are left out)', () => {
  const rng = new Rng(11);
  for (let i = 0; i < 200; i++) {
    const state = validateState(randomValidRaw(rng));
    assert.deepEqual(decodeShareString(encodeShareString(state)), withoutDevices(state));
    assert.deepEqual(readPresetFromUrl(new URL(shareLink('https://example.test/host/?a=1', state))), withoutDevices(state));
  }
});

test('shareLink puts the string in the fragment and keeps the query', () => {
  const link = new URL(shareLink(new URL('https://host.test/demo/index.html?track=2#old'), FACTORY_PRESETS[1].state));
  assert.equal(link.searchParams.get('track'), '2');
  assert.ok(link.hash.startsWith(`#preset=${SHARE_PREFIX}`));
  assert.equal(readPresetFromUrl(link)?.name, FACTORY_PRESETS[1].name);
});

test('readPresetFromUrl reads #preset= (among other fragment parameters) and ?preset=, and returns null without one', () => {
  const s = encodeShareString(FACTORY_PRESETS[2].state);
  const expected = withoutDevices(FACTORY_PRESETS[2].state);
  assert.deepEqual(readPresetFromUrl(new URL(`https://h.test/#view=pad&preset=${s}&x=1`)), expected);
  // In a query string a '+' arrives as a space; it must still decode (see also the next test).
  assert.deepEqual(readPresetFromUrl(new URL(`https://h.test/?preset=${s}`)), expected);
  assert.deepEqual(readPresetFromUrl(new URL(`https://h.test/?preset=${s.replace(/\+/g, ' ')}`)), expected);
  assert.deepEqual(readPresetFromUrl(new URL(`https://h.test/?preset=${encodeURIComponent(s)}`)), expected);
  // The fragment wins over the query.
  const other = encodeShareString(FACTORY_PRESETS[3].state);
  assert.equal(readPresetFromUrl(new URL(`https://h.test/?preset=${other}#preset=${s}`))?.name, FACTORY_PRESETS[2].name);
  assert.equal(readPresetFromUrl(new URL('https://h.test/?x=1#y=2')), null);
  throwsState(() => readPresetFromUrl(new URL('https://h.test/#preset=nope')), /^share string: expected a Deep Improv share string starting with "di1\."/);
});

test('a "+" that became a space in a query still decodes (strings with "+" exist)', () => {
  const rng = new Rng(5);
  let seen = 0;
  for (let i = 0; i < 200 && seen < 5; i++) {
    const state = validateState(randomValidRaw(rng));
    const s = encodeShareString(state);
    if (!s.includes('+')) continue;
    seen++;
    assert.deepEqual(decodeShareString(s.replace(/\+/g, ' ')), withoutDevices(state));
  }
  assert.ok(seen > 0, 'found share strings containing "+"');
});

test('decode errors say what is wrong', () => {
  const good = encodeShareString(FACTORY_PRESETS[0].state);
  throwsState(() => decodeShareString(''), /^share string: expected a Deep Improv share string starting with "di1\.", got ""$/);
  throwsState(() => decodeShareString(`${SHARE_PREFIX}abc%def`), /^share string: expected only the characters A–Z a–z 0–9 \+ - \$ after "di1\.", got "%" at position 7$/);
  throwsState(() => decodeShareString(good.slice(0, good.length - 20)), /^share string: expected a complete share string, got one that is truncated or corrupt/);
  throwsState(() => decodeShareString(SHARE_PREFIX), /truncated or corrupt/);
  throwsState(() => decodeShareString('x'.repeat(STATE_LIMITS.maxJsonChars + 1)), /^share string: expected at most 2097152 characters, got 2097153$/);
  throwsState(() => decodeShareString(42 as unknown as string), /^share string: expected a string, got 42$/);
  // Valid compression of something that is not a state.
  throwsState(() => decodeShareString(SHARE_PREFIX + LZString.compressToEncodedURIComponent('{"schemaVersion":2,"seed":"x"}')), /^seed: expected an integer/);
  throwsState(() => decodeShareString(SHARE_PREFIX + LZString.compressToEncodedURIComponent('not json')), /^share string: expected JSON text/);
  throwsState(() => decodeShareString(SHARE_PREFIX + LZString.compressToEncodedURIComponent('[2]')), /^share string: expected an object, got an array of 1 items$/);
  // A state without parameters would reset every parameter: not a preset.
  throwsState(() => decodeShareString(SHARE_PREFIX + LZString.compressToEncodedURIComponent('{"schemaVersion":2,"seed":4}')),
    /^parameters: expected the preset's parameters object \(a preset without one would reset every parameter to its default\), got nothing$/);
  assert.deepEqual(decodeShareString(`  ${good}\n`), withoutDevices(FACTORY_PRESETS[0].state), 'surrounding whitespace is ignored');
});

test('a decompression bomb is refused without building its output', () => {
  // The fixture is LZString.compressToEncodedURIComponent('a'.repeat(3_000_000)) (made once: compressing takes seconds).
  const bomb = readFileSync(new URL('../../fixtures/presets/bomb-3m-a.lz.txt', import.meta.url), 'utf8').trim();
  assert.ok(bomb.length < 5000, `bomb is ${bomb.length} characters`);
  assert.equal(LZString.decompressFromEncodedURIComponent(bomb), 'a'.repeat(3_000_000), 'the fixture really is a bomb');
  assert.deepEqual(decompressUriSafe(bomb, STATE_LIMITS.maxJsonChars), { ok: false, reason: 'too-long' });
  throwsState(() => decodeShareString(SHARE_PREFIX + bomb), /^share string: expected at most 2097152 characters once decompressed, got more$/);
});

test('the bounded decoder agrees with lz-string on round trips, truncations and random input', () => {
  const rng = new Rng(21);
  const randomText = (n: number) => Array.from({ length: n }, () => String.fromCharCode(rng.chance(0.9) ? rng.int(32, 126) : rng.int(0, 0xd7ff))).join('');
  let compared = 0;
  for (let i = 0; i < 1500; i++) {
    let encoded: string;
    let original: string | null = null;
    if (i % 3 === 2) {
      encoded = Array.from({ length: rng.int(1, 200) }, () => rng.pick([...LZ_URI_ALPHABET])).join('');
    } else {
      original = i % 2 ? randomText(rng.int(0, 800)) : JSON.stringify(randomValidRaw(rng));
      encoded = LZString.compressToEncodedURIComponent(original);
      if (rng.chance(0.5)) {
        encoded = encoded.slice(0, rng.int(0, encoded.length - 1));
        original = null;
      }
    }
    const ours = decompressUriSafe(encoded, 10_000_000);
    let theirs: string | null;
    try {
      theirs = LZString.decompressFromEncodedURIComponent(encoded);
    } catch {
      theirs = null; // lz-string's own decoder throws a TypeError on some corrupt input
    }
    if (original !== null) assert.deepEqual(ours, { ok: true, text: original }, `case ${i}`);
    // Where we decode, lz-string decodes the same; where we refuse, lz-string gives null or "" (or, from the
    // random-input cases, garbage from an invalid first code, which the state validator would refuse anyway).
    if (ours.ok) {
      assert.equal(ours.text, theirs, `case ${i}`);
      compared++;
    } else if (i % 3 !== 2) {
      assert.ok(!theirs, `case ${i}: lz-string decoded what we refused`);
    }
  }
  assert.ok(compared > 500, `${compared} decoded cases compared`);
});

test('parseShareInput accepts a link or a bare string, and says what it wanted otherwise', () => {
  const state = FACTORY_PRESETS[4].state;
  const s = encodeShareString(state);
  assert.deepEqual(parseShareInput(` ${s} `), withoutDevices(state));
  assert.deepEqual(parseShareInput(shareLink('http://127.0.0.1:8080/', state)), withoutDevices(state));
  throwsState(() => parseShareInput('https://h.test/nothing-here'), /^share string: expected a share link \(with #preset=…\) or a share string starting with "di1\."/);
  throwsState(() => parseShareInput('hello'), /^share string: expected a share link/);
});
