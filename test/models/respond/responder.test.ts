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
import type { MusicRequest } from '../../../protocol/processor-worker.ts';

function request(mode: number): MusicRequest {
  const notes = Float64Array.from([36, 100, 0, 0.1, 42, 90, 0.5, 0.1, 38, 100, 1, 0.1, 42, 90, 1.5, 0.1]);
  return {
    type: 'music-request', id: 1, kind: 'answer', notes, phraseStartBeat: 0, phraseLengthBeats: 4, targetStartBeat: 4, targetLengthBeats: 4,
    tempoBpm: 90, beatsPerBar: 4, phraseStartTimeS: 0,
    settings: {
      mode, model: 1, temperature: 0.5, variation: 0.3, density: 0.5, humanize: 1, keyLock: 0, keyRoot: 0, scale: 0, detectedKey: -1,
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
