/**
 * The roll test page (test/gui/loop/pages/roll-page.ts: a loop panel on a
 * stub host) served once per test file, with one Chromium: `useRollPage()`
 * registers the before/after hooks, `openRollPage()` opens a fresh page on it
 * that collects its page errors and has waited until `window.rollReady`.
 */
import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../helpers/chromium.ts';
import { startStaticServer, type StaticServer } from '../../helpers/server.ts';
import { bundleForBrowser } from '../../helpers/bundle.ts';

const HTML = '<!doctype html><meta charset="utf-8"><title>roll</title><link rel="icon" href="data:,"><body style="margin:0;padding:16px;background:#0e0f13"><script type="module" src="/roll.js"></script></body>';

let browser: Browser | undefined;
let server: StaticServer | undefined;

/** Serves the roll page and launches Chromium for the calling test file. */
export function useRollPage(): void {
  before(async () => {
    const js = await bundleForBrowser('test/gui/loop/pages/roll-page.ts');
    server = await startStaticServer({ mounts: {}, pages: { '/index.html': HTML, '/roll.js': js } });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
}

/** A new 900 × 720 page on the roll page, ready; its page errors collect in `errors`. */
export async function openRollPage(options: { acceptDownloads?: boolean } = {}): Promise<{ page: Page; errors: string[] }> {
  if (!browser || !server) throw new Error('openRollPage: call useRollPage() in the test file first');
  const page = await browser.newPage({ viewport: { width: 900, height: 720 }, acceptDownloads: options.acceptDownloads ?? false });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.origin}/index.html`);
  await page.waitForFunction(() => (window as any).rollReady === true);
  return { page, errors };
}
