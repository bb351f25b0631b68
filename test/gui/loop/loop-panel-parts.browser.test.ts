/**
 * The parts of `<di-loop-panel>` in real Chromium, on the stub host of
 * test/gui/loop/pages/loop-panel-page.ts: the pad writes padX/padY and draws
 * its trail, capture calls captureAnchor with the corner's index, the piano
 * roll draws the performer and the response in their colours at the right
 * times, and MIDI access waits for a click.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { close, lastWrite, openPanel, useLoopPanelPage, writesOf } from './loop-panel-fixture.ts';

useLoopPanelPage();

describe('latent pad', () => {
  test('dragging writes padX/padY (clamped to 0–1, both in one write) and draws a trail', async () => {
    const page = await openPanel();
    const box = (await page.locator('di-latent-pad .pad').boundingBox())!;
    const at = (x: number, yFromTop: number) => [box.x + box.width * x, box.y + box.height * yFromTop] as const;
    await page.mouse.move(...at(0.2, 0.8));
    await page.mouse.down();
    for (let i = 1; i <= 12; i++) await page.mouse.move(...at(0.2 + 0.05 * i, 0.8 - (0.5 * i) / 12));
    await page.waitForFunction(() => Math.abs((window as any).h.values.padX - 0.8) < 0.02 && Math.abs((window as any).h.values.padY - 0.7) < 0.02);
    const trail = await page.evaluate(async () => {
      const w = window as any;
      await w.loopTest.frames(2);
      const pad = w.loopTest.deep('di-loop-panel', 'di-latent-pad');
      const canvas = pad.shadowRoot.querySelector('canvas') as HTMLCanvasElement;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let drawn = 0;
      let orange = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] > 64) {
          drawn++;
          if (data[i] > data[i + 2] + 60) orange++;
        }
      }
      // The pixel half-way along the path (x 0.5, 0.55 from the top) is on the trail.
      const mid = canvas.getContext('2d')!.getImageData(Math.round(canvas.width * 0.5), Math.round(canvas.height * 0.55), 1, 1).data;
      return { drawn, orange, midAlpha: mid[3], points: pad.trailPoints };
    });
    assert.ok(trail.drawn > 100, `trail pixels: ${trail.drawn}`);
    assert.equal(trail.orange, trail.drawn, 'the trail is in the response colour');
    assert.ok(trail.midAlpha > 64, `trail drawn half-way along the path (alpha ${trail.midAlpha})`);
    assert.ok(trail.points >= 10, `trail points: ${trail.points}`);
    // Past the top-right edge, the capture keeps the drag going and the values clamp.
    await page.mouse.move(box.x + box.width + 40, box.y - 40);
    await page.waitForFunction(() => (window as any).h.values.padX === 1 && (window as any).h.values.padY === 1);
    await page.mouse.up();
    const xs = await writesOf(page, 'padX');
    const ys = await writesOf(page, 'padY');
    for (const w of [...xs, ...ys]) assert.ok(w.value >= 0 && w.value <= 1 && w.normalized === false, `pad value ${w.value}`);
    assert.ok(await page.evaluate(() => (window as any).h.writes.some((w: any) => 'padX' in w && 'padY' in w)), 'x and y travel in one write');
    await close(page);
  });

  test('arrow keys move the point by 0.01, Shift by 0.1', async () => {
    const page = await openPanel();
    const pad = page.locator('di-latent-pad .pad');
    await pad.focus();
    await page.keyboard.press('ArrowUp');
    assert.equal(await lastWrite(page, 'padY'), 0.51);
    await page.keyboard.press('Shift+ArrowLeft');
    assert.equal(await lastWrite(page, 'padX'), 0.4);
    await close(page);
  });

  test('capture buttons call captureAnchor with their corner\'s index; a failure is shown', async () => {
    const page = await openPanel();
    const padBox = (await page.locator('di-latent-pad .pad').boundingBox())!;
    const topLeft = (await page.locator('di-latent-pad .corner[data-anchor="2"]').boundingBox())!;
    assert.ok(topLeft.x < padBox.x + padBox.width / 2 && topLeft.y < padBox.y + padBox.height / 2, 'anchor 2 sits top-left');
    const label = page.locator('di-latent-pad .corner[data-anchor="2"] .label');
    assert.match((await label.getAttribute('class')) ?? '', /empty/);
    await page.locator('di-latent-pad .corner[data-anchor="2"] .capture').click();
    await page.waitForFunction(() => (window as any).h.captures.length === 1);
    await page.waitForFunction(() => {
      const pad = (window as any).loopTest.deep('di-loop-panel', 'di-latent-pad');
      return !pad.shadowRoot.querySelector('.corner[data-anchor="2"] .label').classList.contains('empty');
    });
    await page.locator('di-latent-pad .corner[data-anchor="1"] .capture').click();
    await page.waitForFunction(() => (window as any).h.captures.length === 2);
    assert.deepEqual(await page.evaluate(() => (window as any).h.captures), [2, 1]);
    // Pressing capture must not move the point.
    assert.deepEqual(await writesOf(page, 'padX'), []);
    await page.evaluate(() => { (window as any).h.captureError = 'nothing has been played yet'; });
    await page.locator('di-latent-pad .corner[data-anchor="0"] .capture').click();
    await page.waitForSelector('di-loop-panel .message');
    assert.equal(await page.locator('di-loop-panel .message').textContent(), 'Could not capture anchor A: nothing has been played yet');
    await close(page);
  });
});

describe('piano roll', () => {
  test('draws the performer and the response in their own colours, at their times; a cancel removes the unplayed response', async () => {
    const page = await openPanel();
    const result = await page.evaluate(async () => {
      const w = window as any;
      const { h, loopTest } = w;
      h.clock.currentTime = 12;
      const tempoBpm = 90;
      // Performer: pitches 60–64 from beat 1 of a phrase starting at 6 s (beat 1 is at 6 + 60/90 s).
      h.emitPhrase({ type: 'phrase', notes: Float64Array.from([60, 100, 1, 1, 62, 100, 2, 1, 64, 100, 3, 1]), startBeat: 16, lengthBeats: 4, startTimeS: 6, tempoBpm, beatsPerBar: 4 });
      // Response: note-ons at 12.5 s and 13.5 s (frames at 48 kHz), each a second long.
      const sr = 48_000;
      h.emitPlanned({ type: 'planned', events: Float64Array.from([12.5 * sr, 0x90, 67, 100, 13.5 * sr, 0x80, 67, 0, 13.5 * sr, 0x90, 69, 100, 14.5 * sr, 0x80, 69, 0]), startBeat: 25, tempoBpm, sampleRate: sr, startFrame: (25 * 60 * sr) / tempoBpm });
      await loopTest.frames(3);
      const roll = loopTest.deep('di-loop-panel', 'di-piano-roll');
      const canvas = roll.shadowRoot.querySelector('canvas');
      const performer = loopTest.countColour(canvas, loopTest.colours.performer);
      const response = loopTest.countColour(canvas, loopTest.colours.response);
      h.emitCancel();
      await loopTest.frames(3);
      const afterCancel = { performer: loopTest.countColour(canvas, loopTest.colours.performer), response: loopTest.countColour(canvas, loopTest.colours.response) };
      return { width: canvas.width, performer, response, afterCancel };
    });
    assert.notEqual(result.performer, result.response);
    assert.ok(result.performer.count > 100, `performer pixels: ${result.performer.count}`);
    assert.ok(result.response.count > 100, `response pixels: ${result.response.count}`);
    // 8 bars of 4 beats at 90 BPM across the plot (30 px gutter), the playhead (12 s) in the middle.
    const gutter = 30;
    const spanS = (8 * 4 * 60) / 90;
    const xOf = (s: number) => gutter + ((s - (12 - spanS / 2)) / spanS) * (result.width - gutter);
    assert.ok(Math.abs(result.performer.minX - xOf(6 + 60 / 90)) <= 2, `performer starts at beat 1 (x ${result.performer.minX}, expected ${xOf(6 + 60 / 90)})`);
    assert.ok(Math.abs(result.response.minX - xOf(12.5)) <= 2, `response starts at 12.5 s (x ${result.response.minX}, expected ${xOf(12.5)})`);
    assert.ok(Math.abs(result.response.maxX - xOf(14.5)) <= 2, `response ends at 14.5 s (x ${result.response.maxX}, expected ${xOf(14.5)})`);
    assert.ok(result.performer.maxX < xOf(12) && result.response.minX > xOf(12), 'performer before the playhead, response after');
    assert.equal(result.afterCancel.response.count, 0, 'a cancel at 12 s removes the response planned after it');
    assert.ok(result.afterCancel.performer.count > 100, 'the performer\'s notes stay');
    await close(page);
  });

  test('draws at most once per animation frame, however many reports arrive', async () => {
    const page = await openPanel();
    const result = await page.evaluate(async () => {
      const { h, loopTest } = window as any;
      const roll = loopTest.deep('di-loop-panel', 'di-piano-roll');
      await loopTest.frames(1);
      const before = roll.drawCount;
      // Six frames, each advancing the clock and bringing 50 phrase reports.
      const frames = await loopTest.everyFrame(6, () => {
        h.clock.currentTime += 0.016;
        for (let i = 0; i < 50; i++) h.emitPhrase({ type: 'phrase', notes: Float64Array.from([60 + (i % 12), 90, 0, 0.5]), startBeat: 0, lengthBeats: 1, startTimeS: h.clock.currentTime - 0.5, tempoBpm: 120, beatsPerBar: 4 });
      });
      await loopTest.frames(1);
      return { draws: roll.drawCount - before, frames: frames + 1, notes: roll.roll.notes.length };
    });
    assert.equal(result.notes, 300);
    assert.ok(result.draws >= 1 && result.draws <= result.frames, `${result.draws} draws in ${result.frames} frames for 300 reports`);
    await close(page);
  });

  test('keeps only the last 16 bars', async () => {
    const page = await openPanel();
    const kept = await page.evaluate(async () => {
      const { h, loopTest } = window as any;
      const roll = loopTest.deep('di-loop-panel', 'di-piano-roll');
      // One phrase a bar (2 s at 120 BPM) for 40 bars.
      for (let bar = 0; bar < 40; bar++) h.emitPhrase({ type: 'phrase', notes: Float64Array.from([60, 90, 0, 1]), startBeat: bar * 4, lengthBeats: 4, startTimeS: bar * 2, tempoBpm: 120, beatsPerBar: 4 });
      h.clock.currentTime = 80;
      await loopTest.frames(3);
      return roll.roll.notes.map((n: any) => n.startS);
    });
    assert.equal(kept.length, 16);
    assert.equal(Math.min(...kept), 48);
    await close(page);
  });
});

describe('MIDI output picker', () => {
  test('asks for MIDI access only when clicked, then lists and chooses outputs', async () => {
    const page = await openPanel();
    // Nothing may ask for MIDI access before a click. Wait until the panel is live (its picker shows and it has
    // polled the parameters twice, half a second at least), then check that nothing did.
    await page.locator('di-midi-devices button.picker').waitFor();
    await page.waitForFunction(() => (window as any).h.reads >= 2, undefined, { timeout: 5000 });
    assert.equal(await page.evaluate(() => (window as any).h.midiOutputCalls), 0, 'no MIDI access without a click');
    await page.locator('di-midi-devices button.picker').click();
    const select = page.locator('di-midi-devices select');
    await select.waitFor();
    assert.equal(await page.evaluate(() => (window as any).h.midiOutputCalls), 1);
    assert.deepEqual(await select.locator('option').allTextContents(), ['Host only', 'Synth One', 'Drum Box']);
    await select.selectOption('out-2');
    await page.waitForFunction(() => (window as any).h.chosenOutputs.length === 1);
    assert.deepEqual(await page.evaluate(() => (window as any).h.chosenOutputs), ['out-2']);
    await select.selectOption('');
    await page.waitForFunction(() => (window as any).h.chosenOutputs.length === 2);
    assert.deepEqual(await page.evaluate(() => (window as any).h.chosenOutputs), ['out-2', null]);
    await close(page);
  });

  test('says clearly when Web MIDI is refused or missing', async () => {
    const refused = await openPanel();
    await refused.evaluate(() => { (window as any).h.midiError = 'Web MIDI is not available here: SecurityError'; });
    await refused.locator('di-midi-devices button.picker').click();
    const message = refused.locator('di-midi-devices .message');
    await message.waitFor();
    assert.equal(await message.textContent(), 'Web MIDI is not available here: SecurityError. Generated notes still go to the host\'s MIDI output.');
    await close(refused);

    const missing = await openPanel(() => { delete (Navigator.prototype as any).requestMIDIAccess; });
    await missing.locator('di-midi-devices button.picker').click();
    await missing.locator('di-midi-devices .message').waitFor();
    assert.match((await missing.locator('di-midi-devices .message').textContent()) ?? '', /Web MIDI is not available in this browser/);
    assert.equal(await missing.evaluate(() => (window as any).h.midiOutputCalls), 0, 'the node is not asked when the browser has no Web MIDI');
    await close(missing);
  });
});
