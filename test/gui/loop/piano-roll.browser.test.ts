/**
 * `<di-piano-roll>` in the loop panel, in real Chromium, bound to a stub
 * host that streams what the node streams (test/gui/loop/pages/roll-page.ts):
 * the performer's notes appear while they are played and are not doubled by
 * the phrase report; with the drums model the rows are the drum model's
 * named lanes and a snare hit lands in the snare lane; an answer dragged out
 * of the roll carries a `.mid` (Chromium's DownloadURL and a File) with the
 * answer's notes, and the clip button saves the same file as a download.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as tonejsMidi from '@tonejs/midi';
import type { Page } from 'playwright-core';
import { openRollPage, useRollPage } from './roll-fixture.ts';

const Midi: typeof tonejsMidi.Midi = tonejsMidi.Midi ?? (tonejsMidi as unknown as { default: typeof tonejsMidi }).default.Midi;
useRollPage();

/** A page with a mounted panel (`window.h` the stub, `window.p` the panel, `window.r` its roll); `model` 1 is drums. */
async function open(model = 0): Promise<Page> {
  const { page, errors } = await openRollPage({ acceptDownloads: true });
  (page as any).errors = errors;
  await page.evaluate(async (model) => {
    const w = window as any;
    // Every label the roll writes on its canvas, to check what it draws without reading pixels.
    w.labelsDrawn = new Set<string>();
    const fillText = CanvasRenderingContext2D.prototype.fillText;
    CanvasRenderingContext2D.prototype.fillText = function (text: string, ...rest: [number, number, number?]) {
      w.labelsDrawn.add(text);
      return fillText.call(this, text, ...rest);
    };
    const { host, panel } = w.rollTest.mount((h: any) => { h.values.model = model; h.clock.currentTime = 10; });
    w.h = host;
    w.p = panel;
    await panel.updateComplete;
    w.r = w.rollTest.deep('di-loop-panel', 'di-piano-roll');
    await w.rollTest.frames(2);
  }, model);
  return page;
}

async function close(page: Page): Promise<void> {
  const errors = (page as any).errors as string[];
  await page.close();
  assert.deepEqual(errors, [], 'no page errors');
}

test('the performer\'s notes show while they are played, and the phrase report does not double them', async () => {
  const page = await open();
  await page.evaluate(() => {
    const { h } = window as any;
    h.emitPerformer([[9.5, 64, 100]]);
  });
  // Held: drawn, growing to the playhead, before any phrase exists.
  await page.waitForFunction(() => (window as any).r.drawnNotes.some((n: any) => n.source === 'performer' && n.pitch === 64));
  const held = await page.evaluate(async () => {
    const { h, r, rollTest } = window as any;
    const before = r.drawnNotes.find((n: any) => n.pitch === 64).width;
    h.clock.currentTime = 10.5;
    await rollTest.frames(2);
    return { before, after: r.drawnNotes.find((n: any) => n.pitch === 64).width };
  });
  assert.ok(held.after > held.before + 5, `a held note grows with the clock (${held.before} → ${held.after} px)`);
  const counts = await page.evaluate(async () => {
    const { h, r, rollTest } = window as any;
    h.emitPerformer([[10.25, 64, 0], [10.3, 67, 90], [10.4, 67, 0]]);
    await rollTest.frames(2);
    const live = r.drawnNotes.filter((n: any) => n.source === 'performer').map((n: any) => n.pitch);
    // The phrase that closes: two bars from 9 s at 120 BPM, the same two notes.
    h.emitPhrase({ type: 'phrase', notes: Float64Array.from([64, 100, 1, 1.5, 67, 90, 2.6, 0.2]), startBeat: 16, lengthBeats: 8, startTimeS: 9, tempoBpm: 120, beatsPerBar: 4 });
    await rollTest.frames(2);
    return { live, afterPhrase: r.drawnNotes.filter((n: any) => n.source === 'performer').map((n: any) => n.pitch).sort() };
  });
  assert.deepEqual(counts.live.sort(), [64, 67]);
  assert.deepEqual(counts.afterPhrase, [64, 67], 'the phrase replaces the live notes it covers, once each');
  await page.screenshot({ path: '/tmp/roll-live-notes.png' });
  await close(page);
});

