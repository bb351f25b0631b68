import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tonejsMidi from '@tonejs/midi';
import { phraseToMidi } from '../../plugin/phrase-midi.ts';
import type { Phrase } from '../../protocol/phrase.ts';

const Midi: typeof tonejsMidi.Midi = tonejsMidi.Midi ?? (tonejsMidi as unknown as { default: typeof tonejsMidi }).default.Midi;

const phrase: Phrase = {
  source: 'generated', lengthBeats: 8, tempoBpm: 100, beatsPerBar: 3,
  notes: [
    { pitch: 60, velocity: 100, startBeats: 0, durationBeats: 1 },
    { pitch: 64, velocity: 64, startBeats: 1.5, durationBeats: 0.5 },
    { pitch: 67, velocity: 127, startBeats: 3.25, durationBeats: 2 },
  ],
};

test('a phrase becomes a .mid with its notes, tempo and metre', () => {
  const bytes = phraseToMidi(phrase, { name: 'answer' });
  assert.deepEqual([...bytes.subarray(0, 4)], [0x4d, 0x54, 0x68, 0x64]);
  const midi = new Midi(bytes);
  assert.equal(midi.name, 'answer');
  assert.equal(Math.round(midi.header.tempos[0].bpm), 100);
  assert.deepEqual(midi.header.timeSignatures[0].timeSignature, [3, 4]);
  const notes = midi.tracks.flatMap((t) => t.notes);
  assert.deepEqual(notes.map((n) => n.midi), [60, 64, 67]);
  assert.deepEqual(notes.map((n) => n.ticks / midi.header.ppq), [0, 1.5, 3.25]);
  assert.deepEqual(notes.map((n) => n.durationTicks / midi.header.ppq), [1, 0.5, 2]);
  assert.deepEqual(notes.map((n) => Math.round(n.velocity * 127)), [100, 64, 127]);
  assert.equal(midi.tracks.find((t) => t.notes.length)?.channel, 0);
});

test('a drum phrase goes on channel 10', () => {
  const midi = new Midi(phraseToMidi({ ...phrase, notes: [{ pitch: 38, velocity: 90, startBeats: 1, durationBeats: 0.125 }] }, { drums: true }));
  const track = midi.tracks.find((t) => t.notes.length)!;
  assert.equal(track.channel, 9);
  assert.equal(track.notes[0].midi, 38);
});

test('bad input is refused with a clear error', () => {
  assert.throws(() => phraseToMidi({ ...phrase, tempoBpm: 0 }), /tempo in BPM > 0, got 0/);
  assert.throws(() => phraseToMidi({ ...phrase, notes: [{ pitch: 128, velocity: 1, startBeats: 0, durationBeats: 1 }] }), /pitch 0–127, got 128/);
  assert.throws(() => phraseToMidi(phrase, { channel: 17 }), /channel 1–16, got 17/);
});
