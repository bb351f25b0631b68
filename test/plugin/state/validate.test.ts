import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { MODEL_NAMES, PARAMETERS, defaultParameterValues } from '../../../protocol/parameters.ts';
import { defaultState, DEFAULT_SEED } from '../../../plugin/state/defaults.ts';
import { LATENT_SIZES, STATE_LIMITS, STATE_SCHEMA_VERSION, type PluginState } from '../../../plugin/state/schema.ts';
import { StateError, validateState } from '../../../plugin/state/validate.ts';
import { Rng, getterCalls, randomValidRaw, withGetter } from './fuzz-tools.ts';

/** Asserts that `fn` throws a StateError whose message is exactly `message`. */
function throwsState(fn: () => unknown, message: string | RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof StateError, `expected a StateError, got ${String(err)}`);
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
}

/** A non-default, in-range value for a parameter (what its type allows). */
function otherValue(id: string): number {
  const p = PARAMETERS.find((s) => s.id === id)!;
  if (p.type === 'boolean' || p.type === 'choice') return p.defaultValue === p.maxValue ? p.minValue : p.maxValue;
  const v = p.minValue + 0.37 * (p.maxValue - p.minValue);
  const rounded = p.type === 'int' ? Math.round(v) : v;
  return rounded === p.defaultValue ? rounded + (p.type === 'int' ? 1 : 0.01) : rounded;
}

test('defaultState is complete, valid, and fresh on every call', () => {
  const a = defaultState();
  assert.equal(a.schemaVersion, STATE_SCHEMA_VERSION);
  assert.deepEqual(a.parameters, defaultParameterValues());
  assert.equal(a.anchors.length, 4);
  assert.deepEqual(a.anchors.map((x) => x.label), ['A', 'B', 'C', 'D']);
  assert.deepEqual(a.devices, { midiOutputId: null, midiInputIds: [] });
  assert.equal(a.seed, DEFAULT_SEED);
  assert.deepEqual(validateState(a), a);
  a.parameters.temperature = 1.5;
  a.anchors[0].label = 'changed';
  assert.deepEqual(defaultState().parameters, defaultParameterValues());
  assert.equal(defaultState().anchors[0].label, 'A');
});

test('every parameter survives a JSON round trip, one at a time', () => {
  for (const p of PARAMETERS) {
    const state = defaultState();
    const value = otherValue(p.id);
    state.parameters[p.id] = value;
    const back = validateState(JSON.parse(JSON.stringify(state)));
    assert.equal(back.parameters[p.id], value, `parameter ${p.id}`);
    assert.deepEqual(back, state, `parameter ${p.id}`);
  }
});

test('random valid states round-trip exactly, through objects and JSON text, and share nothing with the input', () => {
  const rng = new Rng(7);
  for (let i = 0; i < 300; i++) {
    const state = validateState(randomValidRaw(rng));
    const again = validateState(state);
    assert.deepEqual(again, state);
    assert.notEqual(again, state);
    assert.notEqual(again.parameters, state.parameters);
    assert.notEqual(again.anchors[0], state.anchors[0]);
    assert.notEqual(again.devices.midiInputIds, state.devices.midiInputIds);
    assert.deepEqual(validateState(JSON.stringify(state)), state);
  }
});

test('the output has exactly the schema keys; unknown keys are ignored', () => {
  const raw = { ...defaultState(), extra: 1, parameters: { ...defaultParameterValues(), nope: 3 }, devices: { midiOutputId: null, midiInputIds: [], other: 'x' } };
  const state = validateState(raw);
  assert.deepEqual(Object.keys(state).sort(), ['anchors', 'devices', 'parameters', 'schemaVersion', 'seed']);
  assert.deepEqual(Object.keys(state.parameters), PARAMETERS.map((p) => p.id));
  assert.deepEqual(Object.keys(state.devices).sort(), ['midiInputIds', 'midiOutputId']);
  assert.deepEqual(Object.keys(state.anchors[0]).sort(), ['label', 'latent', 'phrase']);
});

