/**
 * The loop panel bound to the real plugin (the built dist/, loaded
 * cross-origin in a WAM host page, a running AudioContext): a note played
 * into the plugin shows on the roll while it is still held (before its phrase
 * ends), the pill goes from listening to answering as the real processor and
 * worker report the request and the answer, and the answer is offered as a
 * `.mid` clip; the plugin entry's `phraseToMidi` writes a `.mid`. Needs `npm run build`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../helpers/chromium.ts';
import { startStaticServer, type StaticServer } from '../../helpers/server.ts';
import { bundleForBrowser } from '../../helpers/bundle.ts';

const HTML = '<!doctype html><meta charset="utf-8"><title>loop panel live</title><link rel="icon" href="data:,"><body><script type="module" src="/page.js"></script></body>';

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

test('a played note shows while held; the pill follows the real request and answer; the answer is offered as a clip', async () => {
  const page = await browser.newPage({ viewport: { width: 900, height: 720 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${hostServer.origin}/index.html`);
  await page.waitForFunction(() => (window as any).nodePageReady === true);
  await page.evaluate(async (url) => {
    const w = window as any;
    const context = new AudioContext();
    await context.resume();
    const [groupId] = await w.initializeWamHost(context);
    const { default: Plugin } = await import(url);
    const plugin = await Plugin.createInstance(groupId, context);
    const node = plugin.audioNode;
    node.connect(context.destination);
    const values: Record<string, unknown> = {};
    for (const [id, value] of [['mode', 1], ['armed', 1], ['tempo', 120], ['silenceGap', 0.5]] as const) values[id] = { id, value, normalized: false };
    await node.setParameterValues(values);
    // What the node reports, in order, and every state the pill shows.
    w.nodeEvents = [];
    node.onMusicRequest((r: any) => w.nodeEvents.push(r.type));
    node.onPlanned(() => w.nodeEvents.push('planned'));
    node.onPhrase(() => w.nodeEvents.push('phrase'));
    const panel = document.createElement(w.LOOP_PANEL_TAG);
    w.pillStates = [];
    panel.addEventListener('di-loop-activity', (e: any) => w.pillStates.push(e.detail.state));
    panel.node = node;
    document.body.append(panel);
    await panel.updateComplete;
    w.roll = panel.shadowRoot.querySelector('di-piano-roll');
    Object.assign(w, { plugin, panel, node, context });
  }, `${pluginServer.origin}/plugin/index.js`);
  await page.waitForFunction(() => (window as any).pillStates.at(-1) === 'waiting');

  await page.evaluate(() => {
    const { node, context } = window as any;
    node.scheduleEvents({ type: 'wam-midi', time: context.currentTime + 0.05, data: { bytes: [0x90, 62, 100] } });
  });
  // Drawn while still held: a live note, and no phrase yet.
  await page.waitForFunction(() => (window as any).roll.drawnNotes.some((n: any) => n.source === 'performer' && n.pitch === 62), undefined, { timeout: 10_000 });
  const whileHeld = await page.evaluate(() => {
    const { roll, nodeEvents, pillStates } = window as any;
    return { live: roll.roll.notes.filter((n: any) => n.live && n.endS === Infinity).map((n: any) => n.pitch), events: [...nodeEvents], pill: pillStates.at(-1) };
  });
  assert.deepEqual(whileHeld.live, [62]);
  assert.deepEqual(whileHeld.events, [], 'no phrase has ended yet');
  assert.equal(whileHeld.pill, 'listening');

  await page.evaluate(() => {
    const { node, context } = window as any;
    node.scheduleEvents({ type: 'wam-midi', time: context.currentTime + 0.2, data: { bytes: [0x80, 62, 0] } });
  });
  await page.waitForFunction(() => (window as any).pillStates.includes('answering'), undefined, { timeout: 20_000 });
  const answered = await page.evaluate(async () => {
    const { roll, nodeEvents, pillStates } = window as any;
    await roll.updateComplete;
    return { events: [...nodeEvents], states: [...pillStates], answers: roll.roll.answers.length, clip: roll.shadowRoot.querySelector('.clip')?.textContent ?? null };
  });
  assert.deepEqual(answered.events.slice(0, 3), ['phrase', 'music-requested', 'planned'], 'the phrase, then the request, then its answer');
  const states = answered.states;
  assert.ok(states.indexOf('listening') < states.indexOf('answering'), `listening before answering: ${states.join(' → ')}`);
  assert.ok(answered.answers >= 1);
  assert.match(answered.clip ?? '', /answer 1 · \.mid/);
  await page.screenshot({ path: '/tmp/roll-live-real.png' });

  // The plugin entry writes a phrase as .mid too (its writer loads on first use).
  const header = await page.evaluate(async (url) => {
    const { phraseToMidi } = await import(url);
    const bytes: Uint8Array = await phraseToMidi({ source: 'generated', notes: [{ pitch: 60, velocity: 90, startBeats: 0, durationBeats: 1 }], lengthBeats: 4, tempoBpm: 120, beatsPerBar: 4 });
    return String.fromCharCode(...bytes.subarray(0, 4));
  }, `${pluginServer.origin}/plugin/index.js`);
  assert.equal(header, 'MThd');

  await page.evaluate(() => (window as any).panel.remove());
  assert.equal(await page.evaluate(() => (window as any).node.listenerCount('performerNotes')), 0, 'the roll let go of the live stream');
  await page.evaluate(() => { (window as any).plugin.audioNode.destroy(); });
  assert.deepEqual(errors, []);
  await page.close();
});
