import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drumClassOf, drumsToGrid, gridToDrums, DRUM_FEATURES, DRUM_CLASS_PITCHES } from '../../../models/representation/drums.ts';
import { melodyTokensToPhrase, noteOnClass, notesToVoice, NOTE_OFF, NO_EVENT, phraseToMelodyTokens, tokensToNotes, voiceFromPitches, voiceToTokens } from '../../../models/representation/melody.ts';
import { midiToPhrases, phrasesToMidi } from '../../../models/midi/io.ts';
import { cutWindows } from '../../../models/midi/windows.ts';
import { grooveNotes, phraseOf, scaleNotes } from '../../helpers/models.ts';

test('drum classes follow the MusicVAE 9-class reduction', () => {
  assert.equal(drumClassOf(36), 0);
  assert.equal(drumClassOf(38), 1);
  assert.equal(drumClassOf(42), 2);
  assert.equal(drumClassOf(22), 2);
  assert.equal(drumClassOf(46), 3);
  assert.equal(drumClassOf(43), 4);
  assert.equal(drumClassOf(49), 7);
  assert.equal(drumClassOf(51), 8);
  assert.equal(drumClassOf(60), 5);
  assert.equal(drumClassOf(0), -1);
  assert.equal(DRUM_CLASS_PITCHES.length, 9);
});

test('drum notes -> grid -> notes keeps pitch class, velocity and microtiming', () => {
  const notes = grooveNotes(2);
  const grid = drumsToGrid(notes);
  assert.equal(grid.length, 32 * DRUM_FEATURES);
  const back = gridToDrums(grid);
  assert.equal(back.length, notes.length);
  for (let i = 0; i < notes.length; i++) {
    assert.equal(back[i]!.pitch, notes[i]!.pitch);
    assert.ok(Math.abs(back[i]!.startBeats - notes[i]!.startBeats) < 1e-6, `start ${back[i]!.startBeats} vs ${notes[i]!.startBeats}`);
    assert.ok(Math.abs(back[i]!.velocity - notes[i]!.velocity) <= 1);
  }
  // The swung 8th hats are kept off the grid: offset 0.04 beats = 0.16 steps.
  const hat = back.find((n) => n.pitch === 42 && n.startBeats > 0.5 && n.startBeats < 0.6)!;
  assert.ok(Math.abs(hat.startBeats - 0.54) < 1e-6);
});

test('two hits of one class in one step keep the louder; hits played early land on the next step', () => {
  const grid = drumsToGrid([
    { pitch: 38, velocity: 40, startBeats: 1, durationBeats: 0.1 },
    { pitch: 40, velocity: 120, startBeats: 1.05, durationBeats: 0.1 },
    { pitch: 36, velocity: 100, startBeats: 1.95, durationBeats: 0.1 },
  ]);
  const notes = gridToDrums(grid);
  assert.equal(notes.length, 2);
  const snare = notes.find((n) => n.pitch === 38)!;
  assert.equal(snare.velocity, 120);
  const kick = notes.find((n) => n.pitch === 36)!;
  assert.ok(Math.abs(kick.startBeats - 1.95) < 1e-6);
  assert.equal(grid[8 * DRUM_FEATURES + 0], 1, 'the early kick sits on step 8 with a negative offset');
});

test('melody classes: 0 no event, 1 note-off, 2… note-on of 21…108', () => {
  assert.equal(noteOnClass(21), 2);
  assert.equal(noteOnClass(108), 89);
  assert.throws(() => noteOnClass(20), /21…108/);
});

test('melody notes -> tokens -> notes keeps pitches, starts and lengths on the grid', () => {
  const notes = [
    { pitch: 60, velocity: 90, startBeats: 0, durationBeats: 1 },
    { pitch: 62, velocity: 70, startBeats: 1, durationBeats: 0.5 },
    { pitch: 64, velocity: 100, startBeats: 2, durationBeats: 2 },
    { pitch: 64, velocity: 100, startBeats: 4, durationBeats: 1 },
  ];
  const { tokens, velocity } = phraseToMelodyTokens(phraseOf(notes));
  assert.equal(tokens[0], noteOnClass(60));
  assert.equal(tokens[1], NO_EVENT);
  assert.equal(tokens[6], NOTE_OFF);
  assert.equal(tokens[16], noteOnClass(64), 'a repeated pitch is a new note-on');
  const back = tokensToNotes(tokens, velocity);
  assert.deepEqual(
    back.map((n) => [n.pitch, n.startBeats, n.durationBeats]),
    notes.map((n) => [n.pitch, n.startBeats, n.durationBeats]),
  );
  assert.deepEqual(back.map((n) => n.velocity), [90, 70, 100, 100]);
});

test('JSB separated voices: a note starts where the pitch changes; windows start with a note-on', () => {
  const voice = voiceFromPitches([60, 60, 62, 62, -1, -1, 64, 64]);
  assert.deepEqual([...voice.onset], [1, 0, 1, 0, 0, 0, 1, 0]);
  const { tokens } = voiceToTokens(voice, 1, 4);
  assert.deepEqual([...tokens], [noteOnClass(60), noteOnClass(62), NO_EVENT, NOTE_OFF]);
});

