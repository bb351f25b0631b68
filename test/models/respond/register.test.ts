/**
 * Melodic answers stay in the call's register and do not leap where the
 * model strays: each note keeps its pitch class, the octave is chosen.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerRange, placeOctave } from '../../../models/respond/register.ts';
import { shapeResponse } from '../../../models/respond/shape.ts';
import { eventsToNotes } from '../../../models/respond/answer-windows.ts';
import type { GenerationSettings } from '../../../protocol/processor-worker.ts';
import type { Phrase, PhraseNote } from '../../../protocol/phrase.ts';

const note = (pitch: number, startBeats: number): PhraseNote => ({ pitch, velocity: 80, startBeats, durationBeats: 0.5 });
const phrase = (pitches: number[]): Phrase => ({ source: 'generated', notes: pitches.map((p, i) => note(p, i * 0.5)), lengthBeats: 8, tempoBpm: 120, beatsPerBar: 4 });
const settings = (pitchLow = 36, pitchHigh = 96): GenerationSettings => ({
  mode: 1, model: 0, temperature: 0.8, variation: 0.3, reply: 0, density: 0.5, humanize: 1, keyLock: 0, keyRoot: 0, scale: 0, detectedKey: -1,
  pitchLow, pitchHigh, midiChannel: 1, padX: 0.5, padY: 0.5, seed: 1,
});
const pitches = (answer: Phrase, s: GenerationSettings, context: Parameters<typeof shapeResponse>[4]) => eventsToNotes(shapeResponse(answer, s, 8, false, context)).map((n) => n.pitch);

test('the register is the call\'s mean ± an octave inside the pitch range, or the pitch range when they do not meet', () => {
  assert.deepEqual(answerRange(72, 36, 96), [60, 84]);
  assert.deepEqual(answerRange(72, 36, 78), [60, 78]);
  assert.deepEqual(answerRange(40, 60, 96), [60, 96], 'a pitch range above the call moves the answer there');
  assert.deepEqual(answerRange(null, 36, 96), [36, 96]);
});

test('a note keeps its octave unless it leaps or leaves the register; then it takes the octave nearest the previous note', () => {
  assert.equal(placeOctave(67, 64, 50, 80), 67);
  assert.equal(placeOctave(76, 64, 50, 80), 64, 'a ninth up becomes the unison of its pitch class nearest 64');
  assert.equal(placeOctave(74, 64, 50, 80), 62, 'a tenth up becomes a step down');
  assert.equal(placeOctave(40, null, 50, 80), 52, 'below the register, the nearest octave in it');
  assert.equal(placeOctave(88, 79, 50, 80), 76, 'above the register');
});

test('shaping folds stray leaps and low notes of an answer into the call\'s register; the call\'s own pitches may leap', () => {
  const answer = phrase([72, 74, 62, 76, 77, 45]);
  assert.deepEqual(pitches(answer, settings(), {}), [72, 74, 62, 76, 77, 45], 'without a call nothing moves (the pitch range allows it all)');
  // Call around 74: register 62…86. 62 after 74 is a leap (12): it goes up an octave to 74; 45 leaves the register: 69 is nearest 77.
  const folded = pitches(answer, settings(), { callMeanPitch: 74 });
  assert.deepEqual(folded, [72, 74, 74, 76, 77, 81]);
  // 62 is a pitch the performer played: the answer may leap to it, and goes on from there.
  assert.deepEqual(pitches(answer, settings(), { callMeanPitch: 74, callPitches: new Set([62, 74]) }), [72, 74, 62, 64, 65, 69]);
  // A pitch range far above the call moves the answer there.
  for (const p of pitches(answer, settings(84, 100), { callMeanPitch: 60 })) assert.ok(p >= 84 && p <= 100);
});
