import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PARAMETERS } from '../../../protocol/parameters.ts';
import { FACTORY_PRESETS } from '../../../plugin/presets/factory.ts';
import {
  MAX_PRESET_FILE_BYTES, PRESET_FILE_EXTENSION, PRESET_FILE_FORMAT, parsePresetFile, presetFileName, presetFileText, presetToFile, readPresetFile,
} from '../../../plugin/presets/file.ts';
import { applyPreset } from '../../../plugin/presets/apply.ts';
import { defaultState } from '../../../plugin/state/defaults.ts';
import { StateError, validateState } from '../../../plugin/state/validate.ts';
import { Rng, randomValidRaw } from '../state/fuzz-tools.ts';

function throwsState(fn: () => unknown, message: RegExp | string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof StateError, String(err));
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
}

test('a preset file carries the format marker, the schema version and the name, and reads back exactly', () => {
  const rng = new Rng(31);
  for (let i = 0; i < 100; i++) {
    const state = validateState(randomValidRaw(rng));
    const text = presetFileText(state, `Preset ${i}`);
    const json = JSON.parse(text) as Record<string, unknown>;
    assert.equal(json.format, PRESET_FILE_FORMAT);
    assert.equal(json.schemaVersion, 2);
    assert.equal(json.name, `Preset ${i}`);
    assert.deepEqual(parsePresetFile(text), { ...state, name: `Preset ${i}` });
  }
});

test('every parameter survives a preset-file round trip, and device choices are kept', () => {
  for (const spec of PARAMETERS) {
    const state = defaultState();
    state.parameters[spec.id] = spec.type === 'float' ? spec.minValue + 0.73 * (spec.maxValue - spec.minValue) : spec.maxValue;
    state.devices = { midiOutputId: 'out-1', midiInputIds: ['in-1', 'in-2'] };
    const back = parsePresetFile(presetFileText(state, 'x'));
    assert.equal(back.parameters[spec.id], state.parameters[spec.id], spec.id);
    assert.deepEqual(back.devices, state.devices);
  }
});

test('file names are slugs with the .deepimprov.json extension', () => {
  assert.equal(presetFileName('My Preset!'), 'my-preset.deepimprov.json');
  assert.equal(presetFileName('  Blues — in A / 4 bars  '), 'blues-in-a-4-bars.deepimprov.json');
  assert.equal(presetFileName('Café Über'), 'cafe-uber.deepimprov.json');
  assert.equal(presetFileName('///'), 'preset.deepimprov.json');
  assert.equal(presetFileName('a'.repeat(300)), `${'a'.repeat(64)}${PRESET_FILE_EXTENSION}`);
  assert.ok(!presetFileName('../../etc/passwd').includes('/'));
});

test('presetToFile gives a named JSON File that readPresetFile reads back', async () => {
  const preset = FACTORY_PRESETS[6];
  const file = presetToFile(preset.state, preset.name);
  assert.equal(file.name, 'latent-garden.deepimprov.json');
  assert.equal(file.type, 'application/json');
  assert.deepEqual(await readPresetFile(file), preset.state);
});

test('a v1 state inside a preset file migrates; unknown keys are ignored', () => {
  const text = JSON.stringify({ format: PRESET_FILE_FORMAT, version: 1, parameterValues: { density: { id: 'density', value: 0.9, normalized: false } }, extra: [1] });
  assert.equal(parsePresetFile(text).parameters.density, 0.9);
  const withBom = `\ufeff${presetFileText(defaultState(), 'bom')}`;
  assert.equal(parsePresetFile(withBom).name, 'bom');
});