test('with the drums model the roll has the drum lanes, and a hit at 38 lands in the snare lane', async () => {
  const page = await open(1);
  await page.evaluate(() => {
    const { h } = window as any;
    const sr = 48_000;
    h.emitPlanned({
      type: 'planned', startBeat: 20, tempoBpm: 120, sampleRate: sr, startFrame: 10 * sr,
      events: Float64Array.from([10.2 * sr, 0x99, 36, 110, 10.26 * sr, 0x89, 36, 0, 10.45 * sr, 0x99, 38, 100, 10.51 * sr, 0x89, 38, 0, 10.7 * sr, 0x99, 42, 70, 10.76 * sr, 0x89, 42, 0]),
    });
  });
  await page.waitForFunction(() => (window as any).r.drawnNotes.length === 3);
  const layout = await page.evaluate(() => {
    const { r } = window as any;
    const canvas = r.shadowRoot.querySelector('canvas');
    return {
      drumsAttr: r.hasAttribute('drums'),
      kind: r.rows.kind,
      rowIds: canvas.dataset.rows,
      labels: r.rows.labels.map((l: any) => l.text),
      drawnLabels: [...(window as any).labelsDrawn],
      rowCount: r.rows.count,
      canvasHeight: canvas.clientHeight,
      notes: r.drawnNotes.map((n: any) => ({ pitch: n.pitch, lane: n.lane, row: n.row, y: n.y, height: n.height })) as { pitch: number; lane: string; row: number; y: number; height: number }[],
      title: (window as any).p.shadowRoot.querySelector('.stage > div:nth-child(2) .title').textContent,
    };
  });
  assert.equal(layout.drumsAttr, true);
  assert.equal(layout.kind, 'drums');
  assert.equal(layout.rowIds, 'kick snare closed-hat open-hat low-tom mid-tom high-tom crash ride');
  const names = ['kick', 'snare', 'closed hat', 'open hat', 'low tom', 'mid tom', 'high tom', 'crash', 'ride'];
  assert.deepEqual(layout.labels, names);
  for (const name of names) assert.ok(layout.drawnLabels.includes(name), `the lane label '${name}' is drawn`);
  assert.ok(!layout.drawnLabels.includes('C4'), 'no piano-key labels');
  assert.equal(layout.title, 'Drum roll');
  const snare = layout.notes.find((n) => n.pitch === 38)!;
  assert.equal(snare.lane, 'snare');
  assert.equal(snare.row, 1);
  const rowHeight = layout.canvasHeight / layout.rowCount;
  assert.ok(snare.y >= rowHeight && snare.y + snare.height <= 2 * rowHeight + 0.5, `the hit is inside the snare lane's band (${snare.y}, ${snare.height}, row ${rowHeight})`);
  assert.deepEqual(layout.notes.map((n) => n.lane).sort(), ['closed-hat', 'kick', 'snare']);
  await page.screenshot({ path: '/tmp/roll-drums.png' });

  await close(page);
});

/** Sends a phrase (the beat grid: beat 16 at 9 s, 120 BPM) and a three-note answer from beat 20 (11 s). */
async function answer(page: Page): Promise<void> {
  await page.evaluate(() => {
    const { h } = window as any;
    const sr = 48_000;
    h.emitPhrase({ type: 'phrase', notes: Float64Array.from([60, 100, 0, 1]), startBeat: 16, lengthBeats: 8, startTimeS: 9, tempoBpm: 120, beatsPerBar: 4 });
    h.emitPlanned({
      type: 'planned', startBeat: 20, tempoBpm: 120, sampleRate: sr, startFrame: 10 * sr,
      // Beats 20.5–21.5 (67), 21–21.5 (71), 22–23.5 (74, velocity 64).
      events: Float64Array.from([11.25 * sr, 0x90, 67, 100, 11.75 * sr, 0x80, 67, 0, 11.5 * sr, 0x90, 71, 90, 11.75 * sr, 0x80, 71, 0, 12 * sr, 0x90, 74, 64, 12.75 * sr, 0x80, 74, 0]),
    });
  });
  await page.waitForFunction(() => (window as any).r.drawnNotes.filter((n: any) => n.source === 'response').length === 3);
}

const ANSWER_NOTES = [
  { pitch: 67, startBeats: 0.5, lengthBeats: 1, velocity: 100, channel: 1 },
  { pitch: 71, startBeats: 1, lengthBeats: 0.5, velocity: 90, channel: 1 },
  { pitch: 74, startBeats: 2, lengthBeats: 1.5, velocity: 64, channel: 1 },
];

