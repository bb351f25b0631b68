// <di-feature-view> in headless Chromium: draws what the batches hold, at most once per animation frame, with no DOM churn.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../helpers/chromium.ts';
import { startStaticServer, type StaticServer } from '../../helpers/server.ts';
import { bundleForBrowser } from '../../helpers/bundle.ts';
import { FEATURE_COUNT, FeatureIndex } from '../../../dsp/features/feature-names.ts';
import { FeatureViewModel } from '../../../gui/features/feature-view-model.ts';
import type { FeatureBatch } from '../../../protocol/features.ts';

let browser: Browser;
let server: StaticServer;
let page: Page;

/** A batch of `frames` frames of an A4 tone at `rms`, in A minor at 120 BPM, with one note. */
function batchSource(): string {
  return `(index, frames, rms) => {
    const count = ${FEATURE_COUNT};
    const data = new Float32Array(frames * count);
    for (let f = 0; f < frames; f++) {
      const o = f * count;
      data[o + ${FeatureIndex.rms}] = rms;
      data[o + ${FeatureIndex.f0Hz}] = 440;
      data[o + ${FeatureIndex.voiced}] = 1;
      data[o + ${FeatureIndex.onsetStrength}] = f === 0 ? 20 : 0;
      for (let i = 0; i < 13; i++) data[o + ${FeatureIndex.mfcc0} + i] = (i % 2 ? -1 : 1) * 40;
      data[o + ${FeatureIndex.chroma0} + 9] = 1;
      data[o + ${FeatureIndex.chroma0} + 4] = 0.5;
    }
    return {
      type: 'features', frames: data, frameCount: frames, featureCount: count,
      firstFrameIndex: index, firstFrameTimeS: index * 512 / 48000, hopSize: 512, sampleRate: 48000,
      tempoBpm: 120, beatPhase: 0.25, keyIndex: 21, keyConfidence: 0.72,
      notes: new Float64Array([69, 100, index * 512 / 48000, index * 512 / 48000 + 0.2]),
    };
  }`;
}

before(async () => {
  browser = await launchChromium();
  server = await startStaticServer({
    mounts: {},
    pages: {
      '/view.html': '<!doctype html><body style="margin:0;background:#1b1d24"><script type="module" src="/view.js"></script></body>',
      // __name: tsx keeps function names with a helper that page.evaluate's serialized functions call.
      '/view.js': `${await bundleForBrowser('gui/features/feature-view.ts')}\nwindow.__name = (f) => f;\nwindow.makeBatch = ${batchSource()};\nwindow.viewReady = true;`,
    },
  });
  page = await browser.newPage({ viewport: { width: 800, height: 300 } });
  await page.goto(`${server.origin}/view.html`);
  await page.waitForFunction(() => (window as any).viewReady === true);
  await page.evaluate(() => {
    const view = document.createElement('di-feature-view');
    view.style.width = '760px';
    view.style.height = '240px';
    view.style.margin = '20px';
    document.body.append(view);
  });
  await page.waitForFunction(() => (document.querySelector('di-feature-view') as any)?.drawCount > 0);
});

after(async () => {
  await page?.close();
  await browser?.close();
  await server?.close();
});

test('many batches in one task give at most one draw per animation frame, and no DOM mutation', async () => {
  const result = await page.evaluate(async () => {
    const view = document.querySelector('di-feature-view') as any;
    const mutations: MutationRecord[] = [];
    const observer = new MutationObserver((list) => mutations.push(...list));
    observer.observe(view.shadowRoot, { subtree: true, childList: true, attributes: true, characterData: true });
    const nextFrame = () => new Promise((r) => requestAnimationFrame(() => r(null)));
    await nextFrame();
    const before = view.drawCount;
    for (let b = 0; b < 60; b++) view.push((window as any).makeBatch(b * 6, 6, 0.25));
    const afterPush = view.drawCount;
    let frames = 0;
    for (; frames < 5; frames++) await nextFrame();
    observer.disconnect();
    return { before, afterPush, after: view.drawCount, frames, mutations: mutations.length, written: view.model.written };
  });
  assert.equal(result.afterPush, result.before, 'push() never draws synchronously');
  assert.ok(result.after - result.before >= 1, 'it drew');
  assert.ok(result.after - result.before <= result.frames + 1, `${result.after - result.before} draws in ${result.frames} frames`);
  assert.equal(result.mutations, 0, 'canvas only: no DOM churn');
  assert.equal(result.written, 360);
});

