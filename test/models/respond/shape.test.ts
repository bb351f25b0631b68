/**
 * Shaping never leaves two notes of one key sounding at once: feel that pulls
 * a note earlier than the end of the one before it on the same key, and a
 * density fill that lands on a note, would otherwise send note-on, note-on,
 * note-off, note-off of one key (a synth cuts the second note short, a DAW
 * may drop the stray note-off).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GrooveTemplate } from '../../../models/respond/groove.ts';
import { shapeResponse } from '../../../models/respond/shape.ts';
import { PACKED_EVENT_STRIDE, type GenerationSettings } from '../../../protocol/processor-worker.ts';
import type { Phrase, PhraseNote } from '../../../protocol/phrase.ts';

const note = (pitch: number, startBeats: number, durationBeats: number, velocity = 90): PhraseNote => ({ pitch, velocity, startBeats, durationBeats });
const phrase = (notes: PhraseNote[], lengthBeats = 8): Phrase => ({ source: 'host-midi', notes, lengthBeats, tempoBpm: 120, beatsPerBar: 4 });

const settings = (overrides: Partial<GenerationSettings> = {}): GenerationSettings => ({
  mode: 1, model: 0, temperature: 0.8, variation: 0.3, reply: 0, density: 0.5, humanize: 1, keyLock: 0, keyRoot: 0, scale: 0, detectedKey: -1,
  pitchLow: 0, pitchHigh: 127, midiChannel: 1, padX: 0.5, padY: 0.5, seed: 3, ...overrides,
});

/** Walks the packed events; fails on a note-on of a sounding key or a note-off of a silent one; returns the notes as [on, off, key]. */
function oneVoicePerKey(events: Float64Array): [number, number, number][] {
  const sounding = new Map<number, number>();
  const notes: [number, number, number][] = [];
  let last = -Infinity;
  for (let i = 0; i < events.length; i += PACKED_EVENT_STRIDE) {
    const [beat, status, key, velocity] = events.subarray(i, i + 4);
    assert.ok(beat >= last, `events out of order at ${beat}`);
    last = beat;
    if ((status & 0xf0) === 0x90 && velocity > 0) {
      assert.ok(!sounding.has(key), `key ${key} started again at ${beat} while sounding since ${sounding.get(key)}`);
      sounding.set(key, beat);
    } else {
      assert.ok(sounding.has(key), `note-off of silent key ${key} at ${beat}`);
      notes.push([sounding.get(key)!, beat, key]);
      sounding.delete(key);
    }
  }
  assert.equal(sounding.size, 0, 'notes left sounding');
  return notes;
}

test('a note the call\'s feel pulls early ends the note before it on the same key, at the new note\'s start', () => {
  // The call plays each off-beat 16th a little over a third of a step early.
  const call = phrase([note(60, 0.25 - 0.1, 0.2), note(60, 1.25 - 0.1, 0.2), note(62, 2.25 - 0.1, 0.2)]);
  const groove = new GrooveTemplate(call, false);
  // The answer holds key 55 over step 4 and plays it again on step 5.
  const answer = phrase([note(55, 1, 0.25), note(55, 1.25, 0.25), note(57, 2, 0.5)]);
  const notes = oneVoicePerKey(shapeResponse(answer, settings(), 8, false, { groove }));
  const on55 = notes.filter((n) => n[2] === 55);
  assert.equal(on55.length, 2, 'both notes are played');
  assert.ok(on55[1][0] < 1.25 - 0.05, `the second note keeps the call's early feel (${on55[1][0]})`);
  assert.equal(on55[0][1], on55[1][0], 'the first note ends where the second starts');
});

test('a density fill on a note already played and doubled notes on one start keep one voice per key', () => {
  // Density 1 doubles melody notes an octave up: 72 is also played by the answer itself at the same time.
  const answer = phrase([note(60, 0, 1), note(72, 0, 0.5), note(60, 0.5, 1), note(64, 1, 2), note(64, 1, 1, 50)]);
  for (let seed = 0; seed < 20; seed++) {
    const notes = oneVoicePerKey(shapeResponse(answer, settings({ density: 1, humanize: 0, seed }), 8, false));
    assert.ok(notes.some((n) => n[2] === 64 && n[0] === 1), 'the doubled start plays once');
  }
  // Drum ghost fills land two steps after a hit: on a hit of the same drum they end it rather than stack.
  const drums = phrase([note(42, 0, 0.6), note(42, 0.5, 0.125), note(36, 0, 0.125)]);
  for (let seed = 0; seed < 20; seed++) oneVoicePerKey(shapeResponse(drums, settings({ density: 1, humanize: 0, seed, midiChannel: 10 }), 8, true));
});

test('a note starting in the last thousandth of a beat is left out rather than ending before it starts', () => {
  const notes = oneVoicePerKey(shapeResponse(phrase([note(60, 0, 0.5), note(62, 8 - 0.0005, 0.5)]), settings({ humanize: 1 }), 8, false));
  assert.deepEqual(notes.map((n) => n[2]), [60]);
});
