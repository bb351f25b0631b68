// The session roll's layout: performer and plugin notes apart, thru copies left out, time and pitch axes (Node).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rollModel, ROLL_AXIS_PX, ROLL_GUTTER_PX } from '../../../gui/session-browser/roll.ts';
import type { NoteLane, SpanNote } from '../../../log/notes.ts';

const note = (lane: NoteLane, pitch: number, startS: number, endS = startS + 0.2): SpanNote => ({ lane, channel: 0, pitch, velocity: 100, startS, endS });

test('performer, generated and detected notes are laid out on their own lanes; thru copies are not drawn', () => {
  const notes = [note('performer', 60, 2.5), note('thru', 60, 2.5), note('generated', 67, 3), note('detected', 64, 4, 4.5)];
  const model = rollModel(notes, 2, 10, { width: 434, height: 136 });
  assert.deepEqual(model.counts, { performer: 1, generated: 1, detected: 1, thruHidden: 1 });
  assert.deepEqual(model.rects.map((r) => r.lane), ['detected', 'performer', 'generated'], 'the plugin\'s notes are drawn last, the detected first');
  assert.deepEqual(model.plot, { left: ROLL_GUTTER_PX, top: 0, width: 400, height: 136 - ROLL_AXIS_PX });
  const performer = model.rects[1];
  assert.equal(performer.x, ROLL_GUTTER_PX + 0.05 * 400, 'half a second into a ten-second session');
  assert.ok(Math.abs(performer.width - 0.02 * 400) < 1e-9);
  assert.ok(model.rects[2].y < performer.y, 'higher pitches are higher up');
});

test('the axes: seconds from the session start under the plot, note names beside it', () => {
  const model = rollModel([note('performer', 48, 0), note('generated', 72, 5)], 0, 90, { width: 634, height: 160 });
  assert.deepEqual(model.timeTicks.map((t) => t.label), ['0:00', '0:10', '0:20', '0:30', '0:40', '0:50', '1:00', '1:10', '1:20', '1:30']);
  assert.ok(Math.abs(model.timeTicks[1].position - (10 / 90) * 600) < 1e-9);
  assert.deepEqual(model.pitchTicks.map((t) => t.label), ['C3', 'D♯3', 'F♯3', 'A3', 'C4', 'D♯4', 'F♯4', 'A4', 'C5'], 'every third semitone fits, C among them');
  assert.ok(model.pitchTicks.every((t, i) => i === 0 || t.position < model.pitchTicks[i - 1].position), 'ticks run up the axis');
  const short = rollModel([], 0, 1.5, { width: 434, height: 160 });
  assert.deepEqual(short.timeTicks.map((t) => t.label), ['0.0 s', '0.5 s', '1.0 s', '1.5 s']);
});