test('the canvas shows the level, the chroma peak at A, the f0 trace, and the model holds key and tempo', async () => {
  await page.evaluate(async () => {
    const view = document.querySelector('di-feature-view') as any;
    for (let b = 0; b < 100; b++) view.push((window as any).makeBatch(1000 + b * 6, 6, 0.25));
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(null))));
  });
  const probe = await page.evaluate(() => {
    const view = document.querySelector('di-feature-view') as any;
    const canvas = view.shadowRoot.querySelector('canvas') as HTMLCanvasElement;
    const g = canvas.getContext('2d')!;
    const ratio = canvas.width / canvas.clientWidth;
    const px = (x: number, y: number) => Array.from(g.getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data);
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    // Meter: x 8–22; −12 dBFS (rms 0.25) fills the bottom 80 % in green.
    const meterLow = px(14, h - 20);
    const meterTop = px(14, 12);
    // Chroma: the side panel starts at w − 170 and is 162 wide; slot 9 (A) and slot 2 (D).
    const sideX = w - 170;
    const slotW = (170 - 8) / 12;
    const barBottom = h - 8 - 14;
    const chromaA = px(sideX + 9.5 * slotW, barBottom);
    const chromaD = px(sideX + 2.5 * slotW, barBottom);
    return { meterLow, meterTop, chromaA, chromaD, key: view.model.keyLabel, tempo: view.model.tempoLabel, level: view.model.latestLevelDb };
  });
  const isColour = (p: number[], hex: string) => {
    const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    return c.every((v, i) => Math.abs(v - p[i]) <= 6);
  };
  assert.ok(isColour(probe.meterLow, '#4cd787'), `meter bottom is green: ${probe.meterLow}`);
  assert.ok(!isColour(probe.meterTop, '#4cd787'), 'meter top is empty at −12 dBFS');
  assert.ok(isColour(probe.chromaA, '#ffa94d'), `the A bar (the maximum) is highlighted: ${probe.chromaA}`);
  assert.ok(isColour(probe.chromaD, '#262a35'), `the D bar is empty: ${probe.chromaD}`);
  assert.equal(probe.key, 'A minor 72 %');
  assert.equal(probe.tempo, '120 BPM');
  assert.ok(Math.abs(probe.level - 20 * Math.log10(0.25)) < 1e-3);
});

test('a detached view stops drawing (its frame loop is released)', async () => {
  const result = await page.evaluate(async () => {
    const view = document.querySelector('di-feature-view') as any;
    view.remove();
    const count = view.drawCount;
    view.push((window as any).makeBatch(5000, 6, 0.5));
    for (let i = 0; i < 4; i++) await new Promise((r) => requestAnimationFrame(() => r(null)));
    const stopped = view.drawCount === count;
    document.body.append(view);
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(null))));
    return { stopped, resumed: view.drawCount > count };
  });
  assert.ok(result.stopped, 'no draw while detached');
  assert.ok(result.resumed, 'draws again once attached');
});

test('the model (Node): ring of frames, chroma of the latest batch, notes kept, beat phase advanced', () => {
  const model = new FeatureViewModel(8, 3);
  const frames = new Float32Array(3 * FEATURE_COUNT);
  for (let f = 0; f < 3; f++) {
    frames[f * FEATURE_COUNT + FeatureIndex.rms] = 0.1 * (f + 1);
    frames[f * FEATURE_COUNT + FeatureIndex.chroma0 + 7] = 0.5;
  }
  const batch = (i: number, notes: number[] | null): FeatureBatch => ({
    type: 'features', frames, frameCount: 3, featureCount: FEATURE_COUNT, firstFrameIndex: i, firstFrameTimeS: i / 100,
    hopSize: 480, sampleRate: 48000, tempoBpm: 60, beatPhase: 0.5, keyIndex: 0, keyConfidence: 0.5, notes: notes ? new Float64Array(notes) : null,
  });
  for (let b = 0; b < 4; b++) model.push(batch(b * 3, [60 + b, 90, b, b + 0.5]), 1000);
  assert.equal(model.written, 12);
  assert.equal(model.size, 8);
  assert.ok(Math.abs(model.latestLevelDb - 20 * Math.log10(0.3)) < 1e-4);
  assert.ok(Math.abs(model.latestTimeS - (9 / 100 + 2 * 0.01)) < 1e-9);
  assert.deepEqual(Array.from(model.chroma).map((v) => Math.round(v * 100) / 100), [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
  assert.deepEqual(model.notes.map((n) => n.pitch), [61, 62, 63]);
  // 60 BPM: half a second later the phase has moved half a beat.
  assert.ok(Math.abs(model.phaseAt(1500) - 0) < 1e-9 || Math.abs(model.phaseAt(1500) - 1) < 1e-9);
  assert.ok(Math.abs(model.phaseAt(1250) - 0.75) < 1e-9);
  assert.equal(model.keyLabel, 'C major 50 %');
  assert.equal(model.tempoLabel, '60 BPM');
  model.push({ ...batch(12, null), keyIndex: -1, keyConfidence: 0.1 }, 2000);
  assert.equal(model.keyLabel, 'no key');
});
