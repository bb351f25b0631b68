// <di-session-browser> in headless Chromium, backed by the real log (LocalSessionLogApi on IndexedDB).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openLogPage, type LogPage } from '../../helpers/log/browser-harness.ts';
import type { LogKit } from '../../helpers/log/browser-entry.ts';
import type { DiSessionBrowser } from '../../../gui/session-browser/session-browser.component.ts';

let h: LogPage;
before(async () => {
  h = await openLogPage('test/gui/session-browser/pages/session-browser-entry.ts');
  await h.page.evaluate(async () => {
    const k = (globalThis as unknown as { logKit: LogKit }).logKit;
    await k.deleteDatabase('gui');
    for (const [name, seconds, seed] of [['first jam', 60, 1], ['second', 10, 2]] as const) {
      const writer = await k.log.SessionLog.open({ dbName: 'gui' });
      const synth = new k.SyntheticSession({ seed, wallStartMs: 1_700_000_000_000 + seed * 3_600_000 });
      await writer.start(synth.meta(name));
      await k.writeSynthetic(writer, synth, 0, seconds);
      await writer.close();
    }
    const element = document.createElement('di-session-browser') as DiSessionBrowser;
    element.style.width = '800px';
    const events: { type: string; detail: unknown }[] = [];
    for (const type of ['di-session-replay', 'di-session-exported', 'di-session-error']) {
      document.addEventListener(type, (e) => events.push({ type, detail: (e as CustomEvent).detail }));
    }
    (globalThis as unknown as { events: typeof events }).events = events;
    element.api = await k.log.LocalSessionLogApi.open('gui');
    document.body.append(element);
  });
});
after(async () => {
  await h?.close();
});

const rows = () => h.page.locator('di-session-browser tbody tr');
const events = () => h.page.evaluate(() => (globalThis as unknown as { events: { type: string; detail: Record<string, unknown> }[] }).events.splice(0));

test('lists the sessions newest first with date, name, duration, counts and size', async () => {
  await h.page.waitForFunction(() => document.querySelector('di-session-browser')?.shadowRoot?.querySelectorAll('tbody tr').length === 2);
  const cells = await rows().evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent?.trim() ?? '')));
  assert.equal(cells[0][1], 'second');
  assert.equal(cells[1][1], 'first jam');
  // Duration runs to the last record: a note-off just past 10 s in one, the last frame before 60 s in the other.
  assert.equal(cells[0][2], '0:10');
  assert.equal(cells[1][2], '0:59');
  assert.match(cells[1][3], /^\d+ MIDI · 180 notes · 1 markers$/);
  assert.match(cells[1][4], /^\d+\.\d kB$/);
  assert.match(cells[1][0], /^2023-11-1[45] \d\d:\d\d$/);
});

test('opening a session plots features and a piano roll of the performer and the plugin, and lists its markers', async () => {
  await rows().filter({ hasText: 'first jam' }).click();
  const detail = h.page.locator('di-session-browser section.detail');
  await detail.waitFor();
  assert.match(await detail.locator('h3').innerText(), /first jam/);
  assert.deepEqual(await detail.locator('.markers li').allInnerTexts(), ['0:59.9 minute 1']);
  const plotted = await detail.locator('select option:checked').allInnerTexts();
  assert.deepEqual(plotted, ['Loudness (RMS)', 'Spectral centroid (Hz)', 'Spectral flux', 'Onset strength'], 'the picker reads in readable names');
  assert.equal(await detail.locator('select option').nth(7).innerText(), 'MFCC 0');
  assert.equal(await detail.locator('select option[value="35"]').innerText(), 'spare_0', 'a column this version does not know keeps its name');
  const colours = await h.page.evaluate(() => {
    const root = document.querySelector('di-session-browser')?.shadowRoot;
    const count = (selector: string, rgb: [number, number, number]): number => {
      const canvas = root?.querySelector<HTMLCanvasElement>(selector);
      const data = canvas?.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      if (data) for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i] - rgb[0]) < 8 && Math.abs(data[i + 1] - rgb[1]) < 8 && Math.abs(data[i + 2] - rgb[2]) < 8) n++;
      return n;
    };
    return {
      rollIn: count('canvas.roll', [0x4f, 0xc3, 0xf7]),
      rollOut: count('canvas.roll', [0xff, 0xa9, 0x4d]),
      featureLane0: count('canvas.features', [0x4f, 0xc3, 0xf7]),
      marker: count('canvas.roll', [0xee, 0x99, 0x11]),
    };
  });
  assert.ok(colours.rollIn > 200, `input notes drawn: ${colours.rollIn} px`);
  assert.ok(colours.rollOut > 200, `output notes drawn: ${colours.rollOut} px`);
  assert.ok(colours.featureLane0 > 200, `first feature lane drawn: ${colours.featureLane0} px`);
  assert.ok(colours.marker > 20, `the marker line drawn in its colour: ${colours.marker} px`);
});

