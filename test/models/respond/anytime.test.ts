/**
 * The responder's anytime encoding (models/respond/anytime.ts) with the
 * shipped drums model: phrase updates warm the latent the request then
 * starts from; a request with no update, or for another phrase than the one
 * warmed, still answers (the bounded fallback); the same updates, request and
 * seed give the same answer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModelFromDir } from '../../../models/runtime/node.ts';
import { Responder, unpackPhrase } from '../../../models/respond/responder.ts';
import { AnytimeEncoder } from '../../../models/respond/anytime.ts';
import { WarmLatent } from '../../../models/runtime/warm-latent.ts';
import type { MusicRequest, PhraseUpdate } from '../../../protocol/processor-worker.ts';

/** A one-bar groove starting at beat 4: kick, hats, snare (pitch, velocity, start, duration). */
const GROOVE = [36, 100, 0, 0.1, 42, 80, 0.5, 0.1, 38, 100, 1, 0.1, 42, 80, 1.5, 0.1, 36, 100, 2, 0.1, 42, 80, 2.5, 0.1, 38, 100, 3, 0.1, 42, 80, 3.5, 0.1];
const START = 4;

function request(phraseStartBeat = START): MusicRequest {
  return {
    type: 'music-request', id: 7, kind: 'answer', notes: Float64Array.from(GROOVE), phraseStartBeat, phraseLengthBeats: 4, targetStartBeat: 8, targetLengthBeats: 4,
    tempoBpm: 100, beatsPerBar: 4, phraseStartTimeS: 2.4,
    settings: {
      mode: 1, model: 1, temperature: 0.5, variation: 0.3, density: 0.5, humanize: 1, keyLock: 0, keyRoot: 0, scale: 0, detectedKey: -1,
      pitchLow: 36, pitchHigh: 96, midiChannel: 10, padX: 0.5, padY: 0.5, seed: 42, reply: 0,
    },
  };
}

/** The updates the processor sends while the groove is played: at beats 1, 2 and 3 of the phrase, in a pooled buffer. */
function updates(): PhraseUpdate[] {
  return [1, 2, 3].map((beat, i) => {
    const notes = new Float64Array(1024 * 4);
    let count = 0;
    for (let n = 0; n < GROOVE.length; n += 4) {
      if (GROOVE[n + 2]! >= beat) continue;
      notes.set(GROOVE.slice(n, n + 4), count * 4);
      count++;
    }
    return { type: 'phrase-update', id: i + 1, model: 1, notes, noteCount: count, phraseStartBeat: START, playedBeats: beat + 0.003, first: i === 0, tempoBpm: 100, beatsPerBar: 4 };
  });
}

test('the responder answers from the latent its phrase updates warmed', async () => {
  const drums = await loadModelFromDir('models/weights/drums');
  const responder = new Responder({ drums });
  assert.deepEqual(updates().map((u) => responder.update(u)), [1, 1, 1], 'one update per new whole beat');
  const warmed = responder.respond(request());
  assert.ok(warmed.events && warmed.events.length > 0, 'an answer');
  assert.equal(warmed.warmStart, true);
  // The same search by hand: the warm latent's updates then its final steps.
  const warm = new WarmLatent(drums);
  for (const u of updates()) warm.update(drums.features(unpackPhrase(u.notes.subarray(0, u.noteCount * 4), u.playedBeats, 100, 4, 'host-midi')), u.playedBeats);
  const input = unpackPhrase(Float64Array.from(GROOVE), 4, 100, 4, 'host-midi');
  assert.deepEqual(warmed.performerLatent, warm.finish(drums.features(input), 4));
  drums.dispose();
});

test('a request with no update, or for another phrase than the one warmed, still answers from the bounded fallback', async () => {
  const drums = await loadModelFromDir('models/weights/drums');
  const cold = new Responder({ drums }).respond(request());
  assert.ok(cold.events && cold.events.length > 0, 'an answer without updates');
  assert.equal(cold.warmStart, false);
  const input = unpackPhrase(Float64Array.from(GROOVE), 4, 100, 4, 'host-midi');
  const fallback = new AnytimeEncoder(drums).encode(input, START);
  assert.deepEqual(cold.performerLatent, fallback);
  const moved = new Responder({ drums });
  for (const u of updates()) moved.update(u);
  const other = moved.respond(request(START + 4));
  assert.deepEqual(other.performerLatent, fallback, 'updates of the phrase at beat 4 do not warm the one at beat 8');
  assert.equal(other.warmStart, false);
  assert.equal(new Responder({ drums }).update({ ...updates()[0]!, model: 0 }), 0, 'an update for a model not loaded is ignored');
  drums.dispose();
});

test('a phrase\'s first update starts a new search, even at the start beat of an abandoned one', async () => {
  const drums = await loadModelFromDir('models/weights/drums');
  const fresh = new Responder({ drums });
  for (const u of updates()) fresh.update(u);
  const stale = new Responder({ drums });
  // A phrase at the same start beat, abandoned before its request (the transport went back), with other notes.
  for (const u of updates()) stale.update({ ...u, notes: u.notes.map((v, i) => (i % 4 === 0 && v > 0 ? 46 : v)) });
  for (const u of updates()) stale.update(u);
  assert.deepEqual(stale.respond(request()).performerLatent, fresh.respond(request()).performerLatent);
  drums.dispose();
});

test('the same updates, request and seed give the same answer; the warm start is not the fallback', async () => {
  const drums = await loadModelFromDir('models/weights/drums');
  const answer = () => {
    const responder = new Responder({ drums });
    for (const u of updates()) responder.update(u);
    return responder.respond(request());
  };
  const a = answer();
  const b = answer();
  assert.deepEqual(a.events, b.events);
  assert.deepEqual(a.performerLatent, b.performerLatent);
  const cold = new Responder({ drums }).respond(request());
  assert.notDeepEqual(a.performerLatent, cold.performerLatent);
  drums.dispose();
});
