/**
 * The GUI root's header status on the real plugin (the built dist/, loaded
 * cross-origin in a bare WAM host page in Chromium) when the model weights
 * cannot be fetched: as soon as the plugin is up, the worker shows a warning
 * naming the missing models, never a green "ready", before any phrase is
 * played. Needs `npm run build`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useHostFixture } from '../../helpers/host-fixture.ts';

const fixture = useHostFixture();

test('with the weights unreachable, the worker status is a warning naming the missing models at once', async () => {
  const context = await fixture.browser.newContext();
  await context.route('**/plugin/weights/**', (route) => route.fulfill({ status: 404, body: 'not here' }));
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${fixture.server.origin}/host.html`);
  await page.waitForFunction(() => (window as any).hostReady === true);
  const result = await page.evaluate(async (url) => {
    const w = window as any;
    const { plugin } = await w.createPlugin(url);
    const gui = await plugin.createGui();
    document.body.append(gui);
    await gui.updateComplete;
    const part = gui.shadowRoot.querySelector('[data-part=worker]');
    const message = gui.shadowRoot.querySelector('.message');
    const status = plugin.audioNode.status;
    // The preset bar works through the service the node hands it.
    const bar = gui.shadowRoot.querySelector('di-preset-bar');
    await bar.updateComplete;
    const factoryPresets = bar.shadowRoot.querySelectorAll('optgroup[label="Factory"] option').length;
    w.plugin = plugin;
    return {
      worker: status.worker,
      missing: Object.keys(status.missingModels).sort(),
      partState: part?.dataset.state,
      partText: part?.textContent?.trim(),
      dotClass: part?.querySelector('.dot')?.className,
      message: message?.textContent,
      messageClass: message?.className,
      factoryPresets,
      sameService: bar.presets === plugin.audioNode.presets,
    };
  }, fixture.pluginUrl);
  assert.equal(result.worker, 'warning');
  assert.deepEqual(result.missing, ['drums', 'melody']);
  assert.equal(result.partState, 'warning');
  assert.equal(result.partText, 'Worker: running without melody and drums');
  assert.equal(result.dotClass, 'dot warning');
  assert.match(result.message ?? '', /^Some models could not be loaded \(melody: .+; drums: .+\)$/);
  assert.match(result.messageClass ?? '', /\bwarning\b/);
  assert.equal(result.factoryPresets, 9);
  assert.equal(result.sameService, true);
  await page.evaluate(() => (window as any).plugin.audioNode.destroy());
  assert.deepEqual(errors, []);
  await context.close();
});
