/**
 * `<di-preset-bar>` in headless Chromium, on a PresetService over a stub target and the real
 * IndexedDB: choosing, saving, renaming, deleting, exporting, importing (picker
 * and drop), share links, and errors shown as the validator words them.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { bundleForBrowser } from '../../helpers/bundle.ts';
import { launchChromium } from '../../helpers/chromium.ts';
import { startStaticServer, type StaticServer } from '../../helpers/server.ts';
import { FACTORY_PRESETS } from '../../../plugin/presets/factory.ts';
import { parsePresetFile, presetFileText } from '../../../plugin/presets/file.ts';
import { encodeShareString, readPresetFromUrl, shareLink } from '../../../plugin/presets/share.ts';
import { defaultState } from '../../../plugin/state/defaults.ts';
import type { PluginState } from '../../../plugin/state/schema.ts';

let browser: Browser;
let context: BrowserContext;
let server: StaticServer;
let page: Page;
const pageErrors: string[] = [];
let count = 0;
const MY_DEVICES = { midiOutputId: 'my-synth', midiInputIds: ['my-keys'] };

before(async () => {
  const bundle = await bundleForBrowser(new URL('./pages/preset-bar-entry.ts', import.meta.url).pathname);
  server = await startStaticServer({
    mounts: {},
    pages: { '/': '<!doctype html><meta charset="utf-8"><body><script type="module" src="/entry.js"></script></body>', '/entry.js': bundle },
  });
  browser = await launchChromium();
  context = await browser.newContext({ acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${server.origin}/`);
  await page.waitForFunction(() => (window as any).barReady === true);
});

after(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

/** Mounts a fresh bar with its own database and returns its key. */
async function mount(store: { broken?: boolean; own?: boolean } = {}): Promise<string> {
  const key = `bar${count++}`;
  await page.evaluate(([k, s]) => (window as any).barTest.mount(k, s), [key, { dbName: `deep-improv-bar-${process.pid}-${key}`, ...store }] as const);
  return key;
}

const call = <T = any>(fn: string, ...args: unknown[]): Promise<T> =>
  page.evaluate(([f, a]) => (window as any).barTest[f as string](...(a as unknown[])), [fn, args] as const) as Promise<T>;
const bar = (key: string) => page.locator(`#${key}`);
const settle = (key: string) => call('settle', key);
const message = (key: string) => bar(key).locator('.message').textContent();

test('lists every factory preset, then the user presets', async () => {
  const key = await mount();
  const labels = await bar(key).locator('select optgroup[label="Factory"] option').allTextContents();
  assert.deepEqual(labels, FACTORY_PRESETS.map((p) => p.name));
  assert.deepEqual(await bar(key).locator('select optgroup[label="My presets"] option').allTextContents(), ['(none saved yet)']);
});

test('choosing a factory preset applies it through setState, keeping the plugin\'s MIDI devices', async () => {
  const key = await mount();
  const preset = FACTORY_PRESETS[1];
  await bar(key).locator('select').selectOption(`factory:${preset.id}`);
  await settle(key);
  const state = await call<PluginState>('state', key);
  assert.deepEqual(state.parameters, preset.state.parameters);
  assert.equal(state.seed, preset.state.seed);
  assert.deepEqual(state.devices, MY_DEVICES);
  assert.equal(await message(key), `Loaded “${preset.name}”`);
  assert.equal(await bar(key).locator('.description').textContent(), preset.description);
  assert.deepEqual(await call('events', key), [{ type: 'di-preset-loaded', detail: { name: preset.name, source: 'factory' } }]);
});

