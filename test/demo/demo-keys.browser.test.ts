/**
 * The demo host with the built plugin in Chromium (`npm run build` first):
 * typing in the plugin's own text fields (inside its shadow DOM) plays no
 * notes from the computer keyboard, while keys outside them still do; and
 * switching tabs keeps the piano roll's notes (Play → Listen → Play).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.ts';
import { startStaticServer, type StaticServer } from '../helpers/server.ts';

let browser: Browser;
let server: StaticServer;
let page: Page;
const errors: string[] = [];

before(async () => {
  if (!existsSync('dist/index.js') || !existsSync('demo/build/main.js')) throw new Error('run `npm run build` before the browser tests');
  browser = await launchChromium();
  server = await startStaticServer({ mounts: { '/plugin/': 'dist', '/build/': 'demo/build', '/': 'demo/public' } });
  page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.origin}/index.html`);
  await page.locator('#start').click();
  await page.waitForFunction(() => (window as any).demoHost !== undefined, undefined, { timeout: 30_000 });
  await page.locator('deep-improv-gui di-loop-panel di-piano-roll').waitFor();
  // Record every MIDI event the demo host sends the plugin.
  await page.evaluate(() => {
    const w = window as any;
    const node = w.demoHost.plugin.audioNode;
    const sent: number[][] = [];
    const schedule = node.scheduleEvents.bind(node);
    node.scheduleEvents = (...events: any[]) => {
      for (const e of events) if (e.type === 'wam-midi') sent.push(Array.from(e.data.bytes));
      return schedule(...events);
    };
    w.sentMidi = sent;
  });
});

after(async () => {
  await page?.close();
  await browser?.close();
  await server?.close();
});

const sentMidi = (): Promise<number[][]> => page.evaluate(() => (window as any).sentMidi.splice(0));

test('typing in the plugin\'s text fields plays no notes; the same keys outside a field do', async () => {
  await page.locator('deep-improv-gui di-preset-bar [data-action=open-link]').click();
  const field = page.locator('deep-improv-gui di-preset-bar form input');
  await field.waitFor();
  await field.pressSequentially('asdfghjk');
  assert.equal(await field.inputValue(), 'asdfghjk');
  await page.locator('deep-improv-gui di-preset-bar [data-action=save]').click();
  await page.locator('deep-improv-gui di-preset-bar form input').pressSequentially('wet');
  assert.deepEqual(await sentMidi(), [], 'no MIDI from typing');

  await page.locator('deep-improv-gui di-preset-bar form input').press('Escape');
  await page.locator('main > h1').click(); // focus leaves the plugin
  await page.keyboard.down('a');
  await page.keyboard.up('a');
  assert.deepEqual(await sentMidi(), [[0x90, 60, 100], [0x80, 60, 0]], 'the keyboard still plays outside text fields');
});

test('switching tabs keeps the piano roll\'s notes (Play → Listen → Play)', async () => {
  await page.locator('#riff').click();
  const rollNotes = () => page.evaluate(() => {
    const gui = document.querySelector('deep-improv-gui')!;
    const roll = gui.shadowRoot!.querySelector('di-loop-panel')!.shadowRoot!.querySelector('di-piano-roll') as any;
    (window as any).lastRoll ??= roll;
    return { count: roll.roll.notes.length as number, same: (window as any).lastRoll === roll };
  });
  await page.waitForFunction(() => {
    const gui = document.querySelector('deep-improv-gui')!;
    const roll = gui.shadowRoot!.querySelector('di-loop-panel')?.shadowRoot?.querySelector('di-piano-roll') as any;
    return (roll?.roll.notes.length ?? 0) >= 16;
  }, undefined, { timeout: 30_000 });
  const before = await rollNotes();
  await page.locator('deep-improv-gui nav button', { hasText: 'Listen' }).click();
  await page.locator('deep-improv-gui di-feature-view').waitFor();
  assert.equal(await page.locator('deep-improv-gui di-loop-panel').isVisible(), false, 'the Play tab is hidden');
  await page.locator('deep-improv-gui nav button', { hasText: 'Play' }).click();
  await page.locator('deep-improv-gui di-piano-roll').waitFor();
  const after = await rollNotes();
  assert.equal(after.same, true, 'the same piano roll');
  assert.ok(after.count >= before.count, `notes kept: ${before.count} before, ${after.count} after`);
  assert.ok(before.count >= 16, 'the riff is on the roll');
});

test('no page errors', () => {
  assert.deepEqual(errors, []);
});
