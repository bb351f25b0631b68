/**
 * The fixture most browser tests and benchmarks share: headless Chromium and
 * a loopback server with the built plugin at /plugin/, the demo build at
 * /demo/, and a bare WAM host page at /host.html (test/helpers/pages/host.ts,
 * which also gives the page `createPlugin(url)`), plus any extra page modules
 * bundled from TypeScript and, on request, host pages on other origins.
 * A test file takes it with {@link useHostFixture}; a benchmark starts one
 * with {@link startHostFixture}.
 */
import { after, before } from 'node:test';
import { existsSync } from 'node:fs';
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
  /** Host-only servers on their own origins, by the names given in {@link HostFixtureOptions.hosts}. */
  hosts: Record<string, StaticServer>;
  /** A new page with the host ready and the given extra scripts (paths given to startHostFixture) loaded. */
  hostPage(...scripts: string[]): Promise<Page>;
  close(): Promise<void>;
}

/** What a fixture serves beyond the plugin, the demo build and /host.html. */
export interface HostFixtureOptions {
  /** Extra page modules: URL path → TypeScript entry, e.g. `{ '/loop-page.js': 'test/plugin/pages/loop-page.ts' }`. Default none. */
  scripts?: Record<string, string>;
  /** Extra response headers for every file of the main server (COOP/COEP, CSP). Default none. */
  headers?: Record<string, string>;
  /**
   * Host pages on other origins, by name: each serves /host.html and /host.js
   * with its own headers and, when `plugin` is true, the plugin at /plugin/
   * too (same-origin under those headers). Default none.
   */
  hosts?: Record<string, { headers?: Record<string, string>; plugin?: boolean }>;
  /** Build outputs the tests need besides dist/index.js (checked before starting). Default none. */
  requires?: string[];
}

/**
 * Starts the fixture.
 * @param scripts extra page modules: URL path → TypeScript entry, e.g. `{ '/loop-page.js': 'test/plugin/pages/loop-page.ts' }`.
 * @param headers extra response headers for every file (COOP/COEP, CSP).
 */
export async function startHostFixture(scripts: Record<string, string> = {}, headers: Record<string, string> = {}, hostOrigins: HostFixtureOptions['hosts'] = {}): Promise<HostFixture> {
  const hostPages: Record<string, string> = {
    '/host.html': '<!doctype html><meta charset="utf-8"><title>host</title><script type="module" src="/host.js"></script><body></body>',
    '/host.js': await bundleForBrowser('test/helpers/pages/host.ts'),
  };
  const pages = { ...hostPages };
  for (const [path, entry] of Object.entries(scripts)) pages[path] = await bundleForBrowser(entry);
  const browser = await launchChromium();
  const server = await startStaticServer({ mounts: { '/plugin/': 'dist', '/demo/': 'demo/build' }, pages, headers });
  const hosts: Record<string, StaticServer> = {};
  for (const [name, host] of Object.entries(hostOrigins)) {
    hosts[name] = await startStaticServer({ mounts: host.plugin ? { '/plugin/': 'dist' } : {}, pages: hostPages, headers: host.headers ?? {} });
  }
  return {
    browser,
    server,
    hosts,
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
      await Promise.all([server, ...Object.values(hosts)].map((s) => s.close()));
    },
  };
}

/**
 * Gives a test file the fixture: started before its first test (after
 * checking that the build is there) and closed after its last. The returned
 * object reads the running fixture, so use it inside tests and hooks.
 * @throws Error (in the before hook) when `npm run build` has not run.
 */
export function useHostFixture(options: HostFixtureOptions = {}): HostFixture {
  let fixture: HostFixture | undefined;
  const current = (): HostFixture => {
    if (!fixture) throw new Error('the host fixture is not running: use it inside a test or hook');
    return fixture;
  };
  before(async () => {
    for (const file of ['dist/index.js', ...(options.requires ?? [])]) {
      if (!existsSync(file)) throw new Error(`run \`npm run build\` before the browser tests (${file} is missing)`);
    }
    fixture = await startHostFixture(options.scripts, options.headers, options.hosts);
  });
  after(async () => {
    await fixture?.close();
  });
  return {
    get browser() { return current().browser; },
    get server() { return current().server; },
    get pluginUrl() { return current().pluginUrl; },
    get synthUrl() { return current().synthUrl; },
    get hosts() { return current().hosts; },
    hostPage: (...scripts: string[]) => current().hostPage(...scripts),
    close: () => current().close(),
  };
}
