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
  // Both tabs load their components (each a chunk of its own).
  const tabs = await page.evaluate(async () => {
    const root = document.querySelector('deep-improv-gui')!.shadowRoot!;
    await new Promise((r) => setTimeout(r, 300));
    const play = !!root.querySelector('di-loop-panel')?.shadowRoot?.querySelector('*');
    (Array.from(root.querySelectorAll('nav button')).find((b) => b.textContent === 'Listen') as HTMLButtonElement).click();
    await new Promise((r) => setTimeout(r, 600));
    const listen = !!root.querySelector('di-feature-view')?.shadowRoot?.querySelector('canvas');
    (Array.from(root.querySelectorAll('nav button')).find((b) => b.textContent === 'Sessions') as HTMLButtonElement).click();
    await new Promise((r) => setTimeout(r, 600));
    const sessions = !!root.querySelector('di-session-browser')?.shadowRoot?.querySelector('*');
    return { play, listen, sessions, presets: !!root.querySelector('di-preset-bar')?.shadowRoot?.querySelector('select') };
  });
  assert.deepEqual(tabs, { play: true, listen: true, sessions: true, presets: true });
  await page.click('#riff');
  await page.waitForTimeout(1500);
  const received = await page.evaluate(async () => (await (window as any).demoHost.synth.audioNode.received()).events.length);
  assert.ok(received >= 8, `the synth received the phrase through MIDI thru (${received} events)`);
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
