/** MIDI message validation (dsp/midi/validate.ts): integer bytes, the right status and data ranges. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidMidiMessage, midiMessageLength } from '../../../dsp/midi/validate.ts';

test('well-formed messages pass', () => {
  for (const bytes of [[0x90, 60, 100], [0x80, 60, 0], [0xb0, 123, 0], [0xc5, 10], [0xc5, 10, 0], [0xd0, 127], [0xe0, 0, 64], [0xf8], [0xf8, 0, 0], [0xf2, 1, 2], [0xf1, 3], [0xff]]) {
    assert.equal(isValidMidiMessage(bytes), true, JSON.stringify(bytes));
  }
  assert.equal(isValidMidiMessage(new Uint8Array([0x91, 64, 90])), true);
});

test('non-integer, out-of-range and misplaced bytes are refused', () => {
  for (const bytes of [
    [144.5, 60, 100], [0x90, 60.5, 100], [0x90, 60, 99.9], [Number.NaN, 60, 100], [0x90, Number.NaN, 100], [0x90, 60, Number.POSITIVE_INFINITY],
    [0x7f, 60, 100], [0x100, 60, 100], [-0x70, 60, 100], [0x90, 128, 100], [0x90, 60, -1], [0x90, 60],
    [0xf0, 1, 0xf7], [0xf7], [0xf4], [0xf9], [0xc0, 0x90], [0xf8, 256], [0xc0, 5, 1.5], ['0x90', 60, 100], [0x90, '60', 100], [],
  ]) {
    assert.equal(isValidMidiMessage(bytes as ArrayLike<number>), false, JSON.stringify(bytes));
  }
  assert.equal(isValidMidiMessage(null), false);
  assert.equal(midiMessageLength(144.5), 0);
  assert.equal(midiMessageLength(0x90), 3);
});
