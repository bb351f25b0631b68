/**
 * The responder never answers a phrase with silence: when the performer's
 * region of the latent space decodes to nothing, it moves further away and
 * finally draws from the prior. (The real shipped drums model, wrapped so
 * that every `similar` call decodes to silence.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModelFromDir } from '../../../models/runtime/node.ts';
import { Responder } from '../../../models/respond/responder.ts';
import { REPLY_STRATEGIES, type ReplyStrategy } from '../../../protocol/parameters.ts';
import type { MusicRequest } from '../../../protocol/processor-worker.ts';

function request(mode: number, reply = 0): MusicRequest {
  const notes = Float64Array.from([36, 100, 0, 0.1, 42, 90, 0.5, 0.1, 38, 100, 1, 0.1, 42, 90, 1.5, 0.1]);
  return {
    type: 'music-request', id: 1, kind: 'answer', notes, phraseStartBeat: 0, phraseLengthBeats: 4, targetStartBeat: 4, targetLengthBeats: 4,
    tempoBpm: 90, beatsPerBar: 4, phraseStartTimeS: 0,
    settings: {
      mode, model: 1, temperature: 0.5, variation: 0.3, reply, density: 0.5, humanize: 1, keyLock: 0, keyRoot: 0, scale: 0, detectedKey: -1,
      pitchLow: 36, pitchHigh: 96, midiChannel: 10, padX: 0.5, padY: 0.5, seed: 42,
    },
  };
}

test('an answer that decodes to silence is replaced by one with notes; the pad keeps its position', async () => {
  const drums = await loadModelFromDir('models/weights/drums');
  let similarCalls = 0;
  const silentSimilar = Object.create(drums);
  silentSimilar.similar = (z: Float32Array) => {
    similarCalls++;
    return { z, phrase: { source: 'generated', notes: [], lengthBeats: 8, tempoBpm: 90, beatsPerBar: 4 } };
  };
  silentSimilar.continue = drums.continue.bind(drums);
  const responder = new Responder({ drums: silentSimilar });
  const answer = responder.respond(request(1));
  assert.ok(similarCalls >= 2, `moved further from the performer before giving up (${similarCalls} tries)`);
  assert.ok(answer.events && answer.events.length > 0, 'the answer has notes');
  const silentDecode = Object.create(drums);
  silentDecode.decode = () => ({ source: 'generated', notes: [], lengthBeats: 8, tempoBpm: 90, beatsPerBar: 4 });
  const pad = new Responder({ drums: silentDecode }).respond(request(3));
  assert.equal(pad.events?.length, 0, 'a silent pad position stays silent');
  drums.dispose();
});

/** A two-bar groove (8th hats, kicks on 1 and 3, snares on 2 and 4) asking for a two-bar answer. */
function grooveRequest(reply: number): MusicRequest {
  const notes: number[] = [];
  for (let e = 0; e < 16; e++) {
    notes.push(42, 80, e / 2, 0.1);
    if (e % 4 === 0) notes.push(36, 100, e / 2, 0.1);
    if (e % 4 === 2) notes.push(38, 100, e / 2, 0.1);
  }
  const r = request(1, reply);
  return { ...r, notes: Float64Array.from(notes), phraseLengthBeats: 8, targetStartBeat: 8, targetLengthBeats: 8, settings: { ...r.settings, temperature: 0.8 } };
}

test('the reply parameter in the request decides how the answer relates to the call: contrast and continuation differ from variation for the same call and seed', async () => {
  const drums = await loadModelFromDir('models/weights/drums');
  const answer = (reply: ReplyStrategy) => Array.from(new Responder({ drums }).respond(grooveRequest(REPLY_STRATEGIES.indexOf(reply))).events ?? []);
  const variation = answer('variation');
  const contrast = answer('contrast');
  const continuation = answer('continuation');
  assert.ok(variation.length > 0 && contrast.length > 0 && continuation.length > 0);
  assert.notDeepEqual(contrast, variation);
  assert.notDeepEqual(continuation, variation);
  assert.notDeepEqual(contrast, continuation);
  assert.deepEqual(answer('contrast'), contrast, 'deterministic for a seed');
  assert.deepEqual(answer('variation'), variation);
  drums.dispose();
});
