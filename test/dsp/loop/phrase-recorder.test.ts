/**
 * The recorder's windows look back half a 16th step, as training windows do:
 * a note that starts that close before a window belongs to it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WINDOW_LOOK_BACK_BEATS } from '../../../protocol/phrase.ts';
import { PhraseRecorder } from '../../../dsp/loop/phrase-recorder.ts';

test('a window takes the notes from half a step before its start to half a step before its end', () => {
  const r = new PhraseRecorder(16);
  r.hit(36, 100, 4 - WINDOW_LOOK_BACK_BEATS - 0.01); // more than half a step early: the window before
  r.hit(36, 110, 4 - WINDOW_LOOK_BACK_BEATS); // exactly half a step early: this window, first step
  r.hit(38, 90, 6);
  r.noteOn(60, 80, 8 - 0.1); // a short note just ahead of the window's end: the next window's
  r.noteOff(60, 8 - 0.05);
  const out = new Float64Array(64);
  const n = r.take(4, 8, out);
  assert.equal(n, 2);
  assert.deepEqual(Array.from(out.slice(0, 8)), [36, 110, -WINDOW_LOOK_BACK_BEATS, 0.125, 38, 90, 2, 0.125]);
  assert.equal(r.noteCount, 1, 'the earlier note and the written ones are forgotten; the next window\'s note stays');
  assert.equal(r.firstStartBeat, 8 - 0.1);
  assert.equal(r.take(8, 12, out), 1);
  assert.ok(Math.abs(out[2] + 0.1) < 1e-12, 'it opens the next window with its offset kept');
  assert.equal(r.noteCount, 0);
});

test('the window a note starts: the grid line at or before it, or the next within the look-back', () => {
  assert.equal(PhraseRecorder.windowStartOf(7.9, 4), 8);
  assert.equal(PhraseRecorder.windowStartOf(8 - 1e-12, 4), 8);
  assert.equal(PhraseRecorder.windowStartOf(8 - WINDOW_LOOK_BACK_BEATS, 4), 8);
  assert.equal(PhraseRecorder.windowStartOf(7.8, 4), 4);
  assert.equal(PhraseRecorder.windowStartOf(2.95, 1), 3);
  assert.equal(PhraseRecorder.windowStartOf(2.5, 1), 2);
});

test('the latest start is the largest start held, or NaN when empty', () => {
  const r = new PhraseRecorder(4);
  assert.ok(Number.isNaN(r.lastStartBeat));
  r.hit(36, 100, 1);
  r.hit(38, 100, 3);
  r.hit(42, 100, 2);
  assert.equal(r.lastStartBeat, 3);
});
