/**
 * The demo host served by `npm start`'s server: it loads the built plugin,
 * mounts its GUI and plays MIDI through it to the built-in synth.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.ts';

let server: ChildProcess;
let browser: Browser;
let origin = '';

before(async () => {
  const port = 20000 + Math.floor(Math.random() * 20000);
  server = spawn(process.execPath, ['demo/serve.mjs'], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('demo server did not print its URL')), 10_000);
    server.stdout!.on('data', (chunk: Buffer) => {
      const match = /http:\/\/localhost:(\d+)\//.exec(chunk.toString());
      if (match) { clearTimeout(timer); resolve(`http://localhost:${match[1]}`); }
    });
    server.on('exit', (code) => reject(new Error(`demo server exited with ${code}`)));
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.kill();
});

test('serves the plugin with CORS at /plugin/index.js', async () => {
  const response = await fetch(`${origin}/plugin/index.js`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('access-control-allow-origin'), '*');
  assert.match(response.headers.get('content-type') ?? '', /javascript/);
});

test('the demo page loads the plugin, shows its GUI and plays MIDI through to the synth', async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${origin}/`);
  await page.click('#start');
  await page.waitForFunction(() => {
    const gui = document.querySelector('deep-improv-gui');
    return /Worker: ready/.test(gui?.shadowRoot?.textContent ?? '');
  }, undefined, { timeout: 20_000 });
  assert.match(await page.evaluate(() => document.querySelector('deep-improv-gui')!.shadowRoot!.textContent!), /Processor: ready/);
  // Both tabs load their components (each a chunk of its own): each tab's view renders once shown.
  const rendered = (selector: string) => page.waitForFunction((sel) => {
    const root = document.querySelector('deep-improv-gui')!.shadowRoot!;
    const [host, inner] = sel.split(' ');
    return !!root.querySelector(host)?.shadowRoot?.querySelector(inner);
  }, selector, { timeout: 20_000 }).then(() => true);
  const play = await rendered('di-loop-panel *');
  await page.locator('deep-improv-gui nav button', { hasText: 'Listen' }).click();
  const listen = await rendered('di-feature-view canvas');
  await page.locator('deep-improv-gui nav button', { hasText: 'Sessions' }).click();
  const sessions = await rendered('di-session-browser *');
  const presets = await rendered('di-preset-bar select');
  const tabs = { play, listen, sessions, presets };
  assert.deepEqual(tabs, { play: true, listen: true, sessions: true, presets: true });
  await page.click('#riff');
  // The predicate stays synchronous (a returned promise would count as true at once): it asks the
  // synth and reads the last answer on a later poll.
  const received = await page.waitForFunction(() => {
    const w = window as any;
    if (!w.asking) {
      w.asking = true;
      w.demoHost.synth.audioNode.received().then((r: { events: unknown[] }) => { w.receivedCount = r.events.length; w.asking = false; });
    }
    return (w.receivedCount ?? 0) >= 8 ? w.receivedCount : false;
  }, undefined, { timeout: 20_000, polling: 100 });
  const count = (await received.jsonValue()) as number;
  assert.ok(count >= 8, `the synth received the phrase through MIDI thru (${count} events)`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the demo opens a preset shared as a link', async () => {
  const { FACTORY_PRESETS } = await import('../../plugin/presets/factory.ts');
  const { shareLink } = await import('../../plugin/presets/share.ts');
  const preset = FACTORY_PRESETS.find((p) => p.id === 'groove-keeper')!;
  const link = shareLink(`${origin}/`, preset.state);
  const page = await browser.newPage();
  await page.goto(link);
  await page.click('#start');
  await page.waitForFunction(() => /Opened the shared preset/.test(document.getElementById('log')?.textContent ?? ''), undefined, { timeout: 20_000 });
  const state = await page.evaluate(() => (window as any).demoHost.plugin.audioNode.getState());
  assert.equal(state.parameters.mode, preset.state.parameters.mode);
  assert.equal(state.parameters.model, preset.state.parameters.model);
  assert.equal(state.seed, preset.state.seed);
  await page.close();
});
