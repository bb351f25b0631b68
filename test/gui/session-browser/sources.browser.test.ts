// <di-session-browser> in headless Chromium on the real log: the performer's notes apart from the plugin's (roll and
// .mid), dragging a session out as .mid, one-click save, the imported mark, and a recording session's line keeping up.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tonejsMidi from '@tonejs/midi';
import { openLogPage, type LogPage } from '../../helpers/log/browser-harness.ts';
import type { LogKit } from '../../helpers/log/browser-entry.ts';
import type { DiSessionBrowser } from '../../../gui/session-browser/session-browser.component.ts';
import type { LogRecord } from '../../../log/records.ts';
import type { SessionLog } from '../../../log/session-log.ts';
import type { SyntheticSession } from '../../helpers/log/synthetic-session.ts';

const Midi: typeof tonejsMidi.Midi = tonejsMidi.Midi ?? (tonejsMidi as unknown as { default: typeof tonejsMidi }).default.Midi;
const DB = 'browser-sources';

let h: LogPage;
before(async () => {
  h = await openLogPage('test/gui/session-browser/pages/session-browser-entry.ts');
  await h.page.setViewportSize({ width: 900, height: 900 });
  await h.page.evaluate(async (db) => {
    const k = (globalThis as unknown as { logKit: LogKit }).logKit;
    await k.deleteDatabase(db);
    // What the plugin logs with MIDI thru on while it answers: 24 performer notes in, their thru copies out, 20 generated.
    const writer = await k.log.SessionLog.open({ dbName: db });
    const sr = 48000;
    const start = 3;
    await writer.start({ name: 'thru jam', wallStartMs: 1_700_000_000_000, audioStartTimeS: start, sampleRateHz: sr, pluginVersion: 't', features: { names: ['rms', 'centroid_hz'], hopSamples: 480 } });
    const at = (t: number) => ({ audioTimeS: start + t, frame: Math.round((start + t) * sr), wallTimeMs: 1_700_000_000_000 + t * 1000 });
    const records: LogRecord[] = [];
    const midi = (direction: 'in' | 'out', source: string, t: number, ...bytes: number[]) =>
      records.push({ kind: 'midi', direction, source, bytes: Uint8Array.from(bytes), ...at(t) });
    for (let i = 0; i < 24; i++) {
      const t = 0.5 + i * 0.25;
      midi('in', 'host', t, 0x90, 60 + (i % 6), 100);
      midi('out', 'thru', t, 0x90, 60 + (i % 6), 100);
      midi('in', 'host', t + 0.2, 0x80, 60 + (i % 6), 0);
      midi('out', 'thru', t + 0.2, 0x80, 60 + (i % 6), 0);
    }
    for (let i = 0; i < 20; i++) {
      midi('out', 'generated', 7 + i * 0.25, 0x90, 70 + (i % 4), 90);
      midi('out', 'generated', 7 + i * 0.25 + 0.2, 0x80, 70 + (i % 4), 0);
    }
    for (const r of records.sort((a, b) => a.audioTimeS - b.audioTimeS)) writer.append(r);
    writer.appendFeatures(0, new Float32Array(2 * 1200).fill(0.5), 1200);
    await writer.close();
    const element = document.createElement('di-session-browser') as DiSessionBrowser;
    element.style.width = '860px';
    element.style.display = 'block';
    element.style.background = '#1b1d24';
    element.style.padding = '8px';
    element.api = await k.log.LocalSessionLogApi.open(db);
    document.body.style.margin = '0';
    document.body.append(element);
  }, DB);
});
after(async () => {
  await h?.close();
});

const root = 'di-session-browser';
const row = (name: string) => h.page.locator(`${root} tbody tr`, { hasText: name });

