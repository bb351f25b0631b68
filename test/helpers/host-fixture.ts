/**
 * The fixture most browser tests and benchmarks share: headless Chromium and
 * a loopback server with the built plugin at /plugin/, the demo build at
 * /demo/, and a bare WAM host page at /host.html (test/helpers/pages/host.ts),
 * plus any extra page modules bundled from TypeScript.
 */
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium.ts';
import { startStaticServer, type StaticServer } from './server.ts';
import { bundleForBrowser } from './bundle.ts';

/** A running fixture. */
export interface HostFixture {
  browser: Browser;
  server: StaticServer;
  /** `${origin}/plugin/index.js`. */
  pluginUrl: string;
  /** `${origin}/demo/synth/index.js` (the demo synth, a WAM that logs what it receives). */
  synthUrl: string;
  /** A new page with the host ready and the given extra scripts (paths given to startHostFixture) loaded. */
  hostPage(...scripts: string[]): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Starts the fixture.
 * @param scripts extra page modules: URL path → TypeScript entry, e.g. `{ '/loop-page.js': 'test/plugin/pages/loop-page.ts' }`.
 * @param headers extra response headers for every file (COOP/COEP, CSP).
 */
export async function startHostFixture(scripts: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<HostFixture> {
  const pages: Record<string, string> = {
    '/host.html': '<!doctype html><meta charset="utf-8"><title>host</title><script type="module" src="/host.js"></script><body></body>',
    '/host.js': await bundleForBrowser('test/helpers/pages/host.ts'),
  };
  for (const [path, entry] of Object.entries(scripts)) pages[path] = await bundleForBrowser(entry);
  const browser = await launchChromium();
  const server = await startStaticServer({ mounts: { '/plugin/': 'dist', '/demo/': 'demo/build' }, pages, headers });
  return {
    browser,
    server,
    pluginUrl: `${server.origin}/plugin/index.js`,
    synthUrl: `${server.origin}/demo/synth/index.js`,
    async hostPage(...extra: string[]) {
      const page = await browser.newPage();
      await page.goto(`${server.origin}/host.html`);
      await page.waitForFunction(() => (window as any).hostReady === true, undefined, { timeout: 10_000 });
      for (const path of extra) await page.addScriptTag({ url: path, type: 'module' });
      return page;
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}
