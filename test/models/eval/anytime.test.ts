/**
 * The anytime evaluation (models/eval/anytime.ts) on small random models:
 * it scores the posterior mean, the refinement and the anytime schedule on
 * the same windows, and its 0-step schedule is the posterior mean.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateAnytime } from '../../../models/eval/anytime.ts';
import { phraseFeatures } from '../../../models/representation/features.ts';
import { phraseToMelodyTokens } from '../../../models/representation/melody.ts';
import type { Window } from '../../../models/training/data.ts';
import { grooveNotes, phraseOf, randomWeights, scaleNotes, tinyConfig } from '../../helpers/models.ts';

const drumWindows: Window[] = [0, 1, 2].map((i) => ({ grid: phraseFeatures('drums', phraseOf(grooveNotes(2).filter((_, j) => j % (i + 2) !== 0))), sequence: i, startStep: 0, tempoBpm: 100 }));
const melodyWindows: Window[] = [0, 1].map((i) => {
  const { tokens, velocity } = phraseToMelodyTokens(phraseOf(scaleNotes(2).map((n) => ({ ...n, pitch: n.pitch + i }))));
  return { tokens: Int16Array.from(tokens), velocity: Float32Array.from(velocity), sequence: i, startStep: 0, tempoBpm: 100 };
});

test('eval --anytime scores the posterior mean, the refinement and the anytime schedule on the same windows', () => {
  const drums = evaluateAnytime(randomWeights(tinyConfig('drums'), 3, 0.5), drumWindows, { refineSteps: 5, schedule: { updateSteps: 2, finalSteps: 2 } }) as Record<string, Record<string, number>>;
  assert.equal(drums.windows as unknown as number, 3);
  for (const key of ['posterior_mean', 'refine_5', 'anytime']) assert.ok(drums[key]!.hit_f1! >= 0 && drums[key]!.hit_f1! <= 1, `${key}: ${JSON.stringify(drums[key])}`);
  // 13 update points at 120 BPM (7 whole beats, 6 steps of the bars' last beats), 2 steps each.
  assert.deepEqual(drums.gradient_steps, { live_updates_at_120_bpm: 26, at_request: 2, refine: 5 });
  const melody = evaluateAnytime(randomWeights(tinyConfig('melody'), 4, 0.5), melodyWindows, { refineSteps: 0, schedule: { updateSteps: 0, finalSteps: 0 } }) as Record<string, Record<string, number>>;
  // No steps anywhere: the schedule's latent is the better of the warm start and the posterior mean, the 0-step refinement the posterior mean.
  assert.deepEqual(melody.refine_0, melody.posterior_mean);
  assert.ok(melody.anytime!.onset_f1! >= 0 && melody.anytime!.token_accuracy! <= 1);
});
