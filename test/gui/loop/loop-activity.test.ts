/** The loop panel's state pill logic (gui/loop/loop-activity.ts), event by event on the audio clock. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LoopActivity } from '../../../gui/loop/loop-activity.ts';
import type { PerformerNotesReport, PlannedReport } from '../../../gui/loop/loop-host.ts';

const SR = 48_000;
const notes = (...events: [number, number, number][]): PerformerNotesReport => ({
  type: 'performer-notes', events: Float64Array.from(events.flatMap(([t, p, v]) => [t * SR, p, v])), count: events.length, sampleRate: SR,
});
const planned = (fromS: number, toS: number): PlannedReport => ({
  type: 'planned', events: Float64Array.from([fromS * SR, 0x90, 60, 100, toS * SR, 0x80, 60, 0]), startBeat: 0, tempoBpm: 120, sampleRate: SR, startFrame: 0,
});

test('a call and its answer: waiting, listening, thinking, answering, waiting', () => {
  const a = new LoopActivity();
  assert.equal(a.state(1, true), 'waiting');
  assert.equal(a.state(1, false), 'off');
  a.performerNotes(notes([1.1, 60, 100]));
  assert.equal(a.state(1.2, true), 'listening');
  a.performerNotes(notes([1.5, 60, 0]));
  assert.equal(a.state(2, true), 'listening', 'still the same phrase until it closes');
  a.phraseEnded();
  a.requested({ type: 'music-requested', id: 7, kind: 'answer', targetStartTimeS: 4 });
  assert.equal(a.state(3.9, true), 'thinking');
  a.planned(planned(4, 6));
  assert.equal(a.state(4.5, true), 'answering');
  assert.equal(a.state(5.99, true), 'answering');
  assert.equal(a.state(6.01, true), 'waiting', 'the answer is over');
});

test('answering wins over thinking, thinking over listening', () => {
  const a = new LoopActivity();
  a.performerNotes(notes([0.5, 60, 100]));
  a.requested({ type: 'music-requested', id: 1, kind: 'window', targetStartTimeS: 2 });
  assert.equal(a.state(1, true), 'thinking');
  a.planned(planned(2, 4));
  a.requested({ type: 'music-requested', id: 2, kind: 'window', targetStartTimeS: 4 });
  assert.equal(a.state(3, true), 'answering');
  a.planned(planned(4, 6));
  assert.equal(a.state(6.5, true), 'listening', 'the performer never closed the phrase (within the timeout)');
});

test('a request that fails, goes stale or never comes back stops "thinking"', () => {
  const a = new LoopActivity({ thinkingTimeoutS: 4 });
  a.requested({ type: 'music-requested', id: 3, kind: 'answer', targetStartTimeS: 2 });
  a.requested({ type: 'music-requested', id: 4, kind: 'answer', targetStartTimeS: 6 });
  a.unanswered({ type: 'music-unanswered', id: 3, reason: 'failed' });
  assert.equal(a.state(1, true), 'thinking', 'request 4 still waits');
  a.unanswered({ type: 'music-unanswered', id: 4, reason: 'stale' });
  assert.equal(a.state(1, true), 'waiting');
  a.requested({ type: 'music-requested', id: 5, kind: 'answer', targetStartTimeS: 2 });
  assert.equal(a.state(5.9, true), 'thinking');
  assert.equal(a.state(6.1, true), 'waiting', 'forgotten 4 s after the music was wanted');
});

test('a cancel ends answering and thinking at once; an unclosed phrase times out', () => {
  const a = new LoopActivity({ listeningTimeoutS: 8 });
  a.requested({ type: 'music-requested', id: 1, kind: 'answer', targetStartTimeS: 2 });
  a.planned(planned(2, 10));
  assert.equal(a.state(3, true), 'answering');
  a.requested({ type: 'music-requested', id: 2, kind: 'answer', targetStartTimeS: 10 });
  a.cancel(3.5);
  assert.equal(a.state(3.6, true), 'waiting');
  a.performerNotes(notes([4, 60, 100]));
  assert.equal(a.state(11.9, true), 'listening');
  assert.equal(a.state(12.1, true), 'waiting');
  a.performerNotes(notes());
  assert.equal(a.state(12.2, false), 'off', 'an empty report is not playing');
});
