/**
 * The live loop in Chromium with the shipped models: a phrase played into the
 * plugin as wam-midi events is answered on the next bar line, the answer's
 * events reach a second WAM at exactly the planned frames, answers start on
 * bar lines at several tempi and metres, and destroying the plugin
 * mid-answer leaves no note hanging at the receiver.
 * Needs `npm run build` (npm test runs it first).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startHostFixture, type HostFixture } from '../helpers/host-fixture.ts';

let fx: HostFixture;

before(async () => {
  fx = await startHostFixture({ '/loop-page.js': 'test/plugin/pages/loop-page.ts' });
});

after(async () => {
  await fx?.close();
});

async function page(): Promise<Page> {
  const p = await fx.hostPage('/loop-page.js');
  await p.waitForFunction(() => typeof (window as any).renderAnswer === 'function');
  return p;
}

describe('call and response', () => {
  test('an answer arrives at a second WAM at exactly the planned frames, starting on the next bar line', async () => {
    const p = await page();
    const result = await p.evaluate(({ pluginUrl, synthUrl }) => (window as any).renderAnswer({ pluginUrl, synthUrl, tempo: 120, beatsPerBar: 4, model: 0 }), { pluginUrl: fx.pluginUrl, synthUrl: fx.synthUrl });
    assert.ok(result.planned.length >= 2, `the answer has notes (${result.planned.length / 2} planned events/2)`);
    assert.equal(result.deferred, 0, 'the worker answered before the bar line');
    assert.equal(result.startBeat, 8, 'the phrase ended in bar 1, so the answer starts at bar 2');
    const planned = result.planned.map((e: number[]) => e.join(','));
    const received = result.received.map((e: any) => [e.frame, e.status, e.data1, e.data2].join(','));
    assert.deepEqual(received, planned, 'received exactly the planned events at the planned frames');
    assert.equal(result.hanging, 0);
    await p.close();
  });

  test('answers start on bar lines at 90, 120 and 174 BPM in 4/4 and 3/4 (drums and melody)', async () => {
    const p = await page();
    for (const [tempo, beatsPerBar, model] of [[90, 4, 1], [120, 4, 0], [174, 4, 1], [90, 3, 0], [120, 3, 1], [174, 3, 0]]) {
      const r = await p.evaluate(({ pluginUrl, synthUrl, tempo, beatsPerBar, model }) => (window as any).renderAnswer({ pluginUrl, synthUrl, tempo, beatsPerBar, model }), { pluginUrl: fx.pluginUrl, synthUrl: fx.synthUrl, tempo, beatsPerBar, model });
      const label = `${tempo} BPM ${beatsPerBar}/4 model ${model}`;
      assert.ok(r.planned.length > 0, `${label}: an answer`);
      assert.equal(r.startBeat % beatsPerBar, 0, `${label}: starts on a bar line (beat ${r.startBeat})`);
      const barFrame = Math.round((r.startBeat * 60 / tempo) * 48000);
      assert.ok(r.planned.every((e: number[]) => e[0] >= barFrame), `${label}: nothing before the bar line`);
      const lastFrame = Math.round(((r.startBeat + beatsPerBar) * 60 / tempo) * 48000);
      assert.ok(r.planned.every((e: number[]) => e[0] <= lastFrame), `${label}: a one-bar answer stays in its bar`);
      assert.equal(r.hanging, 0, `${label}: every note ended`);
    }
    await p.close();
  });
});

describe('malformed input', () => {
  test('a note-on at time NaN is refused and call and response still answers the phrase after it', async () => {
    const p = await page();
    const before = [{ type: 'wam-midi', time: Number.NaN, data: { bytes: [0x90, 60, 100] } }];
    const r = await p.evaluate(({ pluginUrl, synthUrl, before }) => (window as any).renderAnswer({ pluginUrl, synthUrl, tempo: 120, beatsPerBar: 4, model: 0, before }), { pluginUrl: fx.pluginUrl, synthUrl: fx.synthUrl, before });
    assert.equal(r.rejected.badTime, 1, 'the NaN event was counted');
    assert.ok(r.planned.length >= 2, 'the phrase was answered');
    assert.equal(r.startBeat, 8);
    assert.equal(r.hanging, 0);
    await p.close();
  });
});

describe('teardown', () => {
  test('destroying the plugin mid-answer leaves no note hanging at the receiver', async () => {
    const p = await page();
    const r = await p.evaluate(({ pluginUrl, synthUrl }) => (window as any).destroyMidAnswer({ pluginUrl, synthUrl }), { pluginUrl: fx.pluginUrl, synthUrl: fx.synthUrl });
    assert.ok(r.onsBeforeDestroy > 0, `the answer had started (${r.onsBeforeDestroy} note-ons)`);
    assert.equal(r.unmatched, 0, 'every note-on got its note-off');
    assert.equal(r.activeNotes, 0);
    await p.close();
  });
});
