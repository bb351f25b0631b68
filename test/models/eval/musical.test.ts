/**
 * The musical statistics on hand-made phrases whose figures are known.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  gridOffsetMs, leapCounts, markovAnswer, musicalStats, onsetF1, onsetKeys, pitchRange, standardDeviation,
} from '../../../models/eval/musical.ts';
import { inKey, keyOfNotes } from '../../../models/respond/key.ts';
import { seededUniform } from '../../../models/runtime/random.ts';
import type { Phrase, PhraseNote } from '../../../protocol/phrase.ts';

const note = (pitch: number, startBeats: number, velocity = 80, durationBeats = 0.5): PhraseNote => ({ pitch, velocity, startBeats, durationBeats });
const phrase = (notes: PhraseNote[], tempoBpm = 120): Phrase => ({ source: 'file', notes, lengthBeats: 8, tempoBpm, beatsPerBar: 4 });

test('Krumhansl–Schmuckler finds C major and A minor; minor keys admit the raised 7th', () => {
  const cMajor = [60, 62, 64, 65, 67, 69, 71, 72, 67, 64, 60].map((p, i) => note(p, i * 0.5));
  assert.equal(keyOfNotes(cMajor), 0);
  const aMinor = [69, 71, 72, 74, 76, 72, 69, 68, 69, 64, 69].map((p, i) => note(p, i * 0.5, 80, p === 69 ? 1.5 : 0.5));
  assert.equal(keyOfNotes(aMinor), 12 + 9);
  assert.equal(keyOfNotes([]), -1);
  assert.ok(inKey(71, 0) && !inKey(70, 0));
  assert.ok(inKey(68, 21) && inKey(67, 21) && !inKey(70, 21));
});

test('leaps are intervals above a fifth between consecutive line notes; chords read as their top note', () => {
  // 60 → 67 (fifth, not a leap) → 76 (ninth, a leap) → 64 (a leap) → 65.
  const line = [note(60, 0), note(67, 0.5), note(76, 1), note(64, 1.5), note(65, 2)];
  assert.deepEqual(leapCounts(line), { leaps: 2, intervals: 4 });
  // A chord at beat 0: only its top note (67) counts, so 67 → 69 is a step.
  assert.deepEqual(leapCounts([note(48, 0), note(67, 0), note(69, 1)]), { leaps: 0, intervals: 1 });
  assert.equal(pitchRange(line), 16);
  assert.equal(pitchRange([]), null);
});

test('timing offsets are measured from the nearest 16th in milliseconds at the tempo', () => {
  // At 120 BPM a 16th is 125 ms; 0.1 beat late of beat 1 is 50 ms, 0.05 early of the 16th at 0.25 is −25 ms.
  assert.ok(Math.abs(gridOffsetMs(note(36, 1.1), 120) - 50) < 1e-9);
  assert.ok(Math.abs(gridOffsetMs(note(36, 0.2), 120) + 25) < 1e-9);
  assert.equal(standardDeviation([1]), null);
  assert.equal(standardDeviation([60, 100]), 20);
});

test('F1, copy share, continuation and repeat on known phrases', () => {
  const call = phrase([note(60, 0), note(62, 1), note(64, 2), note(65, 3)]);
  // Two of four onsets equal the call's (same step and pitch), one is the call's pitch on another step, one is new.
  const answer = phrase([note(60, 0), note(62, 1.02), note(64, 2.5), note(67, 3)]);
  const next = phrase([note(64, 2.5), note(67, 3), note(69, 4), note(71, 5)]);
  const stats = musicalStats([{ call, answer, next }], false);
  assert.equal(stats.copy_share, 0.5);
  assert.equal(stats.f1_to_call, 0.5);
  assert.equal(stats.continue_f1, 0.5);
  assert.equal(stats.repeat_f1, 0);
  assert.equal(stats.notes_per_bar, 2);
  assert.equal(stats.in_key, 1, 'every answer note is in C major');
  assert.equal(stats.leap_share, 0);
  assert.equal(stats.range, 7);
  assert.equal(stats.in_register, 1);
  assert.equal(stats.pitch_shift, 0.5, 'mean 63.25 against 62.75');
  assert.equal(stats.velocity_sd, 0);
  // 62 at 1.02 beats is 10 ms late at 120 BPM; the others are on the grid: SD of (0, 10, 0, 0).
  assert.ok(Math.abs(stats.timing_sd_ms! - Math.sqrt(18.75)) < 1e-3);
  const echo = musicalStats([{ call, answer: call, next }], false);
  assert.equal(echo.copy_share, 1);
  assert.equal(echo.f1_to_call, 1);
  assert.equal(echo.continue_f1, echo.repeat_f1);
});

test('drum onsets compare drum classes, and pitch figures do not apply to drums', () => {
  assert.equal(onsetF1(onsetKeys([note(42, 0)], true), onsetKeys([note(44, 0)], true)), 1, 'closed and pedal hat are one class');
  const call = phrase([note(36, 0, 120), note(38, 1, 40), note(42, 0.5, 60), note(42, 1.5, 100)]);
  const stats = musicalStats([{ call, answer: call, next: null }], true);
  assert.equal(stats.in_key, null);
  assert.equal(stats.leap_share, null);
  assert.equal(stats.continue_f1, null, 'no next window, no continuation figure');
  assert.ok(Math.abs(stats.velocity_sd! - standardDeviation([120, 40, 60, 100])!) < 1e-3);
  assert.ok(stats.velocity_sd! > 30);
});

test('the Markov baseline walks the call\'s own transitions: deterministic, its notes are the call\'s', () => {
  const call = phrase([0, 1, 2, 3, 4, 5, 6, 7].map((b) => note(b % 2 ? 38 : 36, b + (b % 2 ? 0.02 : 0), 70 + b * 5, 0.125)));
  const a = markovAnswer(call, seededUniform(3), true);
  const b = markovAnswer(call, seededUniform(3), true);
  assert.deepEqual(a, b);
  assert.ok(a.notes.length > 0);
  const callVelocities = new Set(call.notes.map((n) => `${n.pitch}:${n.velocity}`));
  for (const n of a.notes) assert.ok(callVelocities.has(`${n.pitch}:${n.velocity}`), 'each note is a call note moved');
  assert.ok(a.notes.every((n) => n.startBeats >= 0 && n.startBeats < 8));
});