test('the roll draws the performer\'s notes blue and the plugin\'s orange, thru copies not over them, with time and pitch axes', async () => {
  await row('thru jam').click();
  await h.page.locator(`${root} canvas.roll[data-performer-notes]`).waitFor();
  const seen = await h.page.evaluate(() => {
    const element = document.querySelector('di-session-browser') as DiSessionBrowser;
    const canvas = element.shadowRoot!.querySelector<HTMLCanvasElement>('canvas.roll')!;
    const ctx = canvas.getContext('2d')!;
    const ratio = canvas.width / canvas.clientWidth;
    const centre = (r: { x: number; y: number; width: number; height: number }) =>
      Array.from(ctx.getImageData(Math.floor((r.x + r.width / 2) * ratio), Math.floor((r.y + r.height / 2) * ratio), 1, 1).data.subarray(0, 3));
    const rects = element.roll!.rects;
    return {
      data: { ...canvas.dataset },
      performer: rects.filter((r) => r.lane === 'performer').map(centre),
      generated: rects.filter((r) => r.lane === 'generated').map(centre),
      legend: element.shadowRoot!.querySelector('.legend')!.textContent!.replace(/\s+/g, ' ').trim(),
    };
  });
  assert.equal(seen.data.performerNotes, '24');
  assert.equal(seen.data.generatedNotes, '20');
  assert.equal(seen.data.thruHidden, '24', 'the thru copies are counted, not drawn');
  const near = (rgb: number[], hex: number[]) => rgb.every((v, i) => Math.abs(v - hex[i]) < 10);
  assert.equal(seen.performer.length, 24);
  assert.ok(seen.performer.every((rgb) => near(rgb, [0x4f, 0xc3, 0xf7])), `every performer note shows blue: ${JSON.stringify(seen.performer.slice(0, 3))}`);
  assert.ok(seen.generated.every((rgb) => near(rgb, [0xff, 0xa9, 0x4d])), `every generated note shows orange: ${JSON.stringify(seen.generated.slice(0, 3))}`);
  assert.equal(seen.data.timeTicks, '0:00,0:01,0:02,0:03,0:04,0:05,0:06,0:07,0:08,0:09,0:10,0:11', 'a tick a second over the 12 s session');
  assert.match(seen.data.pitchTicks ?? '', /C4/);
  assert.equal(seen.legend, 'performer Deep Improv detected from audio');
  await h.page.locator(`${root} section.detail`).screenshot({ path: '/tmp/session-roll.png' });
});

test('Export MIDI writes a performer and a generated track; the thru copies only when asked', async () => {
  const detail = h.page.locator(`${root} section.detail`);
  const tracks = async (): Promise<[string, number][]> => {
    const [download] = await Promise.all([h.page.waitForEvent('download'), detail.getByRole('button', { name: 'Export MIDI' }).click()]);
    const path = await download.path();
    const { readFile } = await import('node:fs/promises');
    return new Midi(await readFile(path)).tracks.map((t) => [t.name, t.notes.length]);
  };
  assert.deepEqual(await tracks(), [['Performer', 24], ['Generated', 20]]);
  await detail.getByLabel('with MIDI thru').check();
  assert.deepEqual(await tracks(), [['Performer', 24], ['Generated', 20], ['MIDI thru', 24]]);
  await detail.getByLabel('with MIDI thru').uncheck();
});

test('a session line drags out as a .mid file (a file item, a DownloadURL and its URL)', async () => {
  await h.page.evaluate(() => {
    type Seen = { downloadUrl: string; types: string[]; file: { name: string; type: string; bytes: number[] } | null; dropped: string | null };
    const seen: Seen = { downloadUrl: '', types: [], file: null, dropped: null };
    (globalThis as unknown as { drag: Seen }).drag = seen;
    // What the drag carries, read while it starts (a drop inside the page only gets the URL and text).
    document.addEventListener('dragstart', (e) => {
      const t = e.dataTransfer!;
      seen.downloadUrl = t.getData('DownloadURL');
      seen.types = [...t.types];
      const file = Array.from(t.items).find((i) => i.kind === 'file')?.getAsFile() ?? null;
      if (file) void file.arrayBuffer().then((b) => { seen.file = { name: file.name, type: file.type, bytes: Array.from(new Uint8Array(b)) }; });
    });
    const zone = document.createElement('div');
    zone.id = 'drop';
    zone.style.cssText = 'width:300px;height:60px;background:#333';
    zone.addEventListener('dragover', (e) => e.preventDefault());
    zone.addEventListener('drop', (e) => {
      e.preventDefault();
      seen.dropped = e.dataTransfer!.getData('text/uri-list');
    });
    document.body.prepend(zone);
  });
  const line = row('thru jam');
  await line.hover();
  // The file is made when the pointer reaches the line, so a drag carries it from its first moment.
  await h.page.waitForFunction(() => (document.querySelector('di-session-browser') as DiSessionBrowser).drags.liveUrls === 1);
  await line.dragTo(h.page.locator('#drop'));
  await h.page.waitForFunction(() => {
    const seen = (globalThis as unknown as { drag: { file: unknown; dropped: unknown } }).drag;
    return seen.file !== null && seen.dropped !== null;
  });
  const drag = await h.page.evaluate(async () => {
    const seen = (globalThis as unknown as { drag: { downloadUrl: string; types: string[]; file: { name: string; type: string; bytes: number[] }; dropped: string } }).drag;
    const fetched = Array.from(new Uint8Array(await (await fetch(seen.dropped)).arrayBuffer()));
    return { ...seen, fetched };
  });
  assert.ok(drag.types.includes('Files') && drag.types.includes('downloadurl'), drag.types.join());
  assert.equal(drag.file.name, 'deep-improv-thru-jam-notes.mid');
  assert.equal(drag.file.type, 'audio/midi');
  assert.match(drag.downloadUrl, /^audio\/midi:deep-improv-thru-jam-notes\.mid:blob:http:\/\/127\.0\.0\.1:\d+\/[0-9a-f-]+$/);
  assert.equal(drag.downloadUrl.slice('audio/midi:deep-improv-thru-jam-notes.mid:'.length), drag.dropped, 'the drop gets the same file\'s URL');
  assert.deepEqual(drag.fetched, drag.file.bytes);
  assert.deepEqual(new Midi(Uint8Array.from(drag.file.bytes)).tracks.map((t) => [t.name, t.notes.length]), [['Performer', 24], ['Generated', 20]]);
  await h.page.evaluate(() => document.getElementById('drop')?.remove());
});

