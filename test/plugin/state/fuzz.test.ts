/**
 * Fuzzes the state validator with generated malformed states: wrong types,
 * huge arrays and strings, NaN, deep nesting, cycles, throwing Proxies,
 * getters, pollution keys, corrupted JSON text and broken version-1 states.
 * Each case is generated from its own seed (`CASE_SEED + i`), so a failing
 * case reproduces from the number in the assertion message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StateError, validateState } from '../../../plugin/state/validate.ts';
import { PARAMETERS } from '../../../protocol/parameters.ts';
import type { PluginState } from '../../../plugin/state/schema.ts';
import {
  Rng, allPaths, bigString, cloneJson, cyclicObject, deepArray, deepObject, deleteAt, fingerprint, getterCalls, hostileValue,
  hugeSparseArray, pollutionObject, prototypeSnapshot, randomValidRaw, randomValidV1, revokedProxy, setAt, throwingProxy,
} from './fuzz-tools.ts';

/** Number of generated state cases. */
export const STATE_FUZZ_CASES = 8000;
const CASE_SEED = 0x5eed0000;

/** A path in an error message is built from schema keys only (never from input text). */
const PATH = /^[A-Za-z]+(\.[A-Za-z]+|\[\d+\])*$/;

/** Replaces the value at a random path of `raw` with a hostile one. */
function mutate(rng: Rng, raw: unknown): unknown {
  const path = rng.pick(allPaths(raw));
  return setAt(raw, path, hostileValue(rng));
}

/** Corrupts JSON text: truncation, a flipped character, an injected pollution key, or deep nesting. */
function corruptText(rng: Rng, text: string): string {
  switch (rng.int(0, 4)) {
    case 0: return text.slice(0, rng.int(0, text.length - 1));
    case 1: {
      const i = rng.int(0, text.length - 1);
      return text.slice(0, i) + rng.pick(['"', '{', ']', ',', 'x', '\\', '\u0000', '9']) + text.slice(i + 1);
    }
    case 2: {
      const at = text.indexOf('{', rng.int(0, text.length - 1));
      const key = rng.pick(['__proto__', 'constructor', 'prototype']);
      const inject = `"${key}":{"polluted":true,"prototype":{"polluted":true}},`;
      return at < 0 ? inject + text : text.slice(0, at + 1) + inject + text.slice(at + 1);
    }
    case 3: return '['.repeat(rng.int(33, 5000)) + text + ']'.repeat(rng.int(0, 5000));
    default: return text + bigString(rng.pick([10, 2_200_000]));
  }
}

/** One generated case: an input that should mostly be rejected. */
function makeCase(i: number): unknown {
  const rng = new Rng(CASE_SEED + i);
  switch (i % 6) {
    case 0: return mutate(rng, randomValidRaw(rng));
    case 1: {
      const raw = randomValidRaw(rng);
      deleteAt(raw, rng.pick(allPaths(raw)));
      return mutate(rng, mutate(rng, raw));
    }
    case 2: return mutate(rng, randomValidV1(rng));
    case 3: {
      const raw = rng.chance(0.7) ? randomValidRaw(rng) : randomValidV1(rng);
      // Mutate with values JSON can carry (the hostile objects above are for object inputs).
      const jsonable = ['hot', null, true, {}, [], -1, 1e308, bigString(257), pollutionObject(rng), new Array(513).fill(0.5)];
      const text = JSON.stringify(rng.chance(0.5) ? raw : setAt(raw, rng.pick(allPaths(raw)), rng.pick(jsonable)));
      return corruptText(rng, text);
    }
    case 4: {
      switch (rng.int(0, 7)) {
        case 0: return pollutionObject(rng);
        case 1: return cyclicObject();
        case 2: return throwingProxy();
        case 3: return revokedProxy();
        case 4: return deepObject(100_000, rng.pick(['parameters', 'anchors', 'a']));
        case 5: return deepArray(10_000);
        case 6: return { schemaVersion: 2, anchors: hugeSparseArray() };
        default: return hostileValue(rng);
      }
    }
    default: {
      // Several hostile values at once, in the places that hold arrays and records.
      let raw: unknown = randomValidRaw(rng);
      for (let k = rng.int(2, 5); k > 0; k--) raw = mutate(rng, raw);
      return raw;
    }
  }
}

