import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MODEL_NAMES, MODES, PARAMETERS } from '../../../protocol/parameters.ts';
import { FACTORY_PRESETS, factoryPreset } from '../../../plugin/presets/factory.ts';
import { validateState } from '../../../plugin/state/validate.ts';
import type { PluginState } from '../../../plugin/state/schema.ts';

/** Parameters that shape what is played (not routing or analysis switches). */
const MUSICAL = ['mode', 'model', 'armed', 'temperature', 'variation', 'density', 'responseBars', 'humanize', 'keyLock', 'keyRoot', 'scale', 'pitchLow', 'pitchHigh', 'silenceGap', 'followTempo', 'midiChannel'];

/** Musical parameters on which two states differ: choices/ints/booleans when unequal, floats by at least a tenth of their range. */
function differences(a: PluginState, b: PluginState): string[] {
  return MUSICAL.filter((id) => {
    const spec = PARAMETERS.find((p) => p.id === id)!;
    const delta = Math.abs(a.parameters[id] - b.parameters[id]);
    return spec.type === 'float' ? delta >= 0.1 * (spec.maxValue - spec.minValue) : delta > 0;
  });
}

test('at least six factory presets, each valid, named, with a one-line description', () => {
  assert.ok(FACTORY_PRESETS.length >= 6, `${FACTORY_PRESETS.length} presets`);
  for (const p of FACTORY_PRESETS) {
    assert.match(p.id, /^[a-z0-9]+(-[a-z0-9]+)*$/, p.id);
    assert.ok(p.name.length > 0 && p.name.length <= 40, p.id);
    assert.ok(p.description.length >= 20 && p.description.length <= 120, `${p.id}: description length ${p.description.length}`);
    assert.doesNotMatch(p.description, /\n/, p.id);
    assert.equal(p.state.name, p.name, p.id);
    assert.deepEqual(validateState(p.state), p.state, p.id);
    assert.equal(factoryPreset(p.id), p);
  }
  assert.equal(new Set(FACTORY_PRESETS.map((p) => p.id)).size, FACTORY_PRESETS.length, 'ids are unique');
  assert.equal(new Set(FACTORY_PRESETS.map((p) => p.name)).size, FACTORY_PRESETS.length, 'names are unique');
  assert.equal(new Set(FACTORY_PRESETS.map((p) => p.state.seed)).size, FACTORY_PRESETS.length, 'seeds are unique');
  assert.equal(factoryPreset('nope'), undefined);
});

test('factory presets cover every mode and both models, in every mode that generates', () => {
  const name = (p: (typeof FACTORY_PRESETS)[number]) => `${MODES[p.state.parameters.mode]}/${MODEL_NAMES[p.state.parameters.model]}`;
  const combos = new Set(FACTORY_PRESETS.map(name));
  for (const mode of MODES) assert.ok([...combos].some((c) => c.startsWith(`${mode}/`)), `mode ${mode}`);
  for (const mode of MODES.filter((m) => m !== 'listen')) {
    for (const model of MODEL_NAMES) assert.ok(combos.has(`${mode}/${model}`), `${mode} with ${model}`);
  }
});

test('every pair of factory presets differs clearly (at least 3 musical parameters)', () => {
  for (let i = 0; i < FACTORY_PRESETS.length; i++) {
    for (let j = i + 1; j < FACTORY_PRESETS.length; j++) {
      const a = FACTORY_PRESETS[i];
      const b = FACTORY_PRESETS[j];
      const diff = differences(a.state, b.state);
      assert.ok(diff.length >= 3, `${a.id} vs ${b.id} differ only in ${diff.join(', ') || 'nothing'}`);
    }
  }
});

test('drum presets play on channel 10 without a key lock; melody presets keep a sensible pitch range', () => {
  for (const p of FACTORY_PRESETS) {
    const v = p.state.parameters;
    if (MODEL_NAMES[v.model] === 'drums') {
      assert.equal(v.midiChannel, 10, p.id);
      assert.equal(v.keyLock, 0, p.id);
    } else {
      assert.ok(v.pitchHigh - v.pitchLow >= 12, `${p.id}: at least an octave`);
    }
  }
});

test('latent-pad presets ship four distinct anchor phrases (no latents, so they suit any weights)', () => {
  const pads = FACTORY_PRESETS.filter((p) => MODES[p.state.parameters.mode] === 'latent-pad');
  assert.ok(pads.length >= 2);
  for (const p of pads) {
    const texts = p.state.anchors.map((a) => JSON.stringify(a.phrase?.notes));
    assert.equal(new Set(texts).size, 4, `${p.id}: four different phrases`);
    for (const a of p.state.anchors) {
      assert.equal(a.latent, null, p.id);
      assert.ok(a.phrase && a.phrase.notes.length >= 4, `${p.id}/${a.label}`);
      assert.ok(a.label.length > 1, `${p.id}: labelled corners`);
      for (const n of a.phrase.notes) assert.ok(n.startBeats + n.durationBeats <= a.phrase.lengthBeats, `${p.id}/${a.label}: note inside the phrase`);
    }
  }
  for (const p of FACTORY_PRESETS.filter((x) => !pads.includes(x))) {
    assert.ok(p.state.anchors.every((a) => a.phrase === null && a.latent === null), `${p.id}: no anchors outside the pad`);
  }
});

test('factory presets are deeply frozen, so no caller can change them', () => {
  const p = FACTORY_PRESETS[0];
  assert.ok(Object.isFrozen(FACTORY_PRESETS));
  assert.throws(() => { (p.state.parameters as Record<string, number>).temperature = 2; }, TypeError);
  assert.throws(() => { p.state.anchors[0].label = 'x'; }, TypeError);
  const copy = validateState(p.state);
  copy.parameters.temperature = 2;
  assert.notEqual(p.state.parameters.temperature, 2);
});