test('one click saves a line as .mid without opening it', async () => {
  await h.page.evaluate(() => { (document.querySelector('di-session-browser') as unknown as { opened: unknown }).opened = null; });
  const [download] = await Promise.all([h.page.waitForEvent('download'), row('thru jam').getByRole('button', { name: 'Save thru jam as .mid' }).click()]);
  assert.equal(download.suggestedFilename(), 'deep-improv-thru-jam-notes.mid');
  assert.equal(await h.page.locator(`${root} section.detail`).count(), 0, 'the click saved, it did not open the session');
});

test('an imported session is marked imported in the list', async () => {
  await h.page.evaluate(async (db) => {
    const k = (globalThis as unknown as { logKit: LogKit }).logKit;
    const api = await k.log.LocalSessionLogApi.open(db);
    const [only] = await api.list();
    await api.import((await api.export(only.id, 'bundle')).bytes, { name: 'from a friend' });
    api.close();
    await (document.querySelector('di-session-browser') as DiSessionBrowser).refresh();
  }, DB);
  await row('from a friend').waitFor();
  assert.equal(await row('from a friend').locator('.state.imported').innerText(), 'imported');
  assert.equal(await row('thru jam').locator('.state.imported').count(), 0);
});

test('a recording session\'s duration keeps up while it records, and shows its end once it stops', async () => {
  await h.page.evaluate(async (db) => {
    const k = (globalThis as unknown as { logKit: LogKit }).logKit;
    const writer = await k.log.SessionLog.open({ dbName: db });
    const synth = new k.SyntheticSession({ seed: 5, wallStartMs: Date.now() });
    await writer.start(synth.meta('live take'));
    await k.writeSynthetic(writer, synth, 0, 2);
    await writer.flush();
    (globalThis as unknown as { live: unknown }).live = { writer, synth };
    await (document.querySelector('di-session-browser') as DiSessionBrowser).refresh();
  }, DB);
  const duration = () => row('live take').locator('td.duration').innerText();
  await row('live take').locator('.state.recording').waitFor();
  assert.equal(await duration(), '0:01');
  await h.page.evaluate(async () => {
    const k = (globalThis as unknown as { logKit: LogKit }).logKit;
    const { writer, synth } = (globalThis as unknown as { live: { writer: SessionLog; synth: SyntheticSession } }).live;
    await k.writeSynthetic(writer, synth, 2, 4);
    await writer.flush();
  });
  // No click on Refresh: the list reads the log again by itself while a session records.
  await h.page.waitForFunction(() => Array.from(document.querySelector('di-session-browser')!.shadowRoot!.querySelectorAll('tbody tr'))
    .some((tr) => tr.textContent!.includes('live take') && tr.querySelector('td.duration')!.textContent === '0:05'));
  assert.equal(await duration(), '0:05');
  await h.page.evaluate(async () => {
    const { writer } = (globalThis as unknown as { live: { writer: { close(): Promise<void> } } }).live;
    await writer.close();
  });
  await h.page.waitForFunction(() => Array.from(document.querySelector('di-session-browser')!.shadowRoot!.querySelectorAll('tbody tr'))
    .some((tr) => tr.textContent!.includes('live take') && tr.querySelector('.state') === null));
  assert.equal(await duration(), '0:05');
  await h.page.waitForFunction(() => !(document.querySelector('di-session-browser') as DiSessionBrowser).live.active);
  await h.page.locator(root).screenshot({ path: '/tmp/session-list.png' });
});