/** Checks a result the validator accepted: complete and stable under re-validation. */
function checkAccepted(state: PluginState, label: string): void {
  assert.deepEqual(Object.keys(state).filter((k) => k !== 'name').sort(), ['anchors', 'devices', 'parameters', 'schemaVersion', 'seed'], label);
  assert.deepEqual(validateState(state), state, label);
  assert.deepEqual(validateState(JSON.stringify(state)), state, label);
}

test(`${STATE_FUZZ_CASES} generated malformed states: only StateError escapes, nothing changes`, () => {
  const baseline = validateState(randomValidRaw(new Rng(1)));
  const baselineText = JSON.stringify(baseline);
  const protos = prototypeSnapshot();
  let rejected = 0;
  for (let i = 0; i < STATE_FUZZ_CASES; i++) {
    const label = `case ${i} (seed ${CASE_SEED + i})`;
    const input = makeCase(i);
    const before = fingerprint(input);
    getterCalls.count = 0; // generating the case may have serialised a getter; only the validator is judged
    let result: PluginState | undefined;
    try {
      result = validateState(input);
    } catch (err) {
      assert.ok(err instanceof StateError, `${label}: a ${String(err)} escaped`);
      assert.match(err.path, PATH, label);
      assert.ok(err.message.startsWith(`${err.path}: `), label);
      assert.match(err.message, /: (expected .+, got .+|could not be read \(.+\))$/s, `${label}: ${err.message}`);
      assert.ok(err.message.length < 400, `${label}: message too long (${err.message.length})`);
      rejected++;
    }
    if (result) checkAccepted(result, label);
    assert.equal(fingerprint(input), before, `${label}: the input changed`);
    assert.equal(getterCalls.count, 0, `${label}: a getter ran`);
    assert.equal(prototypeSnapshot(), protos, `${label}: a built-in prototype changed`);
    assert.equal(({} as Record<string, unknown>).polluted, undefined, `${label}: Object.prototype polluted`);
    assert.equal(JSON.stringify(baseline), baselineText, `${label}: an earlier result changed`);
  }
  // The generator must really produce malformed input, or this test proves little.
  assert.ok(rejected > STATE_FUZZ_CASES * 0.7, `only ${rejected} of ${STATE_FUZZ_CASES} cases were rejected`);
});

test('the fuzz generator is deterministic (a case reproduces from its number)', () => {
  for (const i of [0, 1, 2, 3, 5, 4242]) {
    const a = makeCase(i);
    const b = makeCase(i);
    const text = (v: unknown) => (typeof v === 'string' ? v : fingerprint(v).replace(/Symbol\(s\)/g, 'S'));
    if (typeof a === 'object' && a !== null && !Array.isArray(a)) assert.equal(text(a), text(b), `case ${i}`);
    else assert.equal(typeof a, typeof b);
  }
  assert.deepEqual(cloneJson(randomValidRaw(new Rng(9))), cloneJson(randomValidRaw(new Rng(9))));
});

test('an accepted state holds exactly the parameter numbers it was given: out-of-range numbers are rejected, never clamped', () => {
  const rng = new Rng(0x0a11ce);
  let rejected = 0;
  const cases = 2000;
  for (let i = 0; i < cases; i++) {
    const raw = randomValidRaw(rng);
    const parameters = raw.parameters as Record<string, unknown>;
    const spec = rng.pick(PARAMETERS);
    const span = spec.maxValue - spec.minValue;
    parameters[spec.id] = rng.pick([
      1e308, -1e308, spec.maxValue + 1e-9, spec.minValue - 1e-9, spec.maxValue + rng.next() * span + 1e-6, spec.minValue - 1 - rng.next() * span,
      spec.minValue + 0.5, spec.minValue + rng.next() * span, hostileValue(rng),
    ]);
    let state: PluginState;
    try {
      state = validateState(raw);
    } catch (err) {
      assert.ok(err instanceof StateError, `case ${i}: ${String(err)}`);
      rejected++;
      continue;
    }
    for (const [id, value] of Object.entries(parameters)) {
      if (typeof value === 'number') assert.equal(state.parameters[id], value, `case ${i}: ${id} was given ${value}, loaded ${state.parameters[id]}`);
    }
  }
  assert.ok(rejected > cases * 0.5, `only ${rejected} of ${cases} rejected`);
});
