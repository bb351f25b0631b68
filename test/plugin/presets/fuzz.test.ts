/**
 * Fuzzes preset files and share strings: truncated, corrupted and injected
 * JSON, wrong and missing format markers, mutated states, truncated and
 * corrupted compressed strings, characters outside the alphabet, huge
 * strings, deep nesting and decompression bombs. Each case comes from its own
 * seed, so a failure reproduces from its number.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import LZString from 'lz-string';
import { parsePresetFile, presetFileText } from '../../../plugin/presets/file.ts';
import { decodeShareString, encodeShareString, SHARE_PREFIX } from '../../../plugin/presets/share.ts';
import { LZ_URI_ALPHABET } from '../../../plugin/presets/lz-decompress.ts';
import type { PluginState } from '../../../plugin/state/schema.ts';
import { StateError, validateState } from '../../../plugin/state/validate.ts';
import { Rng, allPaths, bigString, pollutionObject, prototypeSnapshot, randomValidRaw, randomValidV1, setAt } from '../state/fuzz-tools.ts';

/** Number of generated preset-file cases and share-string cases. */
export const FILE_FUZZ_CASES = 2500;
export const SHARE_FUZZ_CASES = 2500;
const FILE_SEED = 0xf11e0000;
const SHARE_SEED = 0x54a70000;

const PATH = /^([A-Za-z]+(\.[A-Za-z]+|\[\d+\])*|preset file|share string)$/;
const BOMB = readFileSync(new URL('../../fixtures/presets/bomb-3m-a.lz.txt', import.meta.url), 'utf8').trim();

/** JSON-able wrong values to plant in a state (fresh each time; `large` adds a 4097-note array, too slow to compress often). */
function jsonHostile(rng: Rng, large = true): unknown {
  const values = ['hot', null, true, false, {}, [], -1, 0, 1e308, -1e-308, 4294967296, bigString(257), pollutionObject(rng),
    new Array(513).fill(0.5), { format: 'x' }, '2', [[[[[[[]]]]]]]];
  if (large) values.push(Array.from({ length: 4097 }, () => ({ pitch: 60, velocity: 1, startBeats: 0, durationBeats: 1 })));
  return rng.pick(values);
}

/** A path to plant a value at: not the root, at most 6 keys deep (planting inside big planted arrays could grow without bound). */
function plantPath(rng: Rng, json: unknown): (string | number)[] {
  return rng.pick(allPaths(json).filter((p) => p.length > 0 && p.length <= 6));
}

/** Corrupts text: truncate, replace a character, inject a pollution key, nest deeply, or make it huge. */
function corrupt(rng: Rng, text: string, alphabet: string): string {
  const i = rng.int(0, Math.max(0, text.length - 1));
  switch (rng.int(0, 6)) {
    case 0: return text.slice(0, i);
    case 1: return text.slice(0, i) + rng.pick([...alphabet]) + text.slice(i + 1);
    case 2: return text.slice(0, i) + rng.pick(['"', '{', '}', '[', ']', ',', ':', '\\', '\u0000', '\ud800', '%', ' ', '#', '.']) + text.slice(i + 1);
    case 3: {
      const at = text.indexOf('{', i);
      const inject = `"${rng.pick(['__proto__', 'constructor', 'prototype'])}":{"polluted":true},`;
      return at < 0 ? inject + text : text.slice(0, at + 1) + inject + text.slice(at + 1);
    }
    case 4: return '['.repeat(rng.int(33, 3000)) + text;
    case 5: return text + bigString(rng.pick([100, 2_200_000]));
    default: return text.slice(i) + text.slice(0, i);
  }
}