test('overlapping melody notes become a monophonic line', () => {
  const voice = notesToVoice(
    [
      { pitch: 60, velocity: 90, startBeats: 0, durationBeats: 2 },
      { pitch: 67, velocity: 90, startBeats: 0, durationBeats: 1 },
      { pitch: 65, velocity: 90, startBeats: 1, durationBeats: 0.5 },
    ],
    16,
  );
  assert.equal(voice.pitch[0], 67, 'of notes starting together the highest wins');
  assert.equal(voice.pitch[4], 65, 'a later note takes over');
  assert.equal(voice.onset[4], 1);
});

test('MIDI round trip keeps drum notes, timing (to the tick) and tempo', () => {
  const phrase = phraseOf(grooveNotes(2), 8, 97);
  const bytes = phrasesToMidi([phrase], 'drums');
  const [back] = midiToPhrases(bytes, 'drums');
  assert.ok(back);
  assert.ok(Math.abs(back.tempoBpm - 97) < 1e-3);
  assert.equal(back.notes.length, phrase.notes.length);
  for (let i = 0; i < phrase.notes.length; i++) {
    assert.equal(back.notes[i]!.pitch, phrase.notes[i]!.pitch);
    assert.ok(Math.abs(back.notes[i]!.startBeats - phrase.notes[i]!.startBeats) <= 1 / 480);
    assert.ok(Math.abs(back.notes[i]!.velocity - phrase.notes[i]!.velocity) <= 1);
  }
  // MIDI -> grid -> MIDI: the grid keeps the swing.
  const grid = drumsToGrid(back.notes);
  const again = midiToPhrases(phrasesToMidi([{ ...back, notes: gridToDrums(grid) }], 'drums'), 'drums')[0]!;
  assert.ok(again.notes.some((n) => Math.abs(n.startBeats - 0.54) <= 1 / 480));
});

test('MIDI round trip of a melody through tokens', () => {
  const phrase = phraseOf(scaleNotes(2), 8, 120);
  const [read] = midiToPhrases(phrasesToMidi([phrase], 'melody'), 'melody');
  const { tokens, velocity } = phraseToMelodyTokens(read!);
  const back = melodyTokensToPhrase(tokens, velocity, 120);
  assert.deepEqual(
    back.notes.map((n) => [n.pitch, n.startBeats, n.durationBeats]),
    phrase.notes.map((n) => [n.pitch, n.startBeats, n.durationBeats]),
  );
});

test('non-MIDI bytes give a clear error', () => {
  assert.throws(() => midiToPhrases(new TextEncoder().encode('hello'), 'drums'), /Standard MIDI file/);
});

test('cutWindows makes consecutive 2-bar windows and keeps early hits at window starts', () => {
  const notes = [...grooveNotes(4), { pitch: 36, velocity: 100, startBeats: 7.97, durationBeats: 0.1 }];
  const windows = cutWindows(phraseOf(notes, 14));
  assert.equal(windows.length, 2);
  assert.deepEqual(windows.map((w) => w.startBeats), [0, 8]);
  assert.ok(windows[1]!.phrase.notes.some((n) => n.pitch === 36 && Math.abs(n.startBeats + 0.03) < 1e-9));
  assert.equal(windows[0]!.phrase.notes.length + windows[1]!.phrase.notes.length, notes.filter((n) => n.startBeats < 16 - 0.125).length);
});

test('melody decoding keeps a note the model is sure of even when unsure of its pitch', async () => {
  const { melodyClassAt } = await import('../../../models/representation/features.ts');
  const logits = new Float32Array(90).fill(-10);
  logits[0] = Math.log(0.3);
  // 70 % note-on, spread over seven pitches (10 % each): plain argmax would say "no event".
  for (let c = 40; c < 47; c++) logits[c] = Math.log(0.1);
  logits[43] = Math.log(0.1001);
  assert.equal(melodyClassAt(logits, 0), 43);
  logits.fill(-10);
  logits[1] = 0;
  assert.equal(melodyClassAt(logits, 0), 1);
});

test('a chosen melody step is written exactly as the training data writes that token (velocity only on note-ons)', async () => {
  const { chooseStep, writeMelodyFeatures, MELODY_FEATURES } = await import('../../../models/representation/features.ts');
  const F = MELODY_FEATURES;
  // Decoder pre-activations for three steps: a note-on (velocity pre-activation 0 → 0.5), a hold, a note-off.
  const out = new Float32Array(3 * F).fill(-20);
  out[noteOnClass(60)] = 5;
  out[F + NO_EVENT] = 5;
  out[2 * F + NOTE_OFF] = 5;
  out[F - 1] = 0;
  out[2 * F - 1] = 3;
  out[3 * F - 1] = 3;
  const chosen = new Float32Array(3 * F);
  for (let t = 0; t < 3; t++) chooseStep('melody', out, t * F, 0, Math.random, chosen, t * F);
  const asTrained = new Float32Array(3 * F);
  writeMelodyFeatures([noteOnClass(60), NO_EVENT, NOTE_OFF], [0.5, 0, 0], asTrained);
  // The decoder reads `chosen` back when generating and `asTrained` when it learned: they must agree.
  assert.deepEqual(Array.from(chosen), Array.from(asTrained));
  // And the data itself has velocity on note-ons only.
  const { velocity } = voiceToTokens(voiceFromPitches([60, 60, 62, -1]), 0, 4);
  assert.deepEqual(Array.from(velocity).map((v) => v > 0), [true, false, true, false]);
});