test('exports download files and say so; replay is an event for the host', async () => {
  const detail = h.page.locator('di-session-browser section.detail');
  await events();
  const [download] = await Promise.all([h.page.waitForEvent('download'), detail.getByRole('button', { name: 'Export MIDI' }).click()]);
  assert.equal(download.suggestedFilename(), 'deep-improv-first-jam-notes.mid');
  await detail.getByRole('button', { name: 'Export CSV' }).click();
  await detail.getByRole('button', { name: 'Export session' }).click();
  await detail.getByRole('button', { name: 'Replay' }).click();
  await h.page.waitForFunction(() => (globalThis as unknown as { events: unknown[] }).events.length >= 4);
  const seen = await events();
  const id = await rows().filter({ hasText: 'first jam' }).getAttribute('data-id');
  assert.deepEqual(seen.map((e) => [e.type, e.detail.format ?? null, e.detail.fileName ?? null, e.detail.sessionId]), [
    ['di-session-exported', 'midi', 'deep-improv-first-jam-notes.mid', id],
    ['di-session-exported', 'csv', 'deep-improv-first-jam-features.csv', id],
    ['di-session-exported', 'bundle', 'deep-improv-first-jam.dilog', id],
    ['di-session-replay', null, null, id],
  ]);
  assert.ok(seen.slice(0, 3).every((e) => (e.detail.byteLength as number) > 1000));
});

test('rename saves the new name; delete asks first and can be cancelled', async () => {
  const detail = h.page.locator('di-session-browser section.detail');
  await detail.getByRole('button', { name: 'Rename' }).click();
  await detail.getByLabel('New name').fill('Best take');
  await detail.getByRole('button', { name: 'Save name' }).click();
  await rows().filter({ hasText: 'Best take' }).waitFor();
  assert.match(await detail.locator('h3').innerText(), /Best take/);

  await detail.getByRole('button', { name: 'Delete', exact: true }).click();
  await detail.getByRole('alertdialog').waitFor();
  await detail.getByRole('button', { name: 'Cancel' }).click();
  assert.equal(await rows().count(), 2);
  await detail.getByRole('button', { name: 'Delete', exact: true }).click();
  await detail.getByRole('button', { name: 'Delete for good' }).click();
  await h.page.waitForFunction(() => document.querySelector('di-session-browser')?.shadowRoot?.querySelectorAll('tbody tr').length === 1);
  assert.equal(await h.page.locator('di-session-browser section.detail').count(), 0);
  assert.match(await h.page.locator('di-session-browser .message').innerText(), /Deleted “Best take”/);
});

test('import takes a bundle file and opens it; a bad file is refused with the reason shown', async () => {
  const bundle = await h.page.evaluate(async () => {
    const k = (globalThis as unknown as { logKit: LogKit }).logKit;
    const api = await k.log.LocalSessionLogApi.open('gui');
    const [only] = await api.list();
    const file = await api.export(only.id, 'bundle');
    await api.delete(only.id);
    api.close();
    return Array.from(file.bytes);
  });
  const input = h.page.locator('di-session-browser input[type=file]');
  await input.setInputFiles({ name: 'second.dilog', mimeType: 'application/octet-stream', buffer: Buffer.from(bundle) });
  await h.page.locator('di-session-browser section.detail h3', { hasText: 'second' }).waitFor();
  assert.equal(await rows().count(), 1, 'the deleted session is back, and only it (the browser listed again)');
  await events();
  await input.setInputFiles({ name: 'bad.dilog', mimeType: 'application/octet-stream', buffer: Buffer.from(bundle.slice(0, 500)) });
  const alert = h.page.locator('di-session-browser .message.error');
  await alert.waitFor();
  assert.match(await alert.innerText(), /^Could not import bad\.dilog: truncated bundle/);
  const [error] = await events();
  assert.equal(error.type, 'di-session-error');
  assert.equal(await rows().count(), 1);
});

test('disconnecting releases the resize observer; dispose is idempotent', async () => {
  const released = await h.page.evaluate(() => {
    const element = document.querySelector('di-session-browser') as DiSessionBrowser;
    const internals = element as unknown as { resizeObserver: ResizeObserver | null };
    const before = internals.resizeObserver !== null;
    element.remove();
    element.dispose();
    element.dispose();
    return {
      before, after: internals.resizeObserver === null, timers: element.tasks.pendingDownloads, api: element.api,
      dragFiles: element.drags.liveUrls, liveRefresh: element.live.active,
    };
  });
  assert.deepEqual(released, { before: true, after: true, timers: 0, api: null, dragFiles: 0, liveRefresh: false });
});
