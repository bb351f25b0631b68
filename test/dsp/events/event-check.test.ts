/** The processor's boundary checks of WAM events and parameter updates (dsp/events/event-check.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkEvent, checkParameterUpdate, EventFault } from '../../../dsp/events/event-check.ts';
import { PARAMETER_INDEX } from '../../../protocol/parameters.ts';

const midi = (bytes: unknown, time: unknown = 0.1) => ({ type: 'wam-midi', time, data: { bytes } });
const automation = (data: unknown) => ({ type: 'wam-automation', time: 0.1, data });

test('well-formed events of the four handled types pass', () => {
  assert.equal(checkEvent(midi([0x90, 60, 100]), PARAMETER_INDEX), EventFault.None);
  assert.equal(checkEvent({ type: 'wam-midi', data: { bytes: [0x80, 60, 0] } }, PARAMETER_INDEX), EventFault.None, 'no time: due at once');
  assert.equal(checkEvent({ type: 'wam-sysex', time: 0, data: { bytes: new Uint8Array([0xf0, 1, 0xf7]) } }, PARAMETER_INDEX), EventFault.None);
  assert.equal(checkEvent({ type: 'wam-transport', time: 0, data: { tempo: 120, timeSigNumerator: 4, timeSigDenominator: 4, currentBar: 0, currentBarStarted: 0, playing: true } }, PARAMETER_INDEX), EventFault.None);
  assert.equal(checkEvent(automation({ id: 'temperature', value: 1.2, normalized: false }), PARAMETER_INDEX), EventFault.None);
});

test('MIDI clock, start, continue, stop and song position pass as the Web MIDI path sends them (three bytes), with a time in the past', () => {
  for (const bytes of [[0xf8, 0, 0], [0xfa, 0, 0], [0xfb, 0, 0], [0xfc, 0, 0], [0xf2, 37, 0], [0xf2, 127, 127], [0xf8]]) {
    assert.equal(checkEvent(midi(bytes, -0.02), PARAMETER_INDEX), EventFault.None, JSON.stringify(bytes));
  }
  assert.equal(checkEvent(midi([0xf2, 128, 0]), PARAMETER_INDEX), EventFault.MalformedMidi, 'a song position data byte above 127');
});

test('each malformed event is refused with its reason', () => {
  const cases: [unknown, EventFault][] = [
    [null, EventFault.UnknownType],
    [undefined, EventFault.UnknownType],
    [42, EventFault.UnknownType],
    [{ type: 'wam-mpe', time: 0, data: {} }, EventFault.UnknownType],
    [{ time: 0, data: {} }, EventFault.UnknownType],
    [midi([0x90, 60, 100], Number.NaN), EventFault.BadTime],
    [midi([0x90, 60, 100], Number.POSITIVE_INFINITY), EventFault.BadTime],
    [midi([0x90, 60, 100], null), EventFault.BadTime],
    [midi([0x90, 60, 100], '0.1'), EventFault.BadTime],
    [{ type: 'wam-midi', time: 0, data: null }, EventFault.BadData],
    [midi([0x90, 60]), EventFault.MalformedMidi],
    [midi(7), EventFault.MalformedMidi],
    [{ type: 'wam-sysex', time: 0, data: { bytes: [0xf0, 0xf7] } }, EventFault.BadData],
    [{ type: 'wam-transport', time: 0, data: { tempo: Number.NaN } }, EventFault.BadData],
    [{ type: 'wam-transport', time: 0, data: { playing: 'yes' } }, EventFault.BadData],
    [automation(null), EventFault.BadData],
    [automation({ id: '__proto__', value: 1, normalized: false }), EventFault.UnknownParameter],
    [automation({ id: 'constructor', value: 1, normalized: false }), EventFault.UnknownParameter],
    [automation({ id: 'hasOwnProperty', value: 1 }), EventFault.UnknownParameter],
    [automation({ id: 3, value: 1 }), EventFault.UnknownParameter],
    [automation({ id: 'temperature', value: Number.NaN }), EventFault.BadValue],
    [automation({ id: 'temperature', value: '1' }), EventFault.BadValue],
    [automation({ id: 'temperature', value: 1, normalized: 'no' }), EventFault.BadValue],
  ];
  for (const [event, fault] of cases) assert.equal(checkEvent(event, PARAMETER_INDEX), fault, JSON.stringify(event) ?? String(event));
});

test('parameter updates: only own keys of the table, finite values', () => {
  const table = JSON.parse('{"__proto__": 0}') as Record<string, unknown>;
  assert.equal(checkParameterUpdate({ id: '__proto__', value: 1 }, table), EventFault.None, 'an own key, even with that name, is the table\'s business');
  assert.equal(checkParameterUpdate({ id: '__proto__', value: 1 }, PARAMETER_INDEX), EventFault.UnknownParameter);
  assert.equal(checkParameterUpdate({ id: 'mode', value: 2, normalized: false }, PARAMETER_INDEX), EventFault.None);
});
