/**
 * Opens the demo host (demo/public/index.html with the built plugin and demo
 * scripts, `npm run build` first) in Chromium for the demo's browser tests.
 */
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.ts';
import { startStaticServer, type StaticServer } from '../helpers/server.ts';

/** A browser and a server for the demo page; {@link close} releases both. */
export interface DemoFixture {
  browser: Browser;
  server: StaticServer;
  close(): Promise<void>;
}

/** Starts Chromium and a static server with the demo's mounts. */
export async function startDemoFixture(): Promise<DemoFixture> {
  if (!existsSync('dist/index.js') || !existsSync('demo/build/main.js')) throw new Error('run `npm run build` before the browser tests');
  const browser = await launchChromium();
  const server = await startStaticServer({ mounts: { '/plugin/': 'dist', '/build/': 'demo/build', '/': 'demo/public' } });
  return {
    browser, server,
    async close() { await browser.close(); await server.close(); },
  };
}

/** Options for {@link openDemo}. */
export interface OpenDemoOptions {
  /** Viewport width and height in CSS px. Default 1100 × 900. */
  viewport: { width: number; height: number };
  /** Appended to the page URL (e.g. `#preset=…`). Default ''. */
  suffix: string;
  /** Click Start audio and wait until the models stage is over. Default true. */
  start: boolean;
}

/** Opens the demo page; collects page errors into `errors`. */
export async function openDemo(fixture: DemoFixture, errors: string[], options: Partial<OpenDemoOptions> = {}): Promise<Page> {
  const page = await fixture.browser.newPage({ viewport: options.viewport ?? { width: 1100, height: 900 } });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${fixture.server.origin}/index.html${options.suffix ?? ''}`);
  if (options.start ?? true) {
    await page.locator('#start').click();
    await page.waitForFunction(() => (window as any).demoHost !== undefined, undefined, { timeout: 30_000 });
  }
  return page;
}
