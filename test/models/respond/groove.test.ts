/**
 * The answer carries the performer's groove: each hit takes the timing and
 * dynamics of the matching hit of the call, scaled by humanise (0 quantised,
 * 1 the call's feel).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GrooveTemplate } from '../../../models/respond/groove.ts';
import { shapeResponse } from '../../../models/respond/shape.ts';
import { eventsToNotes, WindowAnswerer } from '../../../models/respond/answer-windows.ts';
import { standardDeviation } from '../../../models/eval/musical.ts';
import { defaultParameterValues } from '../../../protocol/parameters.ts';
import { loadModelFromDir } from '../../../models/runtime/node.ts';
import type { GenerationSettings } from '../../../protocol/processor-worker.ts';
import type { Phrase, PhraseNote } from '../../../protocol/phrase.ts';

const hit = (pitch: number, startBeats: number, velocity: number): PhraseNote => ({ pitch, velocity, startBeats, durationBeats: 0.125 });
const phrase = (notes: PhraseNote[], lengthBeats = 8): Phrase => ({ source: 'host-midi', notes, lengthBeats, tempoBpm: 100, beatsPerBar: 4 });

/** A swung groove: hats on 8ths, the off-beats 0.08 beats late and soft, the downbeats loud. */
function swung(): Phrase {
  const notes: PhraseNote[] = [];
  for (let e = 0; e < 16; e++) {
    notes.push(hit(42, e / 2 + (e % 2 ? 0.08 : 0), e % 2 ? 30 : 120));
    if (e % 4 === 0) notes.push(hit(36, e / 2, 110));
    if (e % 4 === 2) notes.push(hit(38, e / 2 + 0.03, 100));
  }
  return phrase(notes.sort((a, b) => a.startBeats - b.startBeats));
}

const settings = (humanize: number): GenerationSettings => ({
  mode: 1, model: 1, temperature: 0.8, variation: 0.3, reply: 0, density: 0.5, humanize, keyLock: 0, keyRoot: 0, scale: 0, detectedKey: -1,
  pitchLow: 36, pitchHigh: 96, midiChannel: 10, padX: 0.5, padY: 0.5, seed: 1,
});

test('the template finds the same class on the same step, then in the same place of the bar or beat, nearest first', () => {
  const call = phrase([hit(42, 0.5 + 0.08, 30), hit(38, 1 + 0.03, 100), hit(38, 5 - 0.02, 90), hit(36, -0.05, 115)]);
  const t = new GrooveTemplate(call, true);
  // Step 2 hat: the call's own hat there.
  const own = t.feel(2, 42, 80, 0, 80, 10);
  assert.equal(own.velocity, 30);
  assert.ok(Math.abs(own.offsetSteps - 0.32) < 1e-9);
  // A pedal hat (same class) 4 bars on: the call repeats.
  const again = t.feel(2 + 32, 44, 80, 0, 80, 10);
  assert.equal(again.velocity, 30);
  // Snare on step 20 (beat 5): its own hit, early; on step 36 (= step 4 of the loop) the snare there, late.
  assert.ok(Math.abs(t.feel(20, 38, 70, 0, 80, 10).offsetSteps + 0.08) < 1e-9);
  assert.ok(Math.abs(t.feel(36, 38, 70, 0, 80, 10).offsetSteps - 0.12) < 1e-9);
  // The kick played early on the downbeat keeps its early offset on step 0.
  assert.ok(Math.abs(t.feel(0, 36, 70, 0, 80, 10).offsetSteps + 0.2) < 1e-9);
  // A ride the call never played: the timing of the step's other hits, the model's velocity mapped onto the call's spread.
  const ride = t.feel(4, 51, 90, 0.1, 80, 10);
  assert.ok(Math.abs(ride.offsetSteps - 0.12) < 1e-9, 'the snare on that step lends its timing');
  const velocities = [30, 100, 90, 115];
  const m = velocities.reduce((s, v) => s + v, 0) / 4;
  assert.ok(Math.abs(ride.velocity - (m + standardDeviation(velocities)!)) < 1e-9, 'one model SD above the model mean is one call SD above the call mean');
});

test('humanise scales the call\'s feel: 0 is on the grid with the model\'s velocity, 1 the call\'s timing and dynamics', () => {
  const call = swung();
  const answer = phrase([hit(42, 0.5, 80), hit(42, 1, 80), hit(38, 1, 75)]);
  const template = new GrooveTemplate(call, true);
  const at = (h: number) => eventsToNotes(shapeResponse(answer, settings(h), 8, true, { groove: template }));
  const full = at(1);
  const offbeat = full.find((n) => n.pitch === 42 && n.startBeats < 0.75)!;
  assert.ok(Math.abs(offbeat.startBeats - 0.58) < 1e-9);
  assert.equal(offbeat.velocity, 30);
  assert.equal(full.find((n) => n.pitch === 42 && n.startBeats >= 0.75)!.velocity, 120);
  const snare = full.find((n) => n.pitch === 38)!;
  assert.ok(Math.abs(snare.startBeats - 1.03) < 1e-9);
  const none = at(0);
  for (const n of none) assert.equal(n.startBeats * 4, Math.round(n.startBeats * 4));
  assert.deepEqual(none.map((n) => n.velocity), [80, 75, 80], 'the model\'s own velocities');
  const half = at(0.5).find((n) => n.pitch === 42 && n.startBeats < 0.75)!;
  assert.ok(Math.abs(half.startBeats - 0.54) < 1e-9);
  assert.equal(half.velocity, 55);
  assert.deepEqual(eventsToNotes(shapeResponse(answer, settings(1), 8, true)).map((n) => n.velocity), [80, 75, 80], 'without a call the model plays as generated');
});

test('the plugin\'s answer to a swung, accented call is swung and accented like it', async () => {
  const model = await loadModelFromDir('models/weights/drums');
  const call = swung();
  const answer = new WindowAnswerer(model).answer(call);
  const hats = answer.notes.filter((n) => n.pitch === 42);
  const offbeats = hats.filter((n) => Math.round(n.startBeats * 4) % 2 === 0 && Math.round(n.startBeats * 2) % 2 === 1);
  assert.ok(offbeats.length >= 4, `the answer has off-beat hats (${offbeats.length})`);
  for (const n of offbeats) assert.ok(Math.abs(n.startBeats - Math.round(n.startBeats * 2) / 2 - 0.08) < 1e-6, `off-beat hat ${n.startBeats} is as late as the call's`);
  const sd = standardDeviation(answer.notes.map((n) => n.velocity))!;
  const callSd = standardDeviation(call.notes.map((n) => n.velocity))!;
  assert.ok(sd > 0.85 * callSd, `velocity spread ${sd.toFixed(1)} near the call's ${callSd.toFixed(1)}`);
  const quantised = new WindowAnswerer(model, { values: { ...defaultParameterValues(), humanize: 0 } }).answer(call);
  for (const n of quantised.notes) assert.ok(Math.abs(n.startBeats * 4 - Math.round(n.startBeats * 4)) < 1e-9);
  model.dispose();
});