/** A malformed (mostly) preset file. */
function fileCase(i: number): string {
  const rng = new Rng(FILE_SEED + i);
  const state = validateState(rng.chance(0.85) ? randomValidRaw(rng) : randomValidV1(rng));
  const text = presetFileText(state, `fuzz ${i}`);
  switch (i % 4) {
    case 0: return corrupt(rng, text, '{}[]":,0123456789abcdefghijklmnopqrstuvwxyz');
    case 1: {
      const json = JSON.parse(text) as unknown;
      for (let k = rng.int(1, 3); k > 0; k--) setAt(json, plantPath(rng, json), jsonHostile(rng));
      return JSON.stringify(json);
    }
    case 2: return rng.pick(['', ' ', 'null', '0', '"x"', '[]', '{}', '{"format":"deep-improv-preset"}', bigString(3_000_000), '{'.repeat(100_000)]);
    default: {
      const json = JSON.parse(text) as Record<string, unknown>;
      if (rng.chance(0.5)) delete json.format;
      else json.format = rng.pick(['Deep-Improv-Preset', 'deep-improv-preset ', 1, null, ['deep-improv-preset']]);
      return JSON.stringify(json);
    }
  }
}

/** A malformed (mostly) share string. */
function shareCase(i: number): string {
  const rng = new Rng(SHARE_SEED + i);
  const good = encodeShareString(validateState(randomValidRaw(rng)));
  switch (i % 5) {
    case 0: return corrupt(rng, good, LZ_URI_ALPHABET);
    case 1: return good.slice(0, rng.int(0, good.length - 1));
    case 2: return SHARE_PREFIX + Array.from({ length: rng.int(0, 400) }, () => rng.pick([...LZ_URI_ALPHABET])).join('');
    case 3: {
      // Well-compressed, but the JSON inside is a broken state.
      const raw = randomValidRaw(rng);
      for (let k = rng.int(1, 3); k > 0; k--) setAt(raw, plantPath(rng, raw), jsonHostile(rng, false));
      return SHARE_PREFIX + LZString.compressToEncodedURIComponent(rng.chance(0.8) ? JSON.stringify(raw) : JSON.stringify(raw).slice(0, -3));
    }
    default: return rng.pick([
      '', SHARE_PREFIX, 'di2.' + good.slice(4), good.slice(4), SHARE_PREFIX + BOMB, SHARE_PREFIX + BOMB.slice(0, rng.int(1, BOMB.length)),
      SHARE_PREFIX + bigString(3_000_000), `${SHARE_PREFIX}${'A'.repeat(rng.int(1, 5000))}`, good.replace(/\+/g, '%2B'),
    ]);
  }
}

/** Runs `decode` over `count` generated inputs and checks the invariants. */
function fuzz(count: number, make: (i: number) => string, decode: (text: string) => PluginState, name: string): number {
  const baseline = validateState(randomValidRaw(new Rng(2)));
  const baselineText = JSON.stringify(baseline);
  const protos = prototypeSnapshot();
  let rejected = 0;
  for (let i = 0; i < count; i++) {
    const label = `${name} case ${i}`;
    const input = make(i);
    try {
      const state = decode(input);
      assert.deepEqual(validateState(state), state, label);
    } catch (err) {
      assert.ok(err instanceof StateError, `${label}: a ${String(err)} escaped`);
      assert.match(err.path, PATH, label);
      assert.ok(err.message.length < 400, `${label}: message too long`);
      assert.match(err.message, /: (expected .+, got .+|could not be read.*)$/s, `${label}: ${err.message}`);
      rejected++;
    }
    assert.equal(prototypeSnapshot(), protos, `${label}: a built-in prototype changed`);
    assert.equal(({} as Record<string, unknown>).polluted, undefined, `${label}: Object.prototype polluted`);
    assert.equal(JSON.stringify(baseline), baselineText, `${label}: an earlier result changed`);
  }
  return rejected;
}

test(`${FILE_FUZZ_CASES} generated malformed preset files: only StateError escapes, nothing changes`, () => {
  const rejected = fuzz(FILE_FUZZ_CASES, fileCase, parsePresetFile, 'file');
  assert.ok(rejected > FILE_FUZZ_CASES * 0.7, `only ${rejected} of ${FILE_FUZZ_CASES} rejected`);
});

test(`${SHARE_FUZZ_CASES} generated malformed share strings: only StateError escapes, nothing changes`, () => {
  const rejected = fuzz(SHARE_FUZZ_CASES, shareCase, decodeShareString, 'share');
  assert.ok(rejected > SHARE_FUZZ_CASES * 0.7, `only ${rejected} of ${SHARE_FUZZ_CASES} rejected`);
});