test('file errors say what is wrong', async () => {
  throwsState(() => parsePresetFile('not json'), /^preset file: expected JSON text, got text that does not parse \(/);
  throwsState(() => parsePresetFile('[1,2]'), /^preset file: expected an object, got an array of 2 items$/);
  throwsState(() => parsePresetFile('{"schemaVersion":2}'), /^format: expected "deep-improv-preset" \(a \.deepimprov\.json preset file\), got nothing$/);
  throwsState(() => parsePresetFile('{"format":"other-plugin","schemaVersion":2}'), /^format: expected "deep-improv-preset".*got "other-plugin"$/);
  throwsState(() => parsePresetFile(`{"format":"${PRESET_FILE_FORMAT}","schemaVersion":2,"parameters":{"tempo":"fast"}}`), /^parameters\.tempo: expected a number from 40 to 240, got "fast"$/);
  throwsState(() => parsePresetFile(`{"format":"${PRESET_FILE_FORMAT}","schemaVersion":9}`), /^schemaVersion: expected a schema version from 1 to 2, got 9 \(saved by a newer Deep Improv/);
  throwsState(() => parsePresetFile(null as unknown as string), /^preset file: expected text, got null$/);
  throwsState(() => presetFileText(defaultState(), 'x'.repeat(257)), /^name: expected a string of at most 256 characters/);
  const huge = { size: MAX_PRESET_FILE_BYTES + 1, text: async () => '' } as unknown as Blob;
  await assert.rejects(readPresetFile(huge), (err: unknown) => err instanceof StateError && /at most 8388608 bytes, got 8388609 bytes/.test(err.message));
  const broken = { size: 10, arrayBuffer: async () => { throw new Error('disk gone'); } } as unknown as Blob;
  await assert.rejects(readPresetFile(broken), (err: unknown) => err instanceof StateError && err.message === 'preset file: could not be read (disk gone)');
});

/** A minimal WAV file: a RIFF/WAVE header and a few silent samples. */
function wavBytes(): Uint8Array {
  const bytes = new Uint8Array(52);
  const view = new DataView(bytes.buffer);
  const text = (at: number, s: string) => { for (let i = 0; i < s.length; i++) bytes[at + i] = s.charCodeAt(i); };
  text(0, 'RIFF'); view.setUint32(4, 44, true); text(8, 'WAVE'); text(12, 'fmt ');
  view.setUint32(16, 16, true); view.setUint16(20, 1, true); view.setUint16(22, 1, true); view.setUint32(24, 44100, true);
  view.setUint32(28, 88200, true); view.setUint16(32, 2, true); view.setUint16(34, 16, true); text(36, 'data'); view.setUint32(40, 8, true);
  return bytes;
}

test('a file with the format marker but no parameters is refused (it would reset every parameter)', async () => {
  const message = "parameters: expected the preset's parameters object (a preset without one would reset every parameter to its default), got nothing";
  throwsState(() => parsePresetFile(`{"format":"${PRESET_FILE_FORMAT}","schemaVersion":2}`), message);
  throwsState(() => parsePresetFile(`{"format":"${PRESET_FILE_FORMAT}","schemaVersion":2,"name":"x","seed":5}`), message);
  throwsState(() => parsePresetFile(`{"format":"${PRESET_FILE_FORMAT}"}`), 'schemaVersion: expected a schema version from 1 to 2, got nothing');
  throwsState(() => parsePresetFile(`{"format":"${PRESET_FILE_FORMAT}","schemaVersion":2,"parameters":[]}`), 'parameters: expected an object, got an array of 0 items');
  await assert.rejects(readPresetFile(new Blob([`{"format":"${PRESET_FILE_FORMAT}","schemaVersion":2}`])), (err: unknown) => err instanceof StateError && err.message === message);
  // A version-1 body carries its parameters as parameterValues.
  assert.equal(parsePresetFile(`{"format":"${PRESET_FILE_FORMAT}","version":1,"parameterValues":{"density":0.75}}`).parameters.density, 0.75);
  assert.equal(parsePresetFile(`{"format":"${PRESET_FILE_FORMAT}","schemaVersion":2,"parameters":{}}`).parameters.density, 0.5, 'an empty object is an explicit "all defaults"');
});

test('binary data chosen as a preset is refused as binary, naming the kind of file when known', async () => {
  const expected = 'preset file: expected a Deep Improv preset (a .deepimprov.json JSON text file), got binary data';
  const rejectsWith = (blob: Blob, message: string) => assert.rejects(readPresetFile(blob), (err: unknown) => {
    assert.ok(err instanceof StateError, String(err));
    assert.equal(err.message, message);
    return true;
  });
  await rejectsWith(new Blob([wavBytes() as Uint8Array<ArrayBuffer>]), `${expected} (this looks like a WAV audio file)`);
  await rejectsWith(new Blob([new Uint8Array([0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 1])]), `${expected} (this looks like a MIDI file)`);
  await rejectsWith(new Blob([new Uint8Array([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d])]), expected); // {"?("} — not UTF-8
  await rejectsWith(new Blob([new Uint8Array([0x7b, 0x00, 0x01, 0x7d])]), expected);
  // The same for text that was decoded from binary data elsewhere (a JSON parser would complain about nesting or a stray byte).
  throwsState(() => parsePresetFile(new TextDecoder().decode(wavBytes())), expected);
  throwsState(() => parsePresetFile('[[[[\u0000'), expected);
  // Tabs, newlines and a BOM are text.
  assert.equal(parsePresetFile(`\ufeff{\t"format": "${PRESET_FILE_FORMAT}",\r\n"schemaVersion": 2, "parameters": {}}`).parameters.tempo, 120);
});

test('applyPreset takes everything from the preset except the current device choices', () => {
  const current = { ...defaultState(), devices: { midiOutputId: 'my-synth', midiInputIds: ['my-keys'] } };
  const preset = { ...FACTORY_PRESETS[3].state, devices: { midiOutputId: 'their-synth', midiInputIds: [] } };
  const next = applyPreset(current, preset);
  assert.deepEqual(next.devices, current.devices);
  assert.deepEqual(next.parameters, FACTORY_PRESETS[3].state.parameters);
  assert.equal(next.name, FACTORY_PRESETS[3].name);
  assert.notEqual(next.devices, current.devices, 'a fresh copy');
  throwsState(() => applyPreset(current, { schemaVersion: 2, seed: -3 } as never), /^seed: /);
});
