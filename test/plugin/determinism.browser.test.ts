/**
 * The same preset and seed produce the same output events in two separate
 * instances (each in its own audio context and worker): generation is seeded
 * per request from the preset's seed, so a shared preset plays back alike.
 * Needs `npm run build` (npm test runs it first).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHostFixture, type HostFixture } from '../helpers/host-fixture.ts';
import { FACTORY_PRESETS } from '../../plugin/presets/factory.ts';

let fx: HostFixture;

before(async () => {
  fx = await startHostFixture({ '/loop-page.js': 'test/plugin/pages/loop-page.ts' });
});

after(async () => {
  await fx?.close();
});

async function render(preset: unknown) {
  const page = await fx.hostPage('/loop-page.js');
  await page.waitForFunction(() => typeof (window as any).renderAnswer === 'function');
  const result = await page.evaluate(({ pluginUrl, synthUrl, preset }) => (window as any).renderAnswer({
    pluginUrl, synthUrl, tempo: 120, beatsPerBar: 4, preset, model: (preset as any).parameters.model,
  }), { pluginUrl: fx.pluginUrl, synthUrl: fx.synthUrl, preset });
  await page.close();
  return result;
}

test('one preset and seed give the same output events in two instances; another seed differs', async () => {
  for (const id of ['conversation', 'trading-fours']) {
    const preset = FACTORY_PRESETS.find((p) => p.id === id)!;
    const first = await render(preset.state);
    const second = await render(preset.state);
    assert.ok(first.planned.length > 0, `${id}: an answer was played`);
    assert.deepEqual(second.planned, first.planned, `${id}: identical events and frames`);
    const reseeded = await render({ ...preset.state, seed: (preset.state.seed + 1) >>> 0 });
    assert.notDeepEqual(reseeded.planned, first.planned, `${id}: another seed gives another answer`);
  }
});
