/**
 * The same preset and seed produce the same output events in two separate
 * instances (each in its own audio context and worker): generation is seeded
 * per request from the preset's seed, so a shared preset plays back alike.
 * Needs `npm run build` (npm test runs it first).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.ts';
import { startStaticServer, type StaticServer } from '../helpers/server.ts';
import { bundleForBrowser } from '../helpers/bundle.ts';
import { FACTORY_PRESETS } from '../../plugin/presets/factory.ts';

let browser: Browser;
let server: StaticServer;

before(async () => {
  browser = await launchChromium();
  server = await startStaticServer({
    mounts: { '/plugin/': 'dist', '/demo/': 'demo/build' },
    pages: {
      '/host.html': '<!doctype html><script type="module" src="/host.js"></script>',
      '/host.js': await bundleForBrowser('test/browser/pages/host.ts'),
      '/loop-page.js': await bundleForBrowser('test/browser/pages/loop-page.ts'),
    },
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function render(preset: unknown) {
  const page = await browser.newPage();
  await page.goto(`${server.origin}/host.html`);
  await page.waitForFunction(() => (window as any).hostReady === true);
  await page.addScriptTag({ url: '/loop-page.js', type: 'module' });
  await page.waitForFunction(() => typeof (window as any).renderAnswer === 'function');
  const result = await page.evaluate(({ origin, preset }) => (window as any).renderAnswer({
    pluginUrl: `${origin}/plugin/index.js`, synthUrl: `${origin}/demo/synth/index.js`, tempo: 120, beatsPerBar: 4, preset,
    model: (preset as any).parameters.model,
  }), { origin: server.origin, preset });
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