test('an answer dragged out of the roll carries a .mid with its notes (DownloadURL and File); elsewhere the roll does not drag', async () => {
  const page = await open();
  await answer(page);
  const dragged = await page.evaluate(async () => {
    const { r, rollTest } = window as any;
    const canvas = r.shadowRoot.querySelector('canvas');
    const frame = r.shadowRoot.querySelector('.frame');
    const rect = canvas.getBoundingClientRect();
    const note = r.drawnNotes.find((n: any) => n.source === 'response' && n.pitch === 71);
    const clientX = rect.left + note.x + note.width / 2;
    const clientY = rect.top + note.y + note.height / 2;
    // Hovering makes the roll draggable over the answer and outlines it.
    frame.dispatchEvent(new PointerEvent('pointermove', { clientX, clientY, bubbles: true, composed: true }));
    await r.updateComplete;
    await rollTest.frames(1);
    const draggable = frame.getAttribute('draggable');
    const transfer = new DataTransfer();
    const start = new DragEvent('dragstart', { clientX, clientY, dataTransfer: transfer, bubbles: true, composed: true, cancelable: true });
    frame.dispatchEvent(start);
    const downloadUrl = transfer.getData('DownloadURL');
    const blobUrl = downloadUrl.slice(downloadUrl.indexOf(':blob:') + 1);
    const fromUrl = new Uint8Array(await (await fetch(blobUrl)).arrayBuffer());
    const file = transfer.files[0];
    const fromFile = file ? new Uint8Array(await file.arrayBuffer()) : null;
    // A drag that starts where no answer is drags nothing.
    const empty = new DragEvent('dragstart', { clientX: rect.left + 40, clientY, dataTransfer: new DataTransfer(), bubbles: true, composed: true, cancelable: true });
    frame.dispatchEvent(empty);
    return {
      draggable, prevented: start.defaultPrevented, downloadUrl, fileName: file?.name, fileType: file?.type,
      midi: rollTest.readMidi(fromUrl), sameBytes: fromFile !== null && fromFile.length === fromUrl.length && fromFile.every((b: number, i: number) => b === fromUrl[i]),
      emptyPrevented: empty.defaultPrevented, text: transfer.getData('text/plain'),
    };
  });
  assert.equal(dragged.draggable, 'true');
  assert.equal(dragged.prevented, false);
  assert.match(dragged.downloadUrl, /^audio\/midi:deep-improv-answer-1\.mid:blob:http:\/\//);
  assert.equal(dragged.fileName, 'deep-improv-answer-1.mid');
  assert.equal(dragged.fileType, 'audio/midi');
  assert.equal(dragged.sameBytes, true, 'the File and the DownloadURL carry the same bytes');
  assert.equal(dragged.text, 'deep-improv-answer-1.mid');
  assert.equal(Math.round(dragged.midi.bpm!), 120);
  assert.deepEqual(dragged.midi.timeSignature, [4, 4]);
  assert.deepEqual(dragged.midi.notes, ANSWER_NOTES, 'the answer\'s notes, in beats from its start beat');
  assert.equal(dragged.emptyPrevented, true);
  await page.screenshot({ path: '/tmp/roll-answer-hover.png' });
  await close(page);
});

test('a real mouse drag from an answer starts a drag that carries the clip', async () => {
  const page = await open();
  await answer(page);
  const at = await page.evaluate(() => {
    const { r } = window as any;
    const rect = r.shadowRoot.querySelector('canvas').getBoundingClientRect();
    const note = r.drawnNotes.find((n: any) => n.source === 'response' && n.pitch === 74);
    (window as any).dragged = null;
    // After the roll's own handler: what the drag carries as it leaves.
    window.addEventListener('dragstart', (e) => { (window as any).dragged = e.dataTransfer?.getData('DownloadURL') ?? ''; });
    return { x: rect.left + note.x + note.width / 2, y: rect.top + note.y + note.height / 2 };
  });
  await page.mouse.move(at.x, at.y);
  await page.waitForFunction(() => (window as any).r.shadowRoot.querySelector('.frame').getAttribute('draggable') === 'true');
  await page.mouse.down();
  await page.mouse.move(at.x + 40, at.y + 30, { steps: 5 });
  await page.waitForFunction(() => (window as any).dragged !== null);
  await page.mouse.up();
  assert.match(await page.evaluate(() => (window as any).dragged), /^audio\/midi:deep-improv-answer-1\.mid:blob:http:\/\//);
  await close(page);
});

test('the clip button saves the answer as a .mid download, and drags the same clip', async () => {
  const page = await open();
  await answer(page);
  const chip = page.locator('di-loop-panel di-piano-roll .clip');
  await chip.waitFor();
  assert.match((await chip.textContent())!, /answer 1 · \.mid/);
  const [download] = await Promise.all([page.waitForEvent('download'), chip.click()]);
  assert.equal(download.suggestedFilename(), 'deep-improv-answer-1.mid');
  const bytes = new Uint8Array(await readFile((await download.path())!));
  const midi = new Midi(bytes);
  const notes = midi.tracks.flatMap((t) => t.notes.map((n) => ({
    pitch: n.midi, startBeats: n.ticks / midi.header.ppq, lengthBeats: n.durationTicks / midi.header.ppq, velocity: Math.round(n.velocity * 127), channel: t.channel + 1,
  })));
  assert.deepEqual(notes, ANSWER_NOTES);

  const fromChip = await page.evaluate(() => {
    const { r } = window as any;
    const transfer = new DataTransfer();
    r.shadowRoot.querySelector('.clip').dispatchEvent(new DragEvent('dragstart', { dataTransfer: transfer, bubbles: true, composed: true, cancelable: true }));
    return transfer.getData('DownloadURL');
  });
  assert.match(fromChip, /^audio\/midi:deep-improv-answer-1\.mid:blob:/);

  // A cancel before the answer played drops it, and the button goes.
  await page.evaluate(async () => {
    const { h, r, rollTest } = window as any;
    h.emitCancel();
    await r.updateComplete;
    await rollTest.frames(2);
  });
  assert.equal(await chip.count(), 0);
  await close(page);
});