test('save, rename and delete a user preset', async () => {
  const key = await mount();
  await call('setHostState', key, { ...defaultState(), parameters: { temperature: 1.7 } });
  await bar(key).locator('[data-action=save]').click();
  await bar(key).locator('form input').fill('  My sound ');
  await bar(key).locator('form input').press('Enter');
  await settle(key);
  assert.equal(await message(key), 'Saved “My sound”');
  const user = bar(key).locator('select optgroup[label="My presets"] option');
  assert.deepEqual(await user.allTextContents(), ['My sound']);
  assert.equal(await bar(key).locator('select').inputValue(), `user:${(await user.first().getAttribute('value'))!.slice(5)}`);

  // Loading it back restores the saved state.
  await bar(key).locator('select').selectOption(`factory:${FACTORY_PRESETS[0].id}`);
  await settle(key);
  await bar(key).locator('select').selectOption({ label: 'My sound' });
  await settle(key);
  assert.equal((await call<PluginState>('state', key)).parameters.temperature, 1.7);

  await bar(key).locator('[data-action=rename]').click();
  await bar(key).locator('form input').fill('Renamed');
  await bar(key).locator('form button[type=submit]').click();
  await settle(key);
  assert.deepEqual(await user.allTextContents(), ['Renamed']);
  assert.equal(await message(key), 'Renamed to “Renamed”');

  await bar(key).locator('[data-action=delete]').click();
  assert.match((await bar(key).locator('form').textContent())!, /Delete “Renamed”\? This cannot be undone\./);
  await bar(key).locator('form button[type=submit]').click();
  await settle(key);
  assert.deepEqual(await user.allTextContents(), ['(none saved yet)']);
  assert.equal(await message(key), 'Deleted “Renamed”');
  assert.ok(await bar(key).locator('[data-action=rename]').isDisabled(), 'rename needs a user preset');
});

test('an empty name is refused with the validator\'s message and saves nothing', async () => {
  const key = await mount();
  await bar(key).locator('[data-action=save]').click();
  await bar(key).locator('form input').fill('   ');
  await bar(key).locator('form input').press('Enter');
  await settle(key);
  assert.equal(await bar(key).locator('.message.error[role=alert]').textContent(),
    'Could not save the preset: name: expected a preset name of 1 to 256 characters, got "   "');
  assert.deepEqual(await bar(key).locator('select optgroup[label="My presets"] option').allTextContents(), ['(none saved yet)']);
});

test('export downloads a .deepimprov.json file of the current state', async () => {
  const key = await mount();
  await bar(key).locator('select').selectOption(`factory:${FACTORY_PRESETS[5].id}`);
  await settle(key);
  const [download] = await Promise.all([page.waitForEvent('download'), bar(key).locator('[data-action=export]').click()]);
  assert.equal(download.suggestedFilename(), 'blues-shadow.deepimprov.json');
  const text = await readFile((await download.path())!, 'utf8');
  assert.deepEqual(parsePresetFile(text), await call('state', key));
  assert.equal(await message(key), 'Exported blues-shadow.deepimprov.json');
});

test('import by the file picker applies the file; a bad file shows the StateError and changes nothing', async () => {
  const key = await mount();
  const wanted = { ...FACTORY_PRESETS[6].state, name: 'From a file' };
  await bar(key).locator('input[type=file]').setInputFiles({ name: 'x.deepimprov.json', mimeType: 'application/json', buffer: Buffer.from(presetFileText(wanted, 'From a file')) });
  await settle(key);
  const state = await call<PluginState>('state', key);
  assert.deepEqual({ ...state, devices: wanted.devices }, wanted);
  assert.deepEqual(state.devices, MY_DEVICES);
  assert.equal(await message(key), 'Loaded “From a file”');

  const calls = await call<number>('setCalls', key);
  const bad = presetFileText(defaultState(), 'bad').replace('"temperature": 0.8', '"temperature": "hot"');
  await bar(key).locator('input[type=file]').setInputFiles({ name: 'bad.deepimprov.json', mimeType: 'application/json', buffer: Buffer.from(bad) });
  await settle(key);
  assert.equal(await bar(key).locator('.message.error[role=alert]').textContent(),
    'Could not import bad.deepimprov.json: parameters.temperature: expected a number from 0.05 to 2, got "hot"');
  assert.equal(await call('setCalls', key), calls, 'setState was not called');
  assert.deepEqual(await call('state', key), state, 'the plugin state is unchanged');
  const events = await call<{ type: string; detail: any }[]>('events', key);
  assert.deepEqual(events.at(-1), {
    type: 'di-preset-error',
    detail: { message: 'Could not import bad.deepimprov.json: parameters.temperature: expected a number from 0.05 to 2, got "hot"', errorName: 'StateError' },
  });

  await bar(key).locator('input[type=file]').setInputFiles({ name: 'other.json', mimeType: 'application/json', buffer: Buffer.from('{"hello":1}') });
  await settle(key);
  assert.equal(await message(key), 'Could not import other.json: format: expected "deep-improv-preset" (a .deepimprov.json preset file), got nothing');
});

