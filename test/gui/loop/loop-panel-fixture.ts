/**
 * The loop panel test page (test/gui/loop/pages/loop-panel-page.ts: a
 * `<di-loop-panel>` on a stub host that records every call) served once per
 * test file, with one Chromium: `useLoopPanelPage()` registers the
 * before/after hooks, `openPanel()` opens a fresh page with a mounted panel
 * (`window.h` the stub host, `window.p` the panel), `close()` closes it and
 * asserts it raised no page error, and `writesOf`/`lastWrite` read what the
 * panel wrote to the host.
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../helpers/chromium.ts';
import { startStaticServer, type StaticServer } from '../../helpers/server.ts';
import { bundleForBrowser } from '../../helpers/bundle.ts';

const HTML = '<!doctype html><meta charset="utf-8"><title>loop panel</title><link rel="icon" href="data:,"><body style="margin:0;padding:16px;background:#0e0f13"><script type="module" src="/loop.js"></script></body>';

let browser: Browser | undefined;
let server: StaticServer | undefined;

/** Serves the loop panel page and launches Chromium for the calling test file. */
export function useLoopPanelPage(): void {
  before(async () => {
    const js = await bundleForBrowser('test/gui/loop/pages/loop-panel-page.ts');
    server = await startStaticServer({ mounts: {}, pages: { '/index.html': HTML, '/loop.js': js } });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
}

/** A page with a mounted panel: `window.h` is the stub host, `window.p` the panel; `prepare` runs on the page before the mount. */
export async function openPanel(prepare?: () => void): Promise<Page> {
  if (!browser || !server) throw new Error('openPanel: call useLoopPanelPage() in the test file first');
  const page = await browser.newPage({ viewport: { width: 900, height: 720 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  (page as any).errors = errors;
  await page.goto(`${server.origin}/index.html`);
  await page.waitForFunction(() => (window as any).loopReady === true);
  if (prepare) await page.evaluate(prepare);
  await page.evaluate(async () => {
    const w = window as any;
    const { host, panel } = w.loopTest.mount();
    w.h = host;
    w.p = panel;
    await panel.updateComplete;
    await w.loopTest.frames(2);
  });
  // The first read has answered once the panel shows the host's values.
  await page.waitForFunction(() => (window as any).h.reads >= 1);
  return page;
}

/** Closes the page; asserts it raised no page error. */
export async function close(page: Page): Promise<void> {
  const errors = (page as any).errors as string[];
  await page.close();
  assert.deepEqual(errors, [], 'no page errors');
}

/** Every write of one parameter, in order. */
export function writesOf(page: Page, id: string): Promise<{ id: string; value: number; normalized: boolean }[]> {
  return page.evaluate((id) => (window as any).h.writes.filter((w: any) => id in w).map((w: any) => w[id]), id);
}

/** The last value the panel wrote to `id`, waiting for a first write; every write is in plain units. */
export async function lastWrite(page: Page, id: string): Promise<number> {
  await page.waitForFunction((id) => (window as any).h.writes.some((w: any) => id in w), id);
  const writes = await writesOf(page, id);
  for (const w of writes) assert.equal(w.normalized, false, `${id} is written in plain units`);
  return writes[writes.length - 1].value;
}
