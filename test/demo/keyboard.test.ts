/** The demo keyboard's key map: a chromatic octave for melody, General MIDI drum voices on channel 10 for drums. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeLayout, DRUM_KEYS, keyNote, layoutForModel, noteBytes } from '../../demo/keyboard.ts';

test('notes: A W S … K are a chromatic octave from the base note, any case', () => {
  assert.deepEqual(keyNote('a', 'notes'), { channel: 0, note: 60 });
  assert.deepEqual(keyNote('W', 'notes'), { channel: 0, note: 61 });
  assert.deepEqual(keyNote('k', 'notes', 48), { channel: 0, note: 60 });
  assert.equal(keyNote('l', 'notes'), null);
  assert.equal(keyNote('Shift', 'notes'), null);
});

test('drums: the home row plays the General MIDI drum voices on channel 10', () => {
  const notes = Object.fromEntries(Object.values(DRUM_KEYS).map((d) => [d.name, d.note]));
  assert.deepEqual(notes, {
    kick: 36, snare: 38, 'closed hat': 42, 'open hat': 46, 'low tom': 45, 'mid tom': 47, 'high tom': 50, crash: 49, ride: 51,
  });
  assert.deepEqual(keyNote('A', 'drums'), { channel: 9, note: 36 });
  assert.deepEqual(keyNote('s', 'drums', 84), { channel: 9, note: 38 }, 'the octave does not move drums');
  assert.equal(keyNote('w', 'drums'), null);
  assert.equal(keyNote('constructor', 'drums'), null);
  assert.deepEqual(noteBytes({ channel: 9, note: 36 }, true), [0x99, 36, 100]);
  assert.deepEqual(noteBytes({ channel: 9, note: 36 }, false), [0x89, 36, 0]);
});

test('the layout follows the model, and the how-to words name the voices', () => {
  assert.equal(layoutForModel('drums'), 'drums');
  assert.equal(layoutForModel('melody'), 'notes');
  assert.match(describeLayout('drums'), /A kick, S snare, D closed hat, F open hat/);
  assert.match(describeLayout('notes'), /A–K play notes/);
});
