/**
 * `<di-loop-panel>` in real Chromium, bound to a stub host
 * (test/gui/loop/pages/loop-panel-page.ts) that records every call: the
 * controls write their parameters in plain units and in range, host changes
 * show up, and removing the panel releases every listener, frame, interval
 * and pointer capture. Its parts (pad, roll, MIDI output picker):
 * loop-panel-parts.browser.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PARAMETERS } from '../../../protocol/parameters.ts';
import { close, lastWrite, openPanel, useLoopPanelPage, writesOf } from './loop-panel-fixture.ts';

useLoopPanelPage();

describe('loop panel controls', () => {
  test('the mode selector writes `mode` on click and with the arrow keys', async () => {
    const page = await openPanel();
    const latent = page.locator('di-mode-selector button[data-mode="latent-pad"]');
    await latent.click();
    assert.equal(await lastWrite(page, 'mode'), 3);
    assert.equal(await latent.getAttribute('aria-checked'), 'true');
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(() => (window as any).h.values.mode === 2);
    assert.equal(await page.locator('di-mode-selector button[data-mode="accompany"]').getAttribute('aria-checked'), 'true');
    await close(page);
  });

  test('a slider writes its parameter within the table\'s range', async () => {
    const page = await openPanel();
    const slider = page.locator('di-param-control[data-param="temperature"] input[type="range"]');
    const box = (await slider.boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.9, box.y + box.height / 2);
    const clicked = await lastWrite(page, 'temperature');
    // 90 % of 0.05…2, give or take the thumb's width.
    assert.ok(clicked > 1.6 && clicked <= 2, `temperature after a click at 90 %: ${clicked}`);
    await slider.press('End');
    await page.waitForFunction(() => (window as any).h.values.temperature === 2);
    assert.equal((await page.locator('di-param-control[data-param="temperature"] output').textContent())?.trim(), '2.00');
    await slider.press('Home');
    await page.waitForFunction(() => (window as any).h.values.temperature === 0.05);
    for (const w of await writesOf(page, 'temperature')) assert.ok(w.value >= 0.05 && w.value <= 2, `in range: ${w.value}`);
    await close(page);
  });

  test('int, choice and boolean controls write plain values; the pitch range stays the right way round', async () => {
    const page = await openPanel();
    await page.locator('di-param-control[data-param="midiChannel"] select').selectOption('10');
    assert.equal(await lastWrite(page, 'midiChannel'), 10);
    await page.locator('di-param-control[data-param="responseBars"] select').selectOption({ label: '4 bars' });
    assert.equal(await lastWrite(page, 'responseBars'), 2);
    await page.locator('di-param-control[data-param="midiThru"] button[role="switch"]').click();
    assert.equal(await lastWrite(page, 'midiThru'), 0);
    await page.locator('di-param-control[data-param="pitchLow"] input').press('End');
    assert.equal(await lastWrite(page, 'pitchLow'), 108);
    assert.equal(await lastWrite(page, 'pitchHigh'), 108);
    await close(page);
  });

  test('the reply control sits in the Response group beside Variation, names its strategies and writes the chosen index', async () => {
    const page = await openPanel();
    const shown = await page.evaluate(() => {
      const root = (window as any).p.shadowRoot as ShadowRoot;
      const control = root.querySelector('di-param-control[data-param="reply"]')!;
      const select = control.shadowRoot!.querySelector('select')!;
      const fieldset = control.closest('fieldset')!;
      return {
        group: fieldset.querySelector('legend')!.textContent,
        order: [...fieldset.querySelectorAll('di-param-control')].map((c) => c.getAttribute('data-param')),
        label: control.shadowRoot!.querySelector('label')!.textContent,
        options: [...select.options].map((o) => o.textContent!.trim()),
        selected: select.selectedOptions[0]!.textContent!.trim(),
      };
    });
    assert.equal(shown.group, 'Response');
    assert.equal(shown.order.indexOf('reply'), shown.order.indexOf('variation') + 1, `after Variation: ${shown.order.join(', ')}`);
    assert.equal(shown.label, 'Reply');
    assert.deepEqual(shown.options, ['variation', 'continuation', 'contrast']);
    assert.equal(shown.selected, 'variation', 'the default');
    await page.locator('di-param-control[data-param="reply"] select').selectOption({ label: 'contrast' });
    assert.equal(await lastWrite(page, 'reply'), 2);
    await close(page);
  });

  test('key root and scale are enabled only when the key is set', async () => {
    const page = await openPanel();
    const keyRoot = page.locator('di-param-control[data-param="keyRoot"] select');
    assert.equal(await keyRoot.isDisabled(), true);
    await page.locator('di-param-control[data-param="keyLock"] select').selectOption({ label: 'set' });
    await page.waitForFunction(() => (window as any).h.values.keyLock === 2);
    assert.equal(await keyRoot.isDisabled(), false);
    await keyRoot.selectOption({ label: 'A' });
    assert.equal(await lastWrite(page, 'keyRoot'), 9);
    await close(page);
  });

  test('every parameter of the table has a control, with the table\'s range', async () => {
    const page = await openPanel();
    const found = await page.evaluate(() => {
      const root = (window as any).p.shadowRoot as ShadowRoot;
      const controls = [...root.querySelectorAll('di-param-control')].map((c) => {
        const input = c.shadowRoot!.querySelector('input[type="range"]') as HTMLInputElement | null;
        return { id: c.getAttribute('data-param')!, min: input ? Number(input.min) : null, max: input ? Number(input.max) : null };
      });
      const own = [];
      if (root.querySelector('di-mode-selector')) own.push('mode');
      if (root.querySelector('button.arm')) own.push('armed');
      if (root.querySelector('di-latent-pad')) own.push('padX', 'padY');
      return { controls, own };
    });
    const ids = new Set([...found.controls.map((c) => c.id), ...found.own]);
    for (const p of PARAMETERS) assert.ok(ids.has(p.id), `a control for '${p.id}'`);
    for (const c of found.controls) {
      const spec = PARAMETERS.find((p) => p.id === c.id)!;
      if (c.min !== null) assert.deepEqual([c.min, c.max], [spec.minValue, spec.maxValue], `range of '${c.id}'`);
    }
    await close(page);
  });

  test('values the host changes (automation) show up, read at most about 4 times a second', async () => {
    const page = await openPanel();
    await page.evaluate(() => { (window as any).h.values.temperature = 1.5; (window as any).h.values.mode = 0; });
    await page.waitForFunction(() => {
      const control = (window as any).p.shadowRoot.querySelector('di-param-control[data-param="temperature"]');
      return control.shadowRoot.querySelector('input').value === '1.5';
    }, undefined, { timeout: 3000 });
    assert.equal(await page.locator('di-mode-selector button[data-mode="listen"]').getAttribute('aria-checked'), 'true');
    // Nine more reads come (the panel keeps polling, every 250 ms), spread over at least 1.75 s: at most about
    // 4 a second, one extra read allowed (a loaded machine only spreads them more).
    const before = await page.evaluate(() => (window as any).h.reads);
    await page.waitForFunction((n) => (window as any).h.reads >= n + 9, before, { timeout: 10_000 });
    const times: number[] = await page.evaluate((n) => (window as any).h.readTimesMs.slice(n, n + 9), before);
    const spanMs = times[8] - times[0];
    assert.ok(spanMs >= 7 * 250, `9 reads within ${spanMs.toFixed(0)} ms`);
    await close(page);
  });

  test('panic calls panic(); Arm toggles `armed`', async () => {
    const page = await openPanel();
    await page.locator('di-loop-panel button.panic').click();
    assert.equal(await page.evaluate(() => (window as any).h.panics), 1);
    const arm = page.locator('di-loop-panel button.arm');
    assert.equal(await arm.getAttribute('aria-checked'), 'true');
    await arm.click();
    assert.equal(await lastWrite(page, 'armed'), 0);
    assert.equal(await arm.getAttribute('aria-checked'), 'false');
    await arm.click();
    await page.waitForFunction(() => (window as any).h.values.armed === 1);
    await close(page);
  });
});

describe('lifecycle', () => {
  test('removing the panel releases node listeners, animation frames, intervals and the pointer capture', async () => {
    const page = await openPanel();
    const box = (await page.locator('di-latent-pad .pad').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.4);
    const live = () => page.evaluate(async () => {
      const { h, loopTest } = window as any;
      await loopTest.frames(3);
      const pad = (window as any).p.shadowRoot.querySelector('di-latent-pad');
      return { listeners: h.activeListeners, frames: loopTest.liveFrames(), intervals: loopTest.liveIntervals(), dragging: pad.dragging };
    });
    const mounted = await live();
    assert.equal(mounted.listeners, 3, 'planned, phrase and cancel listeners while mounted');
    assert.ok(mounted.frames >= 1, 'the piano roll animates while mounted');
    assert.equal(mounted.intervals, 2, 'parameter poll and anchor refresh');
    assert.equal(mounted.dragging, true);

    await page.evaluate(() => (window as any).p.remove());
    const removed = await live();
    assert.deepEqual(removed, { listeners: 0, frames: 0, intervals: 0, dragging: false });
    const reads = await page.evaluate(() => (window as any).h.reads);
    // Nothing may poll after removal. A witness timer at the poll period (250 ms) shows when the poll would have
    // run at least twice; only then is the count compared.
    await page.evaluate(() => {
      const w = window as any;
      w.witnessTicks = 0;
      for (const ms of [250, 500, 750]) setTimeout(() => { w.witnessTicks++; }, ms);
    });
    await page.waitForFunction(() => (window as any).witnessTicks >= 3, undefined, { timeout: 5000 });
    assert.equal(await page.evaluate(() => (window as any).h.reads), reads, 'no polling after removal');
    await page.mouse.up();

    // Put back, it binds again; removed again, it lets go again.
    await page.evaluate(async () => { document.body.append((window as any).p); await (window as any).p.updateComplete; });
    const again = await live();
    assert.equal(again.listeners, 3);
    assert.equal(again.intervals, 2);
    await page.evaluate(() => (window as any).p.remove());
    assert.deepEqual(await live(), { listeners: 0, frames: 0, intervals: 0, dragging: false });
    await close(page);
  });

  test('a new node replaces the old one\'s listeners', async () => {
    const page = await openPanel();
    const counts = await page.evaluate(async () => {
      const { h: first, p: panel, loopTest } = window as any;
      const second = Object.create(Object.getPrototypeOf(first));
      Object.assign(second, { ...first, writes: [], reads: 0, planned: new Set(), phrase: new Set(), cancel: new Set(), values: { ...first.values } });
      panel.node = second;
      await panel.updateComplete;
      await loopTest.frames(2);
      return { first: first.activeListeners, second: second.activeListeners };
    });
    assert.deepEqual(counts, { first: 0, second: 3 });
    await close(page);
  });
});
