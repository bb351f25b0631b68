/**
 * The user preset store in headless Chromium, against the real IndexedDB (no
 * fake): the page runs scenarios from browser/store-entry.ts and returns plain
 * data that is checked here.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { bundleForBrowser } from '../../helpers/bundle.ts';
import { launchChromium } from '../../helpers/chromium.ts';
import { startStaticServer, type StaticServer } from '../../helpers/server.ts';
import { validateState } from '../../../plugin/state/validate.ts';

let browser: Browser;
let server: StaticServer;
let page: Page;
let dbCount = 0;
/** Uncaught errors and unhandled rejections in the pages. */
const pageErrors: string[] = [];

/** A fresh database name for one test. */
const freshDb = () => `deep-improv-test-${process.pid}-${dbCount++}`;

before(async () => {
  const bundle = await bundleForBrowser(new URL('./pages/store-entry.ts', import.meta.url).pathname);
  server = await startStaticServer({
    mounts: {},
    pages: {
      '/': '<!doctype html><meta charset="utf-8"><script type="module" src="/entry.js"></script>',
      '/entry.js': bundle,
      // A sandboxed frame has an opaque origin, where Chromium denies IndexedDB (as in hosts that sandbox plugins).
      '/sandboxed': '<!doctype html><iframe sandbox="allow-scripts" src="/"></iframe>',
    },
  });
  browser = await launchChromium();
  page = await openPage();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function openPage(): Promise<Page> {
  const p = await browser.newPage();
  p.on('pageerror', (e) => pageErrors.push(e.message));
  await p.goto(`${server.origin}/`);
  await p.waitForFunction(() => (window as unknown as { storeReady?: boolean }).storeReady === true);
  return p;
}

/** Runs a scenario by name in the shared page and returns what it returned. */
function run<T = any>(name: string, ...args: unknown[]): Promise<T> {
  return runIn(page, name, ...args);
}

/** Runs a scenario by name in `target`. */
function runIn<T = any>(target: Page, name: string, ...args: unknown[]): Promise<T> {
  return target.evaluate(([n, a]) => (window as any).storeScenarios[n as string](...(a as unknown[])), [name, args] as const) as Promise<T>;
}

test('save, list, get, rename, update and delete user presets', async () => {
  const r = await run('crud', freshDb());
  assert.deepEqual(r.empty, []);
  assert.equal(r.beta.name, 'Beta', 'the name is trimmed');
  assert.equal(r.beta.state.name, 'Beta', 'the state carries the name');
  assert.deepEqual(r.beta.state, { ...validateState(r.stateA), name: 'Beta' });
  assert.notEqual(r.beta.id, r.alpha.id);
  assert.deepEqual(r.listed.map((p: any) => p.name), ['alpha', 'Beta'], 'listed by name');
  assert.deepEqual(r.got, r.beta);
  assert.equal(r.renamed.name, 'Gamma');
  assert.equal(r.renamed.state.name, 'Gamma');
  assert.equal(r.renamed.createdAt, r.beta.createdAt);
  assert.ok(r.renamed.updatedAt > r.beta.updatedAt, 'updatedAt moves on');
  assert.equal(r.updated.state.seed, 77);
  assert.equal(r.updated.name, 'alpha', 'update keeps the name');
  assert.deepEqual(r.afterUpdate, r.updated);
  assert.deepEqual(r.afterDelete.map((p: any) => p.name), ['Gamma']);
  assert.equal(r.missing, null);
  assert.deepEqual(r.reopened.map((p: any) => p.name), ['Gamma'], 'close() is idempotent and a later call reopens');
});

test('user presets persist across store instances and page reloads', async () => {
  const db = freshDb();
  await run('saveOne', db, 'Keep me');
  assert.deepEqual(await run('listNames', db), ['Keep me']);
  await page.reload();
  await page.waitForFunction(() => (window as unknown as { storeReady?: boolean }).storeReady === true);
  assert.deepEqual(await run('listNames', db), ['Keep me']);
});

test('two plugin instances share the user presets', async () => {
  const r = await run('twoInstances', freshDb());
  assert.deepEqual(r.seenByB, [r.savedId]);
  assert.deepEqual(r.seenByA, []);
});

test('bad names, bad states and unknown ids fail with clear errors and save nothing', async () => {
  const r = await run('errors', freshDb());
  assert.deepEqual(r.emptyName, { name: 'StateError', message: 'name: expected a preset name of 1 to 256 characters, got "   "' });
  assert.equal(r.longName.name, 'StateError');
  assert.match(r.longName.message, /^name: expected a preset name of 1 to 256 characters, got "x+…" \(300 characters\)$/);
  assert.deepEqual(r.badState, { name: 'StateError', message: 'seed: expected an integer from 0 to 4294967295, got -1' });
  for (const key of ['renameMissing', 'deleteMissing', 'updateMissing']) {
    assert.deepEqual(r[key], { name: 'PresetStoreError', message: 'No user preset with id "nope"' }, key);
  }
  assert.deepEqual(r.badDbName, { name: 'PresetStoreError', message: 'The preset database name must contain "deep-improv"; got "other"' });
  assert.equal(r.left, 0);
});

test('twenty saves at once all land', async () => {
  const r = await run('parallel', freshDb());
  assert.deepEqual(r.names, Array.from({ length: 20 }, (_, i) => `p${String(i).padStart(2, '0')}`));
  assert.deepEqual([...r.seeds].sort((a: number, b: number) => a - b), Array.from({ length: 20 }, (_, i) => i));
});

test('a 0.0.x-shell record migrates on read; a broken record is skipped by list() but kept', async () => {
  const r = await run('migrationAndBroken', freshDb());
  assert.deepEqual(r.listed.map((p: any) => p.name), ['Old']);
  assert.equal(r.listed[0].state.parameters.density, 0.9);
  assert.equal(r.listed[0].state.schemaVersion, 2);
  assert.deepEqual(r.getBad, { name: 'StateError', message: 'seed: expected an integer from 0 to 4294967295, got "x"' });
  const bad = r.records.find((x: any) => x.id === 'bad');
  assert.equal(r.records.length, 2, 'nothing was deleted');
  assert.deepEqual(r.renameBad, r.getBad, 'renaming an unreadable preset says why');
  assert.deepEqual(bad, { id: 'bad', name: 'Bad', state: { schemaVersion: 2, seed: 'x' }, createdAt: 2, updatedAt: 2 }, 'and changes nothing');
});

test('without IndexedDB, every call fails with a PresetStoreError that says so', async () => {
  const other = await openPage();
  const r = await runIn<any>(other, 'unavailable');
  await other.close();
  for (const key of ['list', 'save']) {
    assert.equal(r[key].name, 'PresetStoreError', key);
    assert.match(r[key].message, /^User presets are unavailable: this browser context has no IndexedDB .*Export presets to files instead\.$/, key);
  }
});

test('in a sandboxed frame (opaque origin), calls fail with a PresetStoreError naming the cause', async () => {
  const host = await browser.newPage();
  await host.goto(`${server.origin}/sandboxed`);
  const frame = host.frames().find((f) => f !== host.mainFrame())!;
  await frame.waitForFunction(() => (window as unknown as { storeReady?: boolean }).storeReady === true);
  const r = await frame.evaluate(() => (window as any).storeScenarios.listNames('deep-improv-sandboxed').then(
    () => null,
    (err: Error) => ({ name: err.name, message: err.message }),
  ));
  await host.close();
  assert.equal(r?.name, 'PresetStoreError');
  assert.match(r!.message, /^User presets are unavailable: IndexedDB could not be opened \(SecurityError: .+\)\. Export presets to files instead\.$/);
});

test('no page raised an uncaught error or unhandled rejection', () => {
  assert.deepEqual(pageErrors, []);
});