test('missing optional parts take their defaults', () => {
  assert.deepEqual(validateState({ schemaVersion: 2 }), defaultState());
  const state = validateState({ schemaVersion: 2, parameters: { temperature: 1.2 }, name: 'Mine' });
  assert.equal(state.parameters.temperature, 1.2);
  assert.equal(state.parameters.density, 0.5);
  assert.equal(state.name, 'Mine');
  const anchor = validateState({ schemaVersion: 2, anchors: [{}, {}, {}, { label: 'x' }] }).anchors;
  assert.deepEqual(anchor[0], { label: 'A', latent: null, phrase: null });
  assert.equal(anchor[3].label, 'x');
});

test('parameter values are read from numbers in range, booleans and choice names', () => {
  const state = validateState({
    schemaVersion: 2,
    parameters: { temperature: 2, midiChannel: 16, tempo: 40, mode: 'latent-pad', model: 'drums', armed: false, followTempo: true, scale: 7 },
  });
  assert.equal(state.parameters.temperature, 2);
  assert.equal(state.parameters.midiChannel, 16);
  assert.equal(state.parameters.tempo, 40);
  assert.equal(state.parameters.mode, 3);
  assert.equal(state.parameters.model, 1);
  assert.equal(state.parameters.armed, 0);
  assert.equal(state.parameters.followTempo, 1);
  assert.equal(state.parameters.scale, 7);
});

test('a parameter value out of range, fractional where a whole number is due, or not a choice is rejected, never clamped', () => {
  const v2 = (parameters: object) => () => validateState({ schemaVersion: 2, parameters });
  throwsState(v2({ mode: 1e308 }), 'parameters.mode: expected an integer 0–3 (listen, call-response, accompany, latent-pad), got 1e308');
  throwsState(v2({ mode: 1.5 }), 'parameters.mode: expected an integer 0–3 (listen, call-response, accompany, latent-pad), got 1.5');
  throwsState(v2({ armed: -1e308 }), 'parameters.armed: expected 0 or 1 (or false/true), got -1e308');
  throwsState(v2({ armed: 0.5 }), 'parameters.armed: expected 0 or 1 (or false/true), got 0.5');
  throwsState(v2({ temperature: 5 }), 'parameters.temperature: expected a number from 0.05 to 2, got 5');
  throwsState(v2({ tempo: -10 }), 'parameters.tempo: expected a number from 40 to 240, got -10');
  throwsState(v2({ midiChannel: 3.6 }), 'parameters.midiChannel: expected an integer 1–16, got 3.6');
  throwsState(v2({ midiChannel: 0 }), 'parameters.midiChannel: expected an integer 1–16, got 0');
  throwsState(v2({ scale: 8 }), /^parameters\.scale: expected an integer 0–7 \(major, minor, .*\), got 8$/);
  // Every parameter refuses just past each end of its range, and a fraction when it is whole-numbered.
  for (const p of PARAMETERS) {
    const bad = [p.minValue - 1e-9, p.maxValue + 1e-9, 1e308, -1e308, ...(p.type === 'float' ? [] : [p.minValue + 0.5])];
    for (const value of bad) assert.throws(v2({ [p.id]: value }), StateError, `${p.id} = ${value}`);
    for (const value of [p.minValue, p.maxValue, p.defaultValue]) assert.equal(validateState({ schemaVersion: 2, parameters: { [p.id]: value } }).parameters[p.id], value);
  }
});

