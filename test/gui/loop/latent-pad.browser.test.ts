/**
 * A captured latent-pad anchor shows what it holds, in real Chromium: its
 * phrase's note count beside the label, and on hover a mini roll with one
 * bar per note and the phrase in words; a preset's phrase (no latent yet)
 * counts as held. Empty corners show neither.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openRollPage, useRollPage } from './roll-fixture.ts';

useRollPage();

test('a captured anchor shows its note count, and its phrase as a mini roll on hover', async () => {
  const { page, errors } = await openRollPage();
  await page.evaluate(async () => {
    const w = window as any;
    const { host, panel } = w.rollTest.mount((h: any) => {
      h.anchors[0] = {
        label: 'A', latent: [0.1, -0.2],
        phrase: {
          source: 'host-midi', lengthBeats: 8, tempoBpm: 96, beatsPerBar: 4,
          notes: [
            { pitch: 60, velocity: 100, startBeats: 0, durationBeats: 1 },
            { pitch: 64, velocity: 90, startBeats: 1, durationBeats: 1 },
            { pitch: 67, velocity: 80, startBeats: 2, durationBeats: 2 },
          ],
        },
      };
      // A factory preset's anchor: a phrase the worker encodes, no latent yet.
      h.anchors[1] = {
        label: 'B', latent: null,
        phrase: { source: 'preset', lengthBeats: 4, tempoBpm: 120, beatsPerBar: 4, notes: [{ pitch: 36, velocity: 100, startBeats: 0, durationBeats: 0.125 }] },
      };
    });
    w.h = host;
    w.p = panel;
    await panel.updateComplete;
  });
  const pad = () => page.locator('di-loop-panel di-latent-pad');
  await page.waitForFunction(() => (window as any).rollTest.deep('di-loop-panel', 'di-latent-pad').shadowRoot.querySelector('.c0 .count') !== null);
  const corner = pad().locator('.corner.c0');
  assert.equal(await corner.locator('.count').textContent(), '3♪');
  assert.match((await corner.locator('.label').getAttribute('title'))!, /A: captured from your phrase, 3 notes · 2 bars · 96 BPM/);
  const peek = corner.locator('.peek');
  assert.equal(await peek.isVisible(), false, 'hidden until hovered');
  await corner.locator('.label').hover();
  await peek.waitFor({ state: 'visible' });
  assert.equal(await peek.locator('svg.mini-roll rect').count(), 3, 'one bar per note');
  assert.equal(await peek.locator('.peek-summary').textContent(), '3 notes · 2 bars · 96 BPM');
  // Higher notes sit higher in the mini roll, later ones further right.
  const rects = await peek.locator('svg.mini-roll rect').evaluateAll((els) => els.map((e) => ({ x: Number(e.getAttribute('x')), y: Number(e.getAttribute('y')) })));
  assert.ok(rects[0].x < rects[1].x && rects[1].x < rects[2].x);
  assert.ok(rects[0].y > rects[1].y && rects[1].y > rects[2].y);
  await page.screenshot({ path: '/tmp/roll-anchor-peek.png' });
  // The preset's phrase counts as held; an empty corner has no count and no peek.
  const preset = pad().locator('.corner.c1 .label');
  assert.doesNotMatch((await preset.getAttribute('class'))!, /empty/);
  assert.equal(await preset.getAttribute('title'), 'B: from the preset, 1 note · 1 bar · 120 BPM');
  assert.match((await pad().locator('.corner.c3 .label').getAttribute('class'))!, /empty/);
  assert.equal(await pad().locator('.corner.c3 .count').count(), 0);
  assert.equal(await pad().locator('.corner.c3 .peek').count(), 0);
  await page.close();
  assert.deepEqual(errors, []);
});
