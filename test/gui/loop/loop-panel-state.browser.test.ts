/**
 * The loop panel's state pill in real Chromium, driven by the stream events
 * a stub host emits as the node does (test/gui/loop/pages/roll-page.ts):
 * waiting → listening while the performer plays → thinking once the request
 * leaves → answering while the answer plays → waiting; off when disarmed; a
 * failed request stops thinking.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { openRollPage, useRollPage } from './roll-fixture.ts';

useRollPage();

async function open(armed: number): Promise<Page> {
  const { page, errors } = await openRollPage();
  (page as any).errors = errors;
  await page.evaluate(async (armed) => {
    const w = window as any;
    const { host, panel } = w.rollTest.mount((h: any) => { h.values.armed = armed; h.values.mode = 1; h.clock.currentTime = 10; });
    w.h = host;
    w.p = panel;
    await panel.updateComplete;
  }, armed);
  return page;
}

/** Waits until the pill shows `state`; returns its text. */
async function pill(page: Page, state: string): Promise<string> {
  await page.waitForFunction((state) => (window as any).p.shadowRoot.querySelector('.activity')?.dataset.state === state, state);
  return page.evaluate(() => (window as any).p.shadowRoot.querySelector('.activity').textContent.trim());
}

async function close(page: Page): Promise<void> {
  const errors = (page as any).errors as string[];
  await page.close();
  assert.deepEqual(errors, [], 'no page errors');
}

test('a call and its answer: your turn, listening, thinking, answering, your turn', async () => {
  const page = await open(1);
  assert.equal(await pill(page, 'waiting'), 'Your turn');
  await page.evaluate(() => (window as any).h.emitPerformer([[10, 60, 100]]));
  assert.equal(await pill(page, 'listening'), 'Listening');
  await page.screenshot({ path: '/tmp/roll-state-listening.png' });
  await page.evaluate(() => {
    const { h } = window as any;
    h.emitPerformer([[10.4, 60, 0]]);
    h.clock.currentTime = 11;
    h.emitPhrase({ type: 'phrase', notes: Float64Array.from([60, 100, 0, 0.8]), startBeat: 20, lengthBeats: 8, startTimeS: 10, tempoBpm: 120, beatsPerBar: 4 });
    h.emitRequest({ type: 'music-requested', id: 1, kind: 'answer', targetStartTimeS: 12 });
  });
  assert.equal(await pill(page, 'thinking'), 'Thinking…');
  await page.screenshot({ path: '/tmp/roll-state-thinking.png' });
  await page.evaluate(() => {
    const { h } = window as any;
    const sr = 48_000;
    h.emitPlanned({ type: 'planned', startBeat: 24, tempoBpm: 120, sampleRate: sr, startFrame: 12 * sr, events: Float64Array.from([12 * sr, 0x90, 64, 100, 13 * sr, 0x80, 64, 0]) });
    h.clock.currentTime = 12.5;
  });
  assert.equal(await pill(page, 'answering'), 'Answering');
  await page.screenshot({ path: '/tmp/roll-state-answering.png' });
  await page.evaluate(() => { (window as any).h.clock.currentTime = 13.2; });
  assert.equal(await pill(page, 'waiting'), 'Your turn', 'the answer is over');
  await close(page);
});

test('disarmed the pill says output is off; a failed request stops thinking', async () => {
  const page = await open(0);
  assert.equal(await pill(page, 'off'), 'Output off');
  // Arming from the panel turns it into "your turn".
  await page.evaluate(() => (window as any).p.shadowRoot.querySelector('button.arm').click());
  assert.equal(await pill(page, 'waiting'), 'Your turn');
  await page.evaluate(() => (window as any).h.emitRequest({ type: 'music-requested', id: 4, kind: 'answer', targetStartTimeS: 11 }));
  await pill(page, 'thinking');
  await page.evaluate(() => (window as any).h.emitRequest({ type: 'music-unanswered', id: 4, reason: 'failed' }));
  assert.equal(await pill(page, 'waiting'), 'Your turn');
  await close(page);
});
