/**
 * The demo page explains itself (Chromium, built plugin): controls that wait
 * for Start audio look disabled; start-up shows its stages and ends with a
 * how-to line; a share link opened before Start audio is applied when audio
 * starts and named in the preset menu; the keyboard plays drum voices with
 * the drums model and notes with melody; and there is one Panic, which ends
 * the notes on every channel of the plugin's output.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { openDemo, startDemoFixture, type DemoFixture } from './demo-page.ts';

let fixture: DemoFixture;
const errors: string[] = [];

before(async () => {
  fixture = await startDemoFixture();
});

after(async () => {
  await fixture?.close();
});

/** Records every MIDI event the demo sends the plugin into `window.sentMidi`. */
async function recordSentMidi(page: Page): Promise<void> {
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
}

const takeSentMidi = (page: Page): Promise<number[][]> => page.evaluate(() => (window as any).sentMidi.splice(0));

test('before Start audio, the controls that need audio are disabled and look it', async () => {
  const page = await openDemo(fixture, errors, { start: false });
  const controls = await page.evaluate(() => ['play', 'mic', 'riff', 'file', 'file-play', 'file-seek', 'midi-in'].map((id) => {
    const el = document.getElementById(id) as HTMLButtonElement;
    return { id, disabled: el.disabled, opacity: Number(getComputedStyle(el).opacity), cursor: getComputedStyle(el).cursor };
  }));
  for (const c of controls) {
    assert.equal(c.disabled, true, `${c.id} is disabled`);
    assert.ok(c.opacity < 0.7, `${c.id} looks disabled (opacity ${c.opacity})`);
    assert.equal(c.cursor, 'not-allowed', `${c.id} shows it cannot be used`);
  }
  assert.equal(await page.locator('#howto').isVisible(), false, 'no how-to line before audio starts');
  const start = await page.evaluate(() => Number(getComputedStyle(document.getElementById('start')!).opacity));
  assert.equal(start, 1, 'Start audio looks enabled');
  await page.close();
});

test('start-up shows its stages (audio, plugin, models) and ends with a how-to line', async () => {
  const page = await openDemo(fixture, errors, { start: false });
  await page.evaluate(() => {
    const w = window as any;
    w.stagesSeen = [] as string[];
    const list = document.getElementById('progress')!;
    new MutationObserver(() => {
      for (const li of list.querySelectorAll<HTMLElement>('li')) {
        const entry = `${li.dataset.stage}:${li.dataset.state}`;
        if (!w.stagesSeen.includes(entry)) w.stagesSeen.push(entry);
      }
    }).observe(list, { subtree: true, attributes: true, childList: true, characterData: true });
  });
  await page.locator('#start').click();
  await page.waitForFunction(() => document.querySelector('#progress [data-stage=models]')?.getAttribute('data-state') === 'done', undefined, { timeout: 30_000 });
  const seen: string[] = await page.evaluate(() => (window as any).stagesSeen);
  for (const stage of ['audio:active', 'audio:done', 'plugin:active', 'plugin:done', 'models:active', 'models:done']) {
    assert.ok(seen.includes(stage), `showed ${stage} (saw ${seen.join(', ')})`);
  }
  assert.ok(seen.indexOf('plugin:done') < seen.indexOf('models:done'), 'the plugin is ready before its models');
  assert.equal(await page.locator('#progress [data-stage=models]').textContent(), 'Models ready');
  await page.locator('#howto').waitFor();
  const howTo = await page.locator('#howto').textContent() ?? '';
  for (const word of [/keys A–K/, /Microphone/, /audio file/, /Web MIDI/]) assert.match(howTo, word);
  assert.equal(await page.locator('#riff').isDisabled(), false);
  assert.equal(await page.locator('#file').isDisabled(), false);
  await page.close();
});

