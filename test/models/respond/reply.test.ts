/**
 * Reply strategies: variation (the plugin's), continuation (the learned
 * transition) and contrast (the candidate least like the call).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contrastScore } from '../../../models/respond/reply.ts';
import { WindowAnswerer } from '../../../models/respond/answer-windows.ts';
import { musicalStats } from '../../../models/eval/musical.ts';
import { loadModelFromDir } from '../../../models/runtime/node.ts';
import type { Phrase, PhraseNote } from '../../../protocol/phrase.ts';

const hit = (pitch: number, startBeats: number): PhraseNote => ({ pitch, velocity: 90, startBeats, durationBeats: 0.125 });
const phrase = (notes: PhraseNote[]): Phrase => ({ source: 'file', notes, lengthBeats: 8, tempoBpm: 110, beatsPerBar: 4 });

function groove(): Phrase {
  const notes: PhraseNote[] = [];
  for (let e = 0; e < 16; e++) {
    notes.push(hit(42, e / 2));
    if (e % 4 === 0) notes.push(hit(36, e / 2));
    if (e % 4 === 2) notes.push(hit(38, e / 2));
  }
  return phrase(notes);
}

test('the contrast score is the onset F1 to the call plus a penalty for a different note count', () => {
  const call = phrase([hit(36, 0), hit(38, 1), hit(36, 2), hit(38, 3)]);
  assert.equal(contrastScore(call, call, true), 1);
  const moved = phrase([hit(36, 0.5), hit(38, 1.5), hit(36, 2.5), hit(38, 3.5)]);
  assert.equal(contrastScore(moved, call, true), 0);
  const empty = phrase([]);
  assert.ok(Math.abs(contrastScore(empty, call, true) - 0.5 * Math.log(5)) < 1e-12, 'silence is no contrast for free');
  assert.equal(contrastScore(phrase([hit(44, 0)]), phrase([hit(42, 0)]), true), 1, 'drum classes, not keys');
});

test('contrast answers overlap the call less than variations; continuation answers differ from both; each is deterministic', async () => {
  const model = await loadModelFromDir('models/weights/drums');
  const call = groove();
  const stats = (reply: 'variation' | 'continuation' | 'contrast') => {
    const exchanges = [1, 2, 3, 4, 5, 6].map((seed) => ({ call, answer: new WindowAnswerer(model, { reply, seed }).answer(call), next: null }));
    return { stats: musicalStats(exchanges, true), first: exchanges[0]!.answer };
  };
  const variation = stats('variation');
  const contrast = stats('contrast');
  const continuation = stats('continuation');
  assert.ok(contrast.stats.f1_to_call! < variation.stats.f1_to_call!, `contrast F1 ${contrast.stats.f1_to_call} < variation ${variation.stats.f1_to_call}`);
  assert.notDeepEqual(continuation.first, variation.first);
  assert.deepEqual(new WindowAnswerer(model, { reply: 'contrast', seed: 1 }).answer(call), contrast.first);
  assert.deepEqual(new WindowAnswerer(model, { reply: 'continuation', seed: 1 }).answer(call), continuation.first);
  model.dispose();
});
