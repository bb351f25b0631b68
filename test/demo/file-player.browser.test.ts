/**
 * The demo's audio-file transport in Chromium with the built plugin: one file
 * at a time reaches the plugin (a second file replaces the first), Stop
 * silences the plugin's input, the position moves and can be set, and with
 * Loop off the file stops at its end. What the plugin hears is read by an
 * AnalyserNode on its output (the plugin passes its input through bit-exact).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { openDemo, startDemoFixture, type DemoFixture } from './demo-page.ts';
import { sineWav } from './wav.ts';

let fixture: DemoFixture;
let page: Page;
const errors: string[] = [];

before(async () => {
  fixture = await startDemoFixture();
  page = await openDemo(fixture, errors);
  // The plugin passes its input through bit-exact, so an analyser on its output hears what it hears.
  await page.evaluate(() => {
    const w = window as any;
    const analyser = new AnalyserNode(w.demoHost.context, { fftSize: 2048 });
    w.demoHost.plugin.audioNode.connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    w.readRms = () => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const x of samples) sum += x * x;
      return Math.sqrt(sum / samples.length);
    };
  });
});

after(async () => {
  await page?.close();
  await fixture?.close();
});

const snapshot = () => page.evaluate(() => (window as any).demoHost.file.player.snapshot());

/** Mean RMS of the plugin's input over 10 analyser windows (2048 samples each) read from 0.15 s (audio clock) on. */
async function heardRms(): Promise<number> {
  const from = await page.evaluate(() => (window as any).demoHost.context.currentTime + 0.15);
  const handle = await page.waitForFunction((t0: number) => {
    const w = window as any;
    if (w.demoHost.context.currentTime < t0) { w.rmsReadings = []; return false; }
    w.rmsReadings.push(w.readRms());
    // An object, not the bare number: a mean of 0 (silence) would read as "not yet".
    return w.rmsReadings.length >= 10 ? { rms: w.rmsReadings.reduce((sum: number, x: number) => sum + x, 0) / w.rmsReadings.length } : false;
  }, from, { timeout: 20_000, polling: 50 });
  return ((await handle.jsonValue()) as { rms: number }).rms;
}

async function openFile(name: string, seconds: number, hz: number, amplitude: number): Promise<void> {
  await page.locator('#file').setInputFiles({ name, mimeType: 'audio/wav', buffer: sineWav(seconds, hz, amplitude) });
  await page.waitForFunction((n) => {
    const s = (window as any).demoHost.file.player.snapshot();
    return s.name === n && s.playing;
  }, name, { timeout: 10_000 });
}

test('a second file replaces the first, and Stop silences the plugin\'s input', async () => {
  await openFile('loud.wav', 3, 440, 0.5);
  const loud = await heardRms();
  assert.ok(loud > 0.05, `the plugin hears the first file (RMS ${loud})`);

  await openFile('quiet.wav', 3, 660, 0.1);
  const quiet = await heardRms();
  assert.equal((await snapshot()).activeSources, 1, 'one source feeds the plugin');
  // Alone the quiet file is a fifth of the loud one; stacked on it, louder than the loud one.
  assert.ok(quiet < loud * 0.4, `only the second file plays (RMS ${quiet} after ${loud})`);
  assert.ok(quiet > loud * 0.05, `the second file plays (RMS ${quiet})`);

  await page.locator('#file-play').click();
  await page.waitForFunction(() => !(window as any).demoHost.file.player.snapshot().playing);
  assert.equal(await page.locator('#file-play').textContent(), 'Play file');
  const stopped = await heardRms();
  assert.ok(stopped < loud * 0.01, `Stop silences the plugin's input (RMS ${stopped})`);
  assert.equal((await snapshot()).activeSources, 0);
});

test('the position readout moves while playing, and seeking moves playback', async () => {
  await openFile('long.wav', 6, 330, 0.3);
  await page.waitForFunction(() => document.getElementById('file-time')!.textContent!.startsWith('0:01'), undefined, { timeout: 10_000 });
  assert.match(await page.locator('#file-time').textContent() ?? '', /^0:01 \/ 0:06$/);
  await page.locator('#file-seek').evaluate((input: HTMLInputElement) => {
    input.value = '4.5';
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new Event('change'));
  });
  const s = await snapshot();
  assert.ok(s.playing, 'still playing after the seek');
  assert.ok(s.position >= 4.4 && s.position < 5.5, `playing on from 4.5 s (at ${s.position})`);
  await page.waitForFunction(() => document.getElementById('file-time')!.textContent!.startsWith('0:05'), undefined, { timeout: 10_000 });
});

test('with Loop off the file stops at its end; Play starts it again from the top', async () => {
  await page.locator('#file-loop').uncheck();
  assert.equal((await snapshot()).loop, false);
  await page.locator('#file-seek').evaluate((input: HTMLInputElement) => {
    input.value = '5.6';
    input.dispatchEvent(new Event('change'));
  });
  await page.waitForFunction(() => !(window as any).demoHost.file.player.snapshot().playing, undefined, { timeout: 10_000 });
  const ended = await snapshot();
  assert.equal(ended.position, ended.duration, 'stopped at the end');
  assert.equal(await page.locator('#file-play').textContent(), 'Play file');
  await page.locator('#file-play').click();
  const again = await snapshot();
  assert.ok(again.playing && again.position < 0.5, `plays again from the top (at ${again.position})`);
  await page.locator('#file-play').click();
});

test('no page errors', () => {
  assert.deepEqual(errors, []);
});
