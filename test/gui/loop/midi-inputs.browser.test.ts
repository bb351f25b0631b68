/**
 * The loop panel's MIDI-input picker (`<di-midi-inputs>`) bound to the real
 * plugin node in Chromium, with `navigator.requestMIDIAccess` faked in the
 * page (test/gui/loop/pages/midi-inputs-page.ts): the page asks for MIDI
 * access only after a click, the picker lists the inputs with a checkbox
 * each, checking one calls the node's setMidiInputs with its id and notes
 * from that input (and from no other) reach the plugin and come out of its
 * MIDI thru into the demo synth, several inputs can be enabled, a restored
 * state's inputs show in the picker, and missing or refused Web MIDI is
 * said plainly. Needs `npm run build`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { useHostFixture } from '../../helpers/host-fixture.ts';

const fx = useHostFixture({ scripts: { '/midi-inputs-page.js': 'test/gui/loop/pages/midi-inputs-page.ts' } });

/** A host page with the fake Web MIDI; `prepare` (a page function name) runs before the panel is mounted. */
async function openPage(prepare?: 'withoutWebMidi' | 'refuseWebMidi'): Promise<Page> {
  const page = await fx.hostPage('/midi-inputs-page.js');
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  (page as any).errors = errors;
  await page.waitForFunction(() => typeof (window as any).mount === 'function');
  if (prepare) await page.evaluate((name) => (window as any)[name](), prepare);
  await page.evaluate((urls) => (window as any).mount(urls), { pluginUrl: fx.pluginUrl, synthUrl: fx.synthUrl });
  return page;
}

async function close(page: Page): Promise<void> {
  await page.evaluate(() => (window as any).unmount());
  const errors = (page as any).errors as string[];
  await page.close();
  assert.deepEqual(errors, [], 'no page errors');
}

/** Waits until the synth has received a note-on of `pitch`; returns every pitch it received. */
async function heard(page: Page, pitch: number): Promise<number[]> {
  // The synth answers asynchronously, so poll from here (waitForFunction would take the promise itself as truthy).
  const deadline = Date.now() + 10_000;
  for (;;) {
    const pitches: number[] = (await page.evaluate(() => (window as any).synthNoteOns())).map(([p]: [number]) => p);
    if (pitches.includes(pitch)) return pitches;
    if (Date.now() > deadline) assert.fail(`the synth never received note ${pitch} (it has ${JSON.stringify(pitches)})`);
  }
}

const checkbox = (page: Page, id: string) => page.locator(`di-midi-inputs input[data-id="${id}"]`);
const pickerName = (page: Page) => page.locator('di-midi-inputs button.picker .name');

test('asks for MIDI access only on a click, lists the inputs, and enables the checked ones in the node', async () => {
  const page = await openPage();
  const picker = page.locator('di-midi-inputs button.picker');
  await picker.waitFor();
  // The panel is live once it has read the plugin state twice (its two-second poll); nothing may have asked for MIDI yet.
  await page.waitForFunction(() => (window as any).stateReads >= 2, undefined, { timeout: 10_000 });
  assert.equal(await page.evaluate(() => (window as any).accessRequests), 0, 'no MIDI access before a click');
  assert.equal(await pickerName(page).textContent(), 'none');

  await picker.click();
  await checkbox(page, 'pads-in').waitFor();
  assert.ok(await page.evaluate(() => (window as any).accessRequests) >= 1, 'the click asks for MIDI access');
  assert.deepEqual((await page.locator('di-midi-inputs .list label').allTextContents()).map((t) => t.trim()), ['Keys', 'Pads']);
  assert.equal(await checkbox(page, 'keys-in').isChecked(), false);

  await checkbox(page, 'keys-in').check();
  await page.waitForFunction(() => (window as any).inputCalls.length === 1);
  assert.deepEqual(await page.evaluate(() => (window as any).inputCalls), [['keys-in']]);
  assert.equal(await pickerName(page).textContent(), 'Keys');
  // The unchecked input is not heard; the checked one is (played in, through MIDI thru to the synth).
  await page.evaluate(() => { const w = window as any; w.emitFrom('pads-in', [0x90, 62, 90]); w.emitFrom('keys-in', [0x90, 61, 100]); });
  assert.deepEqual(await heard(page, 61), [61]);

  await checkbox(page, 'pads-in').check();
  await page.waitForFunction(() => (window as any).inputCalls.length === 2);
  assert.deepEqual(await page.evaluate(() => (window as any).inputCalls[1]), ['keys-in', 'pads-in']);
  assert.equal(await pickerName(page).textContent(), '2 devices');
  await page.evaluate(() => (window as any).emitFrom('pads-in', [0x90, 63, 80]));
  assert.deepEqual(await heard(page, 63), [61, 63]);
  assert.deepEqual(await page.evaluate(async () => (await (window as any).node.getState()).devices.midiInputIds), ['keys-in', 'pads-in'], 'the choice is in the plugin state');

  // A state restored behind the panel's back (a saved project) shows in the picker and is what the plugin hears.
  await page.evaluate(async () => {
    const node = (window as any).node;
    await node.setState({ ...(await node.getState()), devices: { midiOutputId: null, midiInputIds: ['pads-in'] } });
  });
  await page.waitForFunction(() => {
    const boxes = [...document.querySelector('di-loop-panel')!.shadowRoot!.querySelector('di-midi-inputs')!.shadowRoot!.querySelectorAll('input')];
    return boxes.map((b) => `${b.dataset.id}:${b.checked}`).join(' ') === 'keys-in:false pads-in:true';
  }, undefined, { timeout: 10_000 });
  assert.equal(await pickerName(page).textContent(), 'Pads');
  await page.evaluate(() => { const w = window as any; w.emitFrom('keys-in', [0x90, 64, 90]); w.emitFrom('pads-in', [0x90, 65, 90]); });
  assert.deepEqual(await heard(page, 65), [61, 63, 65]);

  await checkbox(page, 'pads-in').uncheck();
  await page.waitForFunction(() => (window as any).inputCalls.length === 3);
  assert.deepEqual(await page.evaluate(() => (window as any).inputCalls[2]), []);
  await page.locator('di-midi-inputs button', { hasText: 'Done' }).click();
  assert.equal(await pickerName(page).textContent(), 'none');
  await close(page);
});

test('says plainly when Web MIDI is missing or refused', async () => {
  const missing = await openPage('withoutWebMidi');
  await missing.locator('di-midi-inputs button.picker').click();
  const message = missing.locator('di-midi-inputs .message');
  await message.waitFor();
  assert.match((await message.textContent()) ?? '', /^Web MIDI is not available in this browser or page .*The plugin still hears the host's MIDI input\.$/);
  assert.equal(await missing.evaluate(() => (window as any).inputCalls.length), 0);
  await close(missing);

  const refused = await openPage('refuseWebMidi');
  await refused.locator('di-midi-inputs button.picker').click();
  await refused.locator('di-midi-inputs .message').waitFor();
  assert.match((await refused.locator('di-midi-inputs .message').textContent()) ?? '', /Permission denied|SecurityError|not available/);
  assert.match((await refused.locator('di-midi-inputs .message').textContent()) ?? '', /The plugin still hears the host's MIDI input\.$/);
  assert.equal(await refused.evaluate(() => (window as any).accessRequests), 1);
  assert.equal(await refused.locator('di-midi-inputs button', { hasText: 'MIDI in ↻' }).count(), 1, 'a retry button replaces the picker');
  await close(refused);
});
