/**
 * The loop GUI's pure pieces, in Node: value formatting and slider steps,
 * the piano roll's note model (beats and frames to audio-clock seconds,
 * cancel, the 16-bar window) and the pad trail's fading.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PARAMETERS, parameterSpec } from '../../../protocol/parameters.ts';
import { formatParameterValue, midiNoteName, parameterStep } from '../../../gui/loop/parameter-format.ts';
import { RollNotes } from '../../../gui/loop/roll-notes.ts';
import { PadTrail } from '../../../gui/loop/pad-trail.ts';

const spec = (id: string) => parameterSpec(id)!;

describe('parameter formatting', () => {
  test('every float slider step puts the default and the ends on its grid', () => {
    for (const p of PARAMETERS.filter((q) => q.type === 'float')) {
      const step = parameterStep(p);
      assert.ok(step > 0 && step <= (p.maxValue - p.minValue) / 100, `${p.id}: step ${step}`);
      const k = (p.defaultValue - p.minValue) / step;
      assert.ok(Math.abs(k - Math.round(k)) < 1e-6, `${p.id}: default ${p.defaultValue} on the grid of ${step}`);
    }
    assert.equal(parameterStep(spec('temperature')), 0.01);
    assert.equal(parameterStep(spec('tempo')), 1);
    assert.equal(parameterStep(spec('midiOutLatency')), 5);
  });

  test('values read with their units and names', () => {
    assert.equal(formatParameterValue(spec('temperature'), 0.8), '0.80');
    assert.equal(formatParameterValue(spec('tempo'), 120), '120 BPM');
    assert.equal(formatParameterValue(spec('silenceGap'), 1), '1.00 beats');
    assert.equal(formatParameterValue(spec('pitchLow'), 36), 'C2 · 36');
    assert.equal(formatParameterValue(spec('keyRoot'), 9), 'A');
    assert.equal(formatParameterValue(spec('mode'), 1), 'call response');
    assert.equal(formatParameterValue(spec('midiThru'), 1), 'on');
    assert.equal(midiNoteName(60), 'C4');
    assert.equal(midiNoteName(21), 'A0');
  });
});

describe('piano roll notes', () => {
  test('performer notes: beats from the phrase start, at the phrase tempo', () => {
    const roll = new RollNotes();
    roll.addPhrase({ type: 'phrase', notes: Float64Array.from([60, 100, 1, 0.5, 62, 90, 2, 2]), startBeat: 8, lengthBeats: 4, startTimeS: 10, tempoBpm: 90, beatsPerBar: 4 });
    assert.deepEqual(roll.notes.map((n) => [n.source, n.pitch, n.velocity, +n.startS.toFixed(6), +n.endS.toFixed(6)]), [
      ['performer', 60, 100, 10 + 60 / 90, 10 + 1.5 * (60 / 90)],
      ['performer', 62, 90, 10 + 2 * (60 / 90), 10 + 4 * (60 / 90)],
    ].map((row) => row.map((v) => (typeof v === 'number' ? +v.toFixed(6) : v))));
    assert.deepEqual(roll.anchor, { beat: 8, timeS: 10, tempoBpm: 90 });
  });

  test('planned notes: frames over the sample rate, note-offs paired per channel and pitch', () => {
    const roll = new RollNotes();
    const sr = 44_100;
    // Channel 1 pitch 67 on at 1 s, off (as velocity-0 note-on) at 1.5 s; channel 2 pitch 67 on at 1.25 s with no off; a CC is ignored.
    roll.addPlanned({ type: 'planned', events: Float64Array.from([sr, 0x90, 67, 100, 1.25 * sr, 0x91, 67, 80, 1.3 * sr, 0xb0, 64, 127, 1.5 * sr, 0x90, 67, 0]), startBeat: 0, tempoBpm: 120, sampleRate: sr, startFrame: 0 });
    assert.deepEqual(roll.notes.map((n) => [n.pitch, n.startS, n.endS]), [[67, 1, 1.5], [67, 1.25, 1.75]]);
  });

  test('a cancel drops the response not yet started and cuts the one sounding; performer notes stay', () => {
    const roll = new RollNotes();
    roll.addPhrase({ type: 'phrase', notes: Float64Array.from([60, 100, 0, 8]), startBeat: 0, lengthBeats: 8, startTimeS: 0, tempoBpm: 120, beatsPerBar: 4 });
    roll.addPlanned({ type: 'planned', events: Float64Array.from([48_000, 0x90, 67, 100, 96_000, 0x80, 67, 0, 144_000, 0x90, 69, 100, 192_000, 0x80, 69, 0]), startBeat: 2, tempoBpm: 120, sampleRate: 48_000, startFrame: 48_000 });
    roll.cancel(1.5);
    assert.deepEqual(roll.notes.map((n) => [n.source, n.startS, n.endS]), [['performer', 0, 4], ['response', 1, 1.5]]);
  });

  test('bars follow the metre of the latest phrase: 3/4 at 120 BPM is 1.5 s a bar, 16 bars kept are 24 s', () => {
    const roll = new RollNotes();
    assert.equal(roll.barSeconds(120), 2, '4/4 before any phrase');
    roll.addPhrase({ type: 'phrase', notes: Float64Array.from([60, 90, 0, 1]), startBeat: 0, lengthBeats: 3, startTimeS: 0, tempoBpm: 120, beatsPerBar: 3 });
    assert.equal(roll.beatsPerBar, 3);
    assert.equal(roll.barSeconds(90), 1.5);
    roll.addPhrase({ type: 'phrase', notes: Float64Array.from([62, 90, 0, 1]), startBeat: 3, lengthBeats: 3, startTimeS: 23, tempoBpm: 120, beatsPerBar: 3 });
    assert.equal(roll.prune(24.6, 120), true);
    assert.deepEqual(roll.notes.map((n) => n.pitch), [62], 'the note that ended 24 s (16 bars of 3/4) ago is dropped');
    roll.addPhrase({ type: 'phrase', notes: new Float64Array(0), startBeat: 6, lengthBeats: 3, startTimeS: 25, tempoBpm: 120, beatsPerBar: Number.NaN });
    assert.equal(roll.beatsPerBar, 3, 'a malformed metre is ignored');
  });

  test('keeps the last 16 bars', () => {
    const roll = new RollNotes();
    for (let bar = 0; bar < 40; bar++) roll.addPhrase({ type: 'phrase', notes: Float64Array.from([60, 90, 0, 1]), startBeat: bar * 4, lengthBeats: 4, startTimeS: bar * 2, tempoBpm: 120, beatsPerBar: 4 });
    assert.equal(roll.prune(80, 120), true);
    assert.deepEqual(roll.notes.map((n) => n.startS), Array.from({ length: 16 }, (_, i) => 48 + 2 * i));
  });
});

describe('pad trail', () => {
  test('points fade out over fadeMs and are dropped', () => {
    const trail = new PadTrail({ fadeMs: 1000 });
    trail.add(0, 0, 0);
    trail.add(0.5, 0.5, 500);
    trail.add(0.5, 0.5, 600);
    assert.equal(trail.points.length, 2, 'a repeated position refreshes the last point');
    assert.equal(trail.opacity(trail.points[1], 1100), 0.5);
    assert.equal(trail.prune(1200), true);
    assert.equal(trail.points.length, 1);
    assert.equal(trail.prune(1700), false);
    assert.equal(trail.points.length, 0);
  });
});
