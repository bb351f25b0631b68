/**
 * `<di-loop-panel>` bound to the real `DeepImprovNode` (the built plugin,
 * loaded cross-origin in a WAM host page in Chromium): the panel shows the
 * node's values, writes user changes into the node, follows changes made
 * behind its back (host automation), and lets go of the node's listeners when
 * removed. Needs `npm run build` (npm test runs it first).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../helpers/chromium.ts';
import { startStaticServer, type StaticServer } from '../../helpers/server.ts';
import { bundleForBrowser } from '../../helpers/bundle.ts';

const HTML = '<!doctype html><meta charset="utf-8"><title>loop panel + node</title><link rel="icon" href="data:,"><body><script type="module" src="/page.js"></script></body>';

let browser: Browser;
let pluginServer: StaticServer;
let hostServer: StaticServer;

before(async () => {
  if (!existsSync('dist/index.js')) throw new Error('run `npm run build` before the browser tests');
  browser = await launchChromium();
  pluginServer = await startStaticServer({ mounts: { '/plugin/': 'dist' } });
  hostServer = await startStaticServer({ mounts: {}, pages: { '/index.html': HTML, '/page.js': await bundleForBrowser('test/gui/loop/pages/node-page.ts') } });
});

after(async () => {
  await browser?.close();
  await pluginServer?.close();
  await hostServer?.close();
});

test('the panel drives and follows the real node, and releases its listeners when removed', async () => {
  const page = await browser.newPage({ viewport: { width: 900, height: 720 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${hostServer.origin}/index.html`);
  await page.waitForFunction(() => (window as any).nodePageReady === true);
  await page.evaluate(async (url) => {
    const w = window as any;
    const context = new AudioContext();
    const [groupId] = await w.initializeWamHost(context);
    const { default: Plugin } = await import(url);
    const plugin = await Plugin.createInstance(groupId, context);
    plugin.audioNode.connect(context.destination);
    const panel = document.createElement(w.LOOP_PANEL_TAG);
    panel.node = plugin.audioNode;
    document.body.append(panel);
    await panel.updateComplete;
    Object.assign(w, { plugin, panel, node: plugin.audioNode });
  }, `${pluginServer.origin}/plugin/index.js`);
  const nodeValue = (id: string) => page.evaluate(async (id) => (await (window as any).node.getParameterValues(false, id))[id].value, id);
  const listeners = () => page.evaluate(() => {
    const node = (window as any).node;
    return node.listenerCount('planned') + node.listenerCount('phrase') + node.listenerCount('cancel');
  });

  assert.equal(await listeners(), 3, 'the piano roll listens to planned, phrase and cancel');
  await page.locator('di-mode-selector button[data-mode="latent-pad"]').click();
  await page.waitForFunction(async () => (await (window as any).node.getParameterValues(false, 'mode')).mode.value === 3);
  await page.locator('di-param-control[data-param="temperature"] input').press('End');
  await page.waitForFunction(async () => (await (window as any).node.getParameterValues(false, 'temperature')).temperature.value === 2);
  assert.equal(await nodeValue('temperature'), 2);

  // Automation behind the panel's back shows up within a few polls.
  await page.evaluate(() => (window as any).node.setParameterValues({ density: { id: 'density', value: 0.9, normalized: false } }));
  await page.waitForFunction(() => {
    const control = (window as any).panel.shadowRoot.querySelector('di-param-control[data-param="density"]');
    return control.shadowRoot.querySelector('input').value === '0.9';
  }, undefined, { timeout: 3000 });

  await page.evaluate(() => (window as any).panel.remove());
  assert.equal(await listeners(), 0);
  await page.evaluate(() => { (window as any).plugin.audioNode.destroy(); });
  assert.deepEqual(errors, []);
  await page.close();
});
