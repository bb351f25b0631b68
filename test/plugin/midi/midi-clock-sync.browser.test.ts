/**
 * MIDI-clock sync through the real plugin in Chromium: a fake Web MIDI input
 * (navigator.requestMIDIAccess replaced in the page; the plugin's Web MIDI
 * bridge, node, AudioWorklet processor and clock follower are the real ones)
 * sends 24-ppqn clock with ±1 ms jitter, Start, then Stop. With syncSource =
 * MIDI clock the processor's transport follows it at 90, 120 and 174 BPM: the
 * tempo within 1 %, its next bar line within 10 ms of the clock's, and its
 * beat count the clock's; Stop halts it.
 * Needs `npm run build`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHostFixture, type HostFixture } from '../../helpers/host-fixture.ts';

let fx: HostFixture;

before(async () => {
  fx = await startHostFixture({ '/midi-clock-page.js': 'test/plugin/midi/pages/midi-clock-page.ts' });
});

after(async () => {
  await fx?.close();
});

test('the processor\'s bar lines follow MIDI clock from a Web MIDI input at 90, 120 and 174 BPM; Stop halts them', async () => {
  const page = await fx.hostPage('/midi-clock-page.js');
  await page.waitForFunction(() => typeof (window as any).startClock === 'function');
  for (const bpm of [90, 120, 174]) {
    await page.evaluate((o) => (window as any).startClock(o), { pluginUrl: fx.pluginUrl, synthUrl: fx.synthUrl, bpm, seed: bpm });
    // Six beats after Start: the fit has two beats of ticks and the transport has crossed a bar line.
    await page.waitForFunction(() => (window as any).ticksAfterStart() >= 6 * 24, undefined, { timeout: 20_000, polling: 50 });
    const r = await page.evaluate(() => (window as any).clockCheck());
    const label = `${bpm} BPM`;
    assert.equal(r.following, true, `${label}: the processor follows the clock`);
    assert.ok(Math.abs(r.tempoBpm - bpm) / bpm < 0.005, `${label}: tempo ${r.tempoBpm}`);
    assert.ok(Math.abs(r.barErrorMs) < 5, `${label}: next bar line (beat ${r.barBeat}) ${r.barErrorMs.toFixed(2)} ms from the clock's`);
    assert.ok(Math.abs(r.beat - r.streamBeat) < 0.05, `${label}: beat ${r.beat.toFixed(3)} vs the clock's ${r.streamBeat.toFixed(3)}`);
    assert.equal(r.malformedMidi, 0, `${label}: clock bytes pass the processor's MIDI check`);
    await page.evaluate(() => (window as any).stopClock());
    await page.waitForFunction(() => (window as any).following().then((f: boolean) => !f), undefined, { timeout: 5_000, polling: 50 });
    await page.evaluate(() => (window as any).endClock());
  }
  await page.close();
});
