/**
 * Opens Chromium on a page that has loaded test/helpers/log/browser-entry.ts, served
 * from a loopback server (its own origin, so its own IndexedDB). The server
 * also serves test/helpers/log/worker-entry.ts as `/log-worker.js`.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { bundleForBrowser } from '../bundle.ts';
import { launchChromium } from '../chromium.ts';
import { startStaticServer, type StaticServer } from '../server.ts';

/** A page with `window.logKit` ready. */
export interface LogPage {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  server: StaticServer;
  /** Opens another page of the same origin and context (same IndexedDB). */
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

const HTML = '<!doctype html><meta charset="utf-8"><title>log test</title><script type="module" src="/entry.js"></script>';

/**
 * Bundles the entry, serves it, launches Chromium and waits until the kit is loaded.
 * @param entryPath the page's entry (default the log kit; it must set `window.logKit`).
 */
export async function openLogPage(entryPath = 'test/helpers/log/browser-entry.ts'): Promise<LogPage> {
  const [entry, worker] = await Promise.all([bundleForBrowser(entryPath), bundleForBrowser('test/helpers/log/worker-entry.ts')]);
  const server = await startStaticServer({ mounts: {}, pages: { '/': HTML, '/index.html': HTML, '/entry.js': entry, '/log-worker.js': worker } });
  const browser = await launchChromium();
  const context = await browser.newContext();
  const newPage = async (): Promise<Page> => {
    const p = await context.newPage();
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(e.message));
    await p.goto(`${server.origin}/`);
    await p.waitForFunction(() => 'logKit' in globalThis, undefined, { timeout: 20000 }).catch((e: Error) => {
      throw new Error(`the log test page did not load: ${errors.join('; ') || e.message}`);
    });
    return p;
  };
  const page = await newPage();
  return {
    browser, context, page, server, newPage,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}
