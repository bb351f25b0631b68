/**
 * The real-time contract, as behaviour: after warm-up, FeatureEngine.push()
 * allocates nothing. Measured in a child process started with --expose-gc
 * (test/dsp/alloc-probe.ts): heap growth with no garbage collection in
 * between, over six runs of 5,000 frames each; an engine that allocated even
 * one 16-byte number per frame would grow by ≥ 80 KB in every run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const probe = fileURLToPath(new URL('./alloc-probe.ts', import.meta.url));

for (const [sampleRate, frameSize, hopSize] of [
  [48000, 2048, 512],
  [44100, 1024, 256],
]) {
  test(`push() allocates 0 bytes per frame after warm-up (${sampleRate} Hz, frame ${frameSize}, hop ${hopSize})`, () => {
    const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', probe, String(sampleRate), String(frameSize), String(hopSize)], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout.trim().split('\n').pop()!);
    assert.ok(report.notes > 0 && report.hits > 0, `the probe signal must exercise notes and drum hits: ${result.stdout}`);
    // Below one byte per frame: what remains is JIT bookkeeping noise, not engine allocations.
    assert.ok(report.bytesPerFrame < 1, `heap grew ${report.bytesPerFrame} bytes per frame: ${result.stdout}`);
  });
}