test('a preset file without parameters and a .wav chosen as a preset are refused, saying what was expected; nothing loads', async () => {
  const key = await mount();
  const calls = await call<number>('setCalls', key);
  const before = await call<PluginState>('state', key);
  await bar(key).locator('input[type=file]').setInputFiles({ name: 'empty.deepimprov.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"deep-improv-preset","schemaVersion":2,"name":"Empty"}') });
  await settle(key);
  assert.equal(await bar(key).locator('.message.error[role=alert]').textContent(),
    "Could not import empty.deepimprov.json: parameters: expected the preset's parameters object (a preset without one would reset every parameter to its default), got nothing");
  const wav = Buffer.alloc(1024);
  wav.write('RIFF', 0, 'ascii'); wav.writeUInt32LE(1016, 4); wav.write('WAVEfmt ', 8, 'ascii'); wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); wav.writeUInt16LE(1, 22); wav.writeUInt32LE(44100, 24); wav.write('data', 36, 'ascii');
  for (let i = 44; i < wav.length; i++) wav[i] = (i * 37) & 0xff; // noise, with the odd bracket byte in it
  await bar(key).locator('input[type=file]').setInputFiles({ name: 'take 1.wav', mimeType: 'audio/wav', buffer: wav });
  await settle(key);
  assert.equal(await bar(key).locator('.message.error[role=alert]').textContent(),
    'Could not import take 1.wav: preset file: expected a Deep Improv preset (a .deepimprov.json JSON text file), got binary data (this looks like a WAV audio file)');
  assert.equal(await call('setCalls', key), calls, 'setState was not called');
  assert.deepEqual(await call('state', key), before, 'the plugin state is unchanged');
});

test('dropping a preset file on the bar loads it; dragging shows the drop zone', async () => {
  const key = await mount();
  assert.equal(await call('dragOverlayShows', key), true);
  await call('drop', key, presetFileText(FACTORY_PRESETS[7].state, 'Dropped'), 'dropped.deepimprov.json');
  await settle(key);
  assert.deepEqual((await call<PluginState>('state', key)).parameters, FACTORY_PRESETS[7].state.parameters);
  assert.equal(await message(key), 'Loaded “Dropped”');
  assert.equal(await bar(key).locator('.drop').count(), 0);
});

test('copy link puts a working share link on the clipboard and shows it', async () => {
  const key = await mount();
  await bar(key).locator('select').selectOption(`factory:${FACTORY_PRESETS[3].id}`);
  await settle(key);
  await bar(key).locator('[data-action=copy-link]').click();
  await settle(key);
  const shown = await bar(key).locator('.link input').inputValue();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), shown);
  assert.equal(await message(key), 'Share link copied to the clipboard');
  assert.ok(shown.startsWith('https://demo.test/host/#preset=di1.'));
  const state = await call<PluginState>('state', key);
  assert.deepEqual(readPresetFromUrl(new URL(shown)), { ...state, devices: { midiOutputId: null, midiInputIds: [] } });
});

