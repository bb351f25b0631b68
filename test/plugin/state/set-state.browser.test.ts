/**
 * `setState()` on the real plugin (the built dist/, loaded cross-origin in a
 * bare WAM host page in Chromium), as a third-party host calls it: values out
 * of a parameter's range and anchors of the wrong size or magnitude are
 * rejected with a clear error, and the state is left exactly as it was.
 * Needs `npm run build`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useHostFixture } from '../../helpers/host-fixture.ts';

const fixture = useHostFixture();

test('out-of-range parameters and malformed anchors are rejected by setState, naming what was expected; the state is unchanged', async () => {
  const page = await fixture.hostPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const result = await page.evaluate(async (url) => {
    const w = window as any;
    const { context, plugin } = await w.createPlugin(url);
    const node = plugin.audioNode;
    const before = await node.getState();
    // (No named functions in here: the bundler's helpers do not exist in the page.)
    const latents: [string, unknown][] = [['latent of 5', [0.1, 0.2, 0.3, 0.4, 0.5]], ['latent of 512', new Array(512).fill(0.1)], ['latent of 1e300', new Array(32).fill(1e300)]];
    const bad: [string, unknown][] = [
      ['mode 1e308', { ...before, parameters: { ...before.parameters, mode: 1e308 } }],
      ['armed -1e308', { ...before, parameters: { ...before.parameters, armed: -1e308 } }],
      ['tempo 1000', { ...before, parameters: { ...before.parameters, tempo: 1000 } }],
      ['midiChannel 2.5', { ...before, parameters: { ...before.parameters, midiChannel: 2.5 } }],
    ];
    for (const [label, latent] of latents) {
      const state = structuredClone(before);
      state.anchors[1].latent = latent;
      bad.push([label, state]);
    }
    const messages: Record<string, string> = {};
    for (const [label, state] of bad) {
      try {
        await node.setState(state);
        messages[label] = 'accepted';
      } catch (e) {
        messages[label] = `${(e as Error).name}: ${(e as Error).message}`;
      }
    }
    const after = await node.getState();
    plugin.audioNode.destroy();
    await context.close();
    return { before, after, messages };
  }, fixture.pluginUrl);
  assert.deepEqual(result.messages, {
    'mode 1e308': 'StateError: parameters.mode: expected an integer 0–3 (listen, call-response, accompany, latent-pad), got 1e308',
    'armed -1e308': 'StateError: parameters.armed: expected 0 or 1 (or false/true), got -1e308',
    'tempo 1000': 'StateError: parameters.tempo: expected a number from 40 to 240, got 1000',
    'midiChannel 2.5': 'StateError: parameters.midiChannel: expected an integer 1–16, got 2.5',
    'latent of 5': "StateError: anchors[1].latent: expected null or an array of 32 numbers (the melody model's latent size), got an array of 5 items",
    'latent of 512': "StateError: anchors[1].latent: expected null or an array of 32 numbers (the melody model's latent size), got an array of 512 items",
    'latent of 1e300': 'StateError: anchors[1].latent[0]: expected a number from -16 to 16, got 1e300',
  });
  assert.deepEqual(result.after, result.before, 'every rejected state left the plugin as it was');
  assert.deepEqual(errors, []);
  await page.close();
});