test('a share link opened before Start audio is applied when audio starts, and the preset menu names it', async () => {
  const { FACTORY_PRESETS } = await import('../../plugin/presets/factory.ts');
  const { shareLink } = await import('../../plugin/presets/share.ts');
  const preset = FACTORY_PRESETS.find((p) => p.id === 'groove-keeper')!;
  const hash = new URL(shareLink('http://localhost/', preset.state)).hash;
  const page = await openDemo(fixture, errors, { start: false, suffix: hash });
  assert.match(await page.locator('#shared').textContent() ?? '', /opens when you start audio/);
  await page.locator('#start').click();
  await page.waitForFunction(() => /Opened the shared preset/.test(document.getElementById('log')?.textContent ?? ''), undefined, { timeout: 30_000 });
  const state = await page.evaluate(() => (window as any).demoHost.plugin.audioNode.getState());
  assert.equal(state.parameters.model, preset.state.parameters.model);
  assert.equal(state.seed, preset.state.seed);
  const menu = page.locator('deep-improv-gui di-preset-bar select');
  const shown = await menu.evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent ?? '');
  assert.equal(shown, `${preset.name} (shared link)`);
  assert.equal(await page.locator('#shared').isVisible(), false, 'the notice goes once the preset is open');

  // A link pasted into the open page changes only the fragment: it opens too.
  const echo = FACTORY_PRESETS.find((p) => p.id === 'echo-chamber')!;
  await page.evaluate((h) => { location.hash = h; }, new URL(shareLink('http://localhost/', echo.state)).hash);
  await page.waitForFunction((name) => document.querySelector('deep-improv-gui')?.shadowRoot?.querySelector('di-preset-bar')
    ?.shadowRoot?.querySelector('select')?.selectedOptions[0]?.textContent === name, `${echo.name} (shared link)`, { timeout: 10_000 });
  assert.equal((await page.evaluate(() => (window as any).demoHost.plugin.audioNode.getState())).seed, echo.state.seed);
  await page.close();
});

test('with the drums model the keyboard plays GM drum voices on channel 10, and notes again with melody', async () => {
  const page = await openDemo(fixture, errors);
  await recordSentMidi(page);
  const setModel = (value: number) => page.evaluate((v) => (window as any).demoHost.plugin.audioNode.setParameterValues({ model: { id: 'model', value: v, normalized: false } }), value);
  await page.locator('#howto').waitFor();
  await setModel(1); // drums
  await page.waitForFunction(() => document.getElementById('howto')?.dataset.layout === 'drums', undefined, { timeout: 10_000 });
  assert.match(await page.locator('#howto').textContent() ?? '', /Drums model: keys A kick, S snare/);
  await page.locator('main > h1').click();
  for (const key of ['a', 's', 'd', 'f', 'g', 'h', 'j', 'k', 'l']) await page.keyboard.press(key);
  const hits = (await takeSentMidi(page)).filter((b) => b[0] === 0x99).map((b) => b[1]);
  assert.deepEqual(hits, [36, 38, 42, 46, 45, 47, 50, 49, 51]);

  await setModel(0); // melody
  await page.waitForFunction(() => document.getElementById('howto')?.dataset.layout === 'notes', undefined, { timeout: 10_000 });
  assert.match(await page.locator('#howto').textContent() ?? '', /Melody model: keys A–K play notes/);
  await page.keyboard.press('a');
  assert.deepEqual(await takeSentMidi(page), [[0x90, 60, 100], [0x80, 60, 0]]);
  await page.close();
});

test('one Panic button, and it ends the notes on every channel of the plugin\'s output', async () => {
  const page = await openDemo(fixture, errors);
  await page.locator('deep-improv-gui di-loop-panel button.panic').waitFor();
  const panics = await page.evaluate(() => {
    // Walks the document and every shadow root (a loop: named inner functions do not survive the transpiler here).
    const roots: (Document | ShadowRoot)[] = [document];
    let n = 0;
    for (let i = 0; i < roots.length; i++) {
      n += Array.from(roots[i].querySelectorAll('button')).filter((b) => /panic/i.test(b.textContent ?? '')).length;
      for (const el of roots[i].querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
    }
    return n;
  });
  assert.equal(panics, 1, 'one Panic on the page, the plugin\'s');
  await page.evaluate(() => (window as any).demoHost.synth.audioNode.clearReceived());
  await page.locator('deep-improv-gui di-loop-panel button.panic').click();
  // The predicate stays synchronous (a returned promise would count as true at once): it asks the
  // synth and reads the last answer on a later poll.
  const handle = await page.waitForFunction(() => {
    const w = window as any;
    if (!w.asking) {
      w.asking = true;
      w.demoHost.synth.audioNode.received().then((r: { events: { status: number; data1: number }[] }) => {
        w.allOffChannels = Array.from(new Set(r.events.filter((e) => (e.status & 0xf0) === 0xb0 && e.data1 === 123).map((e) => e.status & 0x0f)));
        w.asking = false;
      });
    }
    return (w.allOffChannels?.length ?? 0) === 16 ? w.allOffChannels : false;
  }, undefined, { timeout: 10_000, polling: 100 });
  assert.equal(((await handle.jsonValue()) as number[]).length, 16);
  await page.close();
});

test('no page errors', () => {
  assert.deepEqual(errors, []);
});