test('errors name the path, what was expected and what arrived', () => {
  const v2 = (extra: object) => () => validateState({ schemaVersion: 2, ...extra });
  throwsState(v2({ parameters: { temperature: 'hot' } }), 'parameters.temperature: expected a number from 0.05 to 2, got "hot"');
  throwsState(v2({ parameters: { density: NaN } }), 'parameters.density: expected a number from 0 to 1, got NaN');
  throwsState(v2({ parameters: { armed: 'yes' } }), 'parameters.armed: expected 0 or 1 (or false/true), got "yes"');
  throwsState(v2({ parameters: { mode: 'jazz' } }), /^parameters\.mode: expected a choice index from 0 to 3 or one of "listen", .*got "jazz"$/);
  throwsState(v2({ parameters: [] }), 'parameters: expected an object, got an array of 0 items');
  throwsState(v2({ seed: -1 }), 'seed: expected an integer from 0 to 4294967295, got -1');
  throwsState(v2({ seed: 1.5 }), 'seed: expected an integer from 0 to 4294967295, got 1.5');
  throwsState(v2({ name: 42 }), 'name: expected a string, got 42');
  throwsState(v2({ anchors: [{}, {}, {}] }), 'anchors: expected an array of 4 anchors, got an array of 3 items');
  throwsState(v2({ anchors: [{}, {}, {}, {}, {}] }), 'anchors: expected an array of 4 anchors (at most 4), got an array of 5 items');
  throwsState(v2({ anchors: [{}, {}, null, {}] }), 'anchors[2]: expected an object, got null');
  throwsState(v2({ anchors: [{}, { latent: [0, Infinity, ...new Array(30).fill(0)] }, {}, {}] }), 'anchors[1].latent[1]: expected a number from -16 to 16, got Infinity');
  throwsState(v2({ anchors: [{ latent: new Array(513).fill(0) }, {}, {}, {}] }), "anchors[0].latent: expected null or an array of 32 numbers (the melody model's latent size), got an array of 513 items");
  throwsState(v2({ anchors: [{ latent: [] }, {}, {}, {}] }), "anchors[0].latent: expected null or an array of 32 numbers (the melody model's latent size), got an array of 0 items");
  const note = { pitch: 60, velocity: 100, startBeats: 0, durationBeats: 1 };
  const phrase = (p: object) => ({ anchors: [{ phrase: { source: 'preset', notes: [note], lengthBeats: 8, ...p } }, {}, {}, {}] });
  throwsState(v2(phrase({ source: 'radio' })), /^anchors\[0\]\.phrase\.source: expected one of "host-midi", .*got "radio"$/);
  throwsState(v2(phrase({ lengthBeats: 0 })), 'anchors[0].phrase.lengthBeats: expected a finite number in (0, 1024], got 0');
  throwsState(v2(phrase({ notes: [note, { ...note, pitch: 128 }] })), 'anchors[0].phrase.notes[1].pitch: expected an integer from 0 to 127, got 128');
  throwsState(v2(phrase({ notes: [{ ...note, velocity: 0 }] })), 'anchors[0].phrase.notes[0].velocity: expected an integer from 1 to 127, got 0');
  throwsState(v2(phrase({ notes: [{ ...note, durationBeats: 0 }] })), 'anchors[0].phrase.notes[0].durationBeats: expected a finite number in (0, 1024], got 0');
  throwsState(v2(phrase({ notes: new Array(4097).fill(note) })), 'anchors[0].phrase.notes: expected an array of notes (at most 4096), got an array of 4097 items');
  throwsState(v2({ devices: { midiInputIds: ['a', 3] } }), 'devices.midiInputIds[1]: expected a string, got 3');
  throwsState(v2({ devices: { midiOutputId: 'x'.repeat(257) } }), /^devices\.midiOutputId: expected a string of at most 256 characters, got "x{40}…" \(257 characters\)$/);
  throwsState(() => validateState(null), 'state: expected an object, got null');
  throwsState(() => validateState([1]), 'state: expected an object, got an array of 1 items');
  throwsState(() => validateState({}), 'schemaVersion: expected a schema version from 1 to 2, got nothing');
  throwsState(() => validateState({ schemaVersion: 3 }), /^schemaVersion: expected a schema version from 1 to 2, got 3 \(saved by a newer Deep Improv/);
  throwsState(() => validateState({ schemaVersion: '2' }), 'schemaVersion: expected an integer from 1 to 2, got "2"');
});

test('a phrase is read with defaults for source, tempo and metre, and its notes sorted by start (stably)', () => {
  const notes = [
    { pitch: 64, velocity: 90, startBeats: 2, durationBeats: 1 },
    { pitch: 60, velocity: 90, startBeats: 0, durationBeats: 1 },
    { pitch: 67, velocity: 90, startBeats: 0, durationBeats: 1 },
  ];
  const input = { schemaVersion: 2, anchors: [{ phrase: { notes, lengthBeats: 4 } }, {}, {}, {}] };
  const phrase = validateState(input).anchors[0].phrase!;
  assert.deepEqual(phrase.notes.map((n) => n.pitch), [60, 67, 64]);
  assert.equal(phrase.source, 'preset');
  assert.equal(phrase.tempoBpm, 120);
  assert.equal(phrase.beatsPerBar, 4);
  assert.deepEqual(notes.map((n) => n.pitch), [64, 60, 67], 'the input array is not sorted in place');
});

test('anchor latents must have the model\'s latent size, finite numbers within ±16', () => {
  const anchors = (latent: unknown, model = 0) => () => validateState({ schemaVersion: 2, parameters: { model }, anchors: [{}, {}, { latent }, {}] });
  for (const length of [5, 31, 33, 512]) {
    throwsState(anchors(new Array(length).fill(0.1)), `anchors[2].latent: expected null or an array of 32 numbers (the melody model's latent size), got an array of ${length} items`);
  }
  throwsState(anchors(new Float64Array(5), 1), "anchors[2].latent: expected null or an array of 32 numbers (the drums model's latent size), got a Float64Array of 5 values");
  throwsState(anchors(new Array(32).fill(1e300)), 'anchors[2].latent[0]: expected a number from -16 to 16, got 1e300');
  throwsState(anchors([...new Array(31).fill(0), -16.5]), 'anchors[2].latent[31]: expected a number from -16 to 16, got -16.5');
  throwsState(anchors([...new Array(31).fill(0), NaN]), 'anchors[2].latent[31]: expected a number from -16 to 16, got NaN');
  throwsState(anchors({ length: 32 }), "anchors[2].latent: expected null or an array of 32 numbers (the melody model's latent size), got an object");
  const edge = [16, -16, ...new Array(30).fill(0.5)];
  assert.deepEqual(validateState({ schemaVersion: 2, anchors: [{}, {}, { latent: edge }, {}] }).anchors[2].latent, edge);
});

test('the latent sizes the validator knows are the shipped weights\' own', () => {
  for (const model of MODEL_NAMES) {
    const config = JSON.parse(readFileSync(new URL(`../../../models/weights/${model}/model.json`, import.meta.url), 'utf8')) as { latentSize?: number; config?: { latentSize?: number } };
    assert.equal(LATENT_SIZES[model], config.latentSize ?? config.config?.latentSize, model);
  }
});

test('typed-array latents are copied into plain arrays; duplicate MIDI inputs are dropped', () => {
  const latent = Float32Array.from({ length: 32 }, (_, i) => i / 8 - 2);
  const state = validateState({ schemaVersion: 2, anchors: [{ latent }, {}, {}, {}], devices: { midiInputIds: ['a', 'b', 'a'] } });
  assert.ok(Array.isArray(state.anchors[0].latent));
  assert.deepEqual(state.anchors[0].latent, Array.from(latent));
  assert.deepEqual(state.devices.midiInputIds, ['a', 'b']);
});

test('getters are refused without being run; Proxies that throw become a StateError', () => {
  getterCalls.count = 0;
  throwsState(() => validateState({ schemaVersion: 2, parameters: withGetter('temperature', 1) }), 'parameters.temperature: expected a plain value, got a getter/setter property');
  assert.equal(getterCalls.count, 0);
  const trap = new Proxy({}, { getOwnPropertyDescriptor: () => { throw new TypeError('no'); } });
  throwsState(() => validateState(trap), 'state: could not be read (TypeError: no)');
});

test('JSON text: too long or too deep is refused before parsing; bad JSON says so', () => {
  throwsState(() => validateState(' '.repeat(STATE_LIMITS.maxJsonChars + 1)), `state: expected at most ${STATE_LIMITS.maxJsonChars} characters of JSON, got ${STATE_LIMITS.maxJsonChars + 1}`);
  throwsState(() => validateState('['.repeat(40) + ']'.repeat(40)), 'state: expected JSON nested at most 32 levels deep, got deeper nesting');
  throwsState(() => validateState('{"schemaVersion": 2,'), /^state: expected JSON text, got text that does not parse \(/);
  // Brackets inside strings do not count as nesting.
  assert.equal(validateState(JSON.stringify({ schemaVersion: 2, name: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[' })).name, '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[');
});

test('__proto__, constructor and prototype keys pollute nothing', () => {
  const text = '{"schemaVersion":2,"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},'
    + '"parameters":{"__proto__":{"temperature":2,"polluted":1},"constructor":1},"devices":{"__proto__":{"midiOutputId":"evil"}}}';
  const state = validateState(text);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(state.parameters.temperature, 0.8, 'an inherited-looking key is not a parameter');
  assert.equal(state.devices.midiOutputId, null);
  assert.equal(Object.getPrototypeOf(state), Object.prototype);
  assert.equal(Object.getPrototypeOf(state.parameters), Object.prototype);
  // A parameter that exists only on the prototype chain is not read.
  const inherited = Object.create({ temperature: 1.9 }) as object;
  assert.equal(validateState({ schemaVersion: 2, parameters: inherited }).parameters.temperature, 0.8);
});

test('a deeply frozen input validates (nothing writes to it), and a rejected state leaves earlier results untouched', () => {
  const deepFreeze = <T>(v: T): T => {
    if (typeof v === 'object' && v !== null) {
      for (const x of Object.values(v)) deepFreeze(x);
      Object.freeze(v);
    }
    return v;
  };
  const raw = deepFreeze(randomValidRaw(new Rng(3)));
  const first = validateState(raw);
  const snapshot = JSON.stringify(first);
  assert.throws(() => validateState({ ...raw, seed: 'no' }), StateError);
  assert.equal(JSON.stringify(first), snapshot);
});

test('version 1 (the 0.0.x shell / WAM SDK shape) migrates, with or without `version`', () => {
  const v1 = {
    version: 1,
    parameterValues: {
      temperature: { id: 'temperature', value: 1.1, normalized: false },
      density: { id: 'density', value: 0.25, normalized: true },
      tempo: { id: 'tempo', value: 0.5, normalized: true },
      mode: { id: 'mode', value: 3, normalized: false },
      gone: { id: 'gone', value: 9, normalized: false },
      midiChannel: 10,
    },
  };
  const state = validateState(v1);
  const expected = defaultState();
  Object.assign(expected.parameters, { temperature: 1.1, density: 0.25, tempo: 140, mode: 3, midiChannel: 10 });
  assert.deepEqual(state, expected);
  const { version: _dropped, ...unversioned } = v1;
  assert.deepEqual(validateState(unversioned), expected);
  assert.deepEqual(validateState(JSON.stringify(v1)), expected);
  assert.deepEqual(validateState({ version: 1 }), defaultState());
});

test('version 1 errors name the v1 path', () => {
  throwsState(() => validateState({ version: 1, parameterValues: { temperature: { id: 'temperature', value: 'hot', normalized: false } } }),
    'parameterValues.temperature.value: expected a number from 0.05 to 2, got "hot"');
  throwsState(() => validateState({ version: 1, parameterValues: { density: 'x' } }), 'parameterValues.density: expected a number from 0 to 1, got "x"');
  throwsState(() => validateState({ version: 1, parameterValues: { mode: { id: 'mode', value: 1e308, normalized: false } } }),
    'parameterValues.mode.value: expected an integer 0–3 (listen, call-response, accompany, latent-pad), got 1e308');
  throwsState(() => validateState({ version: 1, parameterValues: { density: { id: 'density', value: 1.5, normalized: true } } }),
    'parameterValues.density.value: expected a normalised number from 0 to 1, got 1.5');
  throwsState(() => validateState({ version: 1, parameterValues: { density: { id: 'density', value: 0.1, normalized: 'yes' } } }),
    'parameterValues.density.normalized: expected a boolean, got "yes"');
  throwsState(() => validateState({ version: 1, parameterValues: 4 }), 'parameterValues: expected an object, got 4');
});

test('the returned state is a PluginState the type system accepts', () => {
  const state: PluginState = validateState({ schemaVersion: 2 });
  assert.equal(state.anchors.length, 4);
});
