/** The roll's live performer notes and its answers (gui/loop/roll-notes.ts): pure data, no drawing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RollNotes } from '../../../gui/loop/roll-notes.ts';
import type { PerformerNotesReport } from '../../../gui/loop/loop-host.ts';

const SR = 48_000;
const live = (...events: [number, number, number][]): PerformerNotesReport => ({
  type: 'performer-notes', events: Float64Array.from(events.flatMap(([t, p, v]) => [t * SR, p, v])), count: events.length, sampleRate: SR,
});

test('live notes are held until their note-off, and the phrase that covers them replaces them', () => {
  const roll = new RollNotes();
  roll.addPerformerNotes(live([1, 60, 100], [1.2, 64, 90]));
  assert.deepEqual(roll.notes.map((n) => [n.pitch, n.endS]), [[60, Infinity], [64, Infinity]]);
  roll.addPerformerNotes(live([1.5, 60, 0], [6, 67, 80]));
  assert.deepEqual(roll.notes.map((n) => [n.pitch, n.startS, n.endS]), [[60, 1, 1.5], [64, 1.2, Infinity], [67, 6, Infinity]]);
  roll.addPerformerNotes(live([1.6, 64, 0]));
  // The phrase window is 1–5 s: the two notes in it are replaced; the one after it stays.
  roll.addPhrase({ type: 'phrase', notes: Float64Array.from([60, 100, 0, 1, 64, 90, 0.4, 0.8]), startBeat: 2, lengthBeats: 8, startTimeS: 1, tempoBpm: 120, beatsPerBar: 4 });
  assert.deepEqual(roll.notes.map((n) => [n.pitch, n.startS, n.live ?? false]).sort(), [[60, 1, false], [64, 1.2, false], [67, 6, true]].sort());
});

test('an answer exports as a phrase from its start beat, and goes when its notes go', () => {
  const roll = new RollNotes();
  roll.addPhrase({ type: 'phrase', notes: Float64Array.from([60, 100, 0, 1]), startBeat: 0, lengthBeats: 8, startTimeS: 2, tempoBpm: 120, beatsPerBar: 4 });
  roll.addPlanned({ type: 'planned', startBeat: 8, tempoBpm: 120, sampleRate: SR, startFrame: 4 * SR, events: Float64Array.from([6.5 * SR, 0x90, 67, 100, 7 * SR, 0x80, 67, 0, 7 * SR, 0x90, 69, 80]) });
  assert.equal(roll.answers.length, 1);
  const [answer] = roll.answers;
  assert.equal(answer.startS, 6, 'beat 8 on the grid of the phrase');
  assert.equal(roll.answerAt(6.7)?.id, answer.id);
  assert.equal(roll.answerAt(5.9), null);
  const phrase = roll.answerPhrase(answer);
  assert.deepEqual(phrase.notes, [
    { pitch: 67, velocity: 100, startBeats: 1, durationBeats: 1 },
    { pitch: 69, velocity: 80, startBeats: 2, durationBeats: 1 }, // left open: one beat
  ]);
  assert.equal(phrase.tempoBpm, 120);
  assert.equal(phrase.lengthBeats, 4);
  roll.cancel(6.8);
  assert.deepEqual(roll.answerPhrase(roll.answers[0]).notes.map((n) => n.durationBeats), [0.6], 'a cancel cuts the answer; what did not start is gone');
  roll.prune(100, 120);
  assert.deepEqual(roll.answers, []);
});

test('without a beat grid an answer starts at its first note', () => {
  const roll = new RollNotes();
  roll.addPlanned({ type: 'planned', startBeat: 40, tempoBpm: 100, sampleRate: SR, startFrame: 24 * SR, events: Float64Array.from([3 * SR, 0x90, 50, 90, 3.6 * SR, 0x80, 50, 0]) });
  const phrase = roll.answerPhrase(roll.answers[0]);
  assert.equal(roll.answers[0].startS, 3);
  assert.deepEqual(phrase.notes, [{ pitch: 50, velocity: 90, startBeats: 0, durationBeats: 1 }]);
});

test('a held note whose note-off never comes is dropped once it started longer ago than the kept bars', () => {
  const roll = new RollNotes({ keepBars: 2 });
  roll.addPerformerNotes(live([1, 60, 100]));
  assert.equal(roll.prune(4.9, 120), false, 'two bars at 120 BPM: 4 s; still kept');
  assert.equal(roll.prune(5.1, 120), true);
  assert.deepEqual(roll.notes, []);
});
