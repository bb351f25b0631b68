/**
 * The plugin's live features equal the offline CLI's: audio rendered through
 * the plugin in an OfflineAudioContext yields the same feature frames as
 * `deep-improv analyze` on the same audio (one engine, same float32 input).
 * Needs `npm run build` (npm test runs it first).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wavefile from 'wavefile';
import { startHostFixture, type HostFixture } from '../../helpers/host-fixture.ts';
import { FEATURE_NAMES } from '../../../dsp/features/feature-names.ts';

const SR = 48000;
let fx: HostFixture;
let dir: string;

/** Three seconds: a few sine notes, a chord, noise bursts and silence (float32). */
function testSignal(): Float32Array {
  const x = new Float32Array(SR * 3);
  let seed = 3;
  const noise = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647 - 0.5; };
  const notes = [[0.0, 0.4, 220], [0.5, 0.9, 330], [1.0, 1.5, 440], [1.6, 2.2, 261.63]];
  for (const [a, b, hz] of notes) {
    for (let i = Math.floor(a * SR); i < b * SR; i++) x[i] += 0.4 * Math.sin((2 * Math.PI * hz * i) / SR);
  }
  for (let i = Math.floor(1.6 * SR); i < 2.2 * SR; i++) x[i] += 0.2 * Math.sin((2 * Math.PI * 329.63 * i) / SR) + 0.2 * Math.sin((2 * Math.PI * 392 * i) / SR);
  for (const t of [2.4, 2.6, 2.8]) for (let i = Math.floor(t * SR); i < (t + 0.05) * SR; i++) x[i] += noise() * 0.8;
  return x;
}

before(async () => {
  fx = await startHostFixture();
  dir = mkdtempSync(join(tmpdir(), 'deep-improv-features-'));
});

after(async () => {
  await fx?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('an offline render through the plugin gives the same feature frames as `deep-improv analyze`', async () => {
  const signal = testSignal();
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, SR, '32f', Array.from(signal));
  const wavPath = join(dir, 'signal.wav');
  writeFileSync(wavPath, wav.toBuffer());
  const out = execFileSync(process.execPath, ['bin/deep-improv.js', 'analyze', wavPath, '--format', 'jsonl'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const rows = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).filter((r) => 'time_s' in r);
  assert.ok(rows.length > 200, `the CLI wrote frames (${rows.length})`);

  const page = await fx.hostPage();
  const live = await page.evaluate(async ({ url, samples, sr }) => {
    const w = window as any;
    const context = new OfflineAudioContext(2, samples.length, sr);
    const [groupId] = await w.initializeWamHost(context);
    const { default: Plugin } = await import(url);
    const plugin = await Plugin.createInstance(groupId, context);
    const frames: { index: number; values: number[] }[] = [];
    plugin.audioNode.onFeatures((batch: any) => {
      for (let f = 0; f < batch.frameCount; f++) {
        frames.push({ index: batch.firstFrameIndex + f, values: Array.from(batch.frames.slice(f * batch.featureCount, (f + 1) * batch.featureCount)) });
      }
    });
    const buffer = context.createBuffer(1, samples.length, sr);
    buffer.copyToChannel(Float32Array.from(samples), 0);
    const source = new AudioBufferSourceNode(context, { buffer });
    source.connect(plugin.audioNode);
    plugin.audioNode.connect(context.destination);
    source.start(0);
    await context.startRendering();
    // The processor batches frames at about 30 Hz: take the last batch.
    await plugin.audioNode.flushStreams();
    return frames;
  }, { url: fx.pluginUrl, samples: Array.from(signal), sr: SR });
  await page.close();

  assert.equal(live.length, rows.length, 'as many frames live as offline');
  let worst = { diff: 0, where: '' };
  live.forEach((frame, k) => {
    assert.equal(frame.index, k, 'frames arrive in order with no gap');
    FEATURE_NAMES.forEach((name, j) => {
      const a = frame.values[j];
      const b = Number(rows[k][name]);
      const diff = Math.abs(a - b) / Math.max(1, Math.abs(b));
      if (diff > worst.diff) worst = { diff, where: `frame ${k} ${name}: live ${a}, analyze ${b}` };
    });
  });
  assert.ok(worst.diff <= 1e-4, `live and offline features agree (worst: ${worst.where})`);
});