test('without clipboard access the link is still shown to copy by hand', async () => {
  const other = await context.newPage();
  other.on('pageerror', (e) => pageErrors.push(e.message));
  await other.goto(`${server.origin}/`);
  await other.waitForFunction(() => (window as any).barReady === true);
  await other.evaluate(() => (window as any).barTest.breakClipboard());
  await other.evaluate(() => (window as any).barTest.mount('solo', { dbName: 'deep-improv-bar-clip' }));
  await other.locator('#solo [data-action=copy-link]').click();
  await other.evaluate(() => (window as any).barTest.settle('solo'));
  assert.equal(await other.locator('#solo .message').textContent(), 'Copy the share link below');
  assert.match(await other.locator('#solo .link input').inputValue(), /^https:\/\/demo\.test\/host\/#preset=di1\./);
  await other.close();
});

test('open link applies a pasted link or share string; a broken one shows why', async () => {
  const key = await mount();
  const wanted = FACTORY_PRESETS[4].state;
  await bar(key).locator('[data-action=open-link]').click();
  await bar(key).locator('form input').fill(shareLink('https://elsewhere.test/', wanted));
  await bar(key).locator('form input').press('Enter');
  await settle(key);
  assert.deepEqual((await call<PluginState>('state', key)).parameters, wanted.parameters);
  assert.equal(await message(key), `Loaded “${wanted.name}”`);

  await bar(key).locator('[data-action=open-link]').click();
  await bar(key).locator('form input').fill(encodeShareString(FACTORY_PRESETS[8].state).slice(0, 40));
  await bar(key).locator('form input').press('Enter');
  await settle(key);
  assert.equal(await bar(key).locator('.message.error').textContent(),
    'Could not open the link: share string: expected a complete share string, got one that is truncated or corrupt (copy the whole link again)');
  assert.deepEqual((await call<PluginState>('state', key)).parameters, wanted.parameters, 'unchanged');
});

test('when the plugin refuses a state, the error shows and the selection stays on what the plugin has', async () => {
  const key = await mount();
  await call('refuseNext', key);
  await bar(key).locator('select').selectOption(`factory:${FACTORY_PRESETS[2].id}`);
  await settle(key);
  assert.equal(await bar(key).locator('.message.error').textContent(),
    `Could not load “${FACTORY_PRESETS[2].name}”: parameters.tempo: expected a finite number, got "refused by the test host"`);
  assert.equal(await bar(key).locator('select').inputValue(), '');
});

test('when user presets are unavailable the bar says so, disables Save, and the rest still works', async () => {
  const key = await mount({ broken: true });
  assert.deepEqual(await bar(key).locator('select optgroup[label="My presets"] option').allTextContents(), ['(unavailable)']);
  assert.ok(await bar(key).locator('[data-action=save]').isDisabled());
  assert.equal(await bar(key).locator('.message').textContent(), 'User presets are unavailable: test store');
  await bar(key).locator('select').selectOption(`factory:${FACTORY_PRESETS[0].id}`);
  await settle(key);
  assert.equal(await message(key), `Loaded “${FACTORY_PRESETS[0].name}”`);
});

test('a removed bar stops taking drops and releases its download URLs; disposing the service closes the store it made', async () => {
  const key = await mount({ own: true });
  await bar(key).locator('[data-action=save]').click(); // the service opens its own store on first use
  await bar(key).locator('form input').press('Escape');
  const [download] = await Promise.all([page.waitForEvent('download'), bar(key).locator('[data-action=export]').click()]);
  assert.ok(download.suggestedFilename().endsWith('.deepimprov.json'));
  const setCalls = await call<number>('setCalls', key);
  assert.deepEqual(await call('unmount', key), { storeReleased: true, pendingDownloads: 0 });
  await call('drop', key, presetFileText(FACTORY_PRESETS[1].state, 'late'), 'late.deepimprov.json');
  // Nothing may happen on the removed bar. The same drop on a mounted bar shows when a drop has been handled:
  // once it has loaded there, the removed bar's drop would have too.
  const witness = await mount();
  const witnessCalls = await call<number>('setCalls', witness);
  await call('drop', witness, presetFileText(FACTORY_PRESETS[1].state, 'late'), 'late.deepimprov.json');
  await page.waitForFunction(([k, n]) => (window as any).barTest.setCalls(k) > n, [witness, witnessCalls] as const, { timeout: 5000 });
  assert.equal(await call('setCalls', key), setCalls);
});

test('no page raised an uncaught error', () => {
  assert.deepEqual(pageErrors, []);
});
