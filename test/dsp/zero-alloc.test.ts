/**
 * The real-time contract, as behaviour: after warm-up, FeatureEngine.push()
 * and the audio core's per-block path with events (test/dsp/core-alloc-probe.ts)
 * allocate nothing. Measured in child processes started with --expose-gc
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

test('the audio core\'s per-block path with events allocates 0 bytes per block after warm-up (MIDI in and thru, MIDI clock, automation, analysis, streams, MIDI out, phrase updates)', () => {
  const coreProbe = fileURLToPath(new URL('./core-alloc-probe.ts', import.meta.url));
  // Up to three processes: now and then V8 settles on inlining that boxes one number per block in
  // the probe's own loop for that whole process; a real allocation in the core shows in every process.
  const reports: { bytesPerBlock: number; midiOutDuringRuns: number; held: number; skippedLogRecords: number; phraseUpdatesDuringRuns: number }[] = [];
  let output = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', coreProbe], { encoding: 'utf8', timeout: 300_000 });
    assert.equal(result.status, 0, result.stderr);
    output += result.stdout;
    const report = JSON.parse(result.stdout.trim().split('\n').pop()!);
    reports.push(report);
    assert.ok(report.midiOutDuringRuns > 0, `scheduled MIDI must drain during the runs: ${result.stdout}`);
    assert.equal(report.held, 1, `a note is held, so no phrase ended (requests allocate by design): ${result.stdout}`);
    assert.equal(report.skippedLogRecords, 0, 'the log stream keeps up');
    assert.ok(report.phraseUpdatesDuringRuns > 0, `phrase updates must go to the worker during the runs: ${result.stdout}`);
    if (report.bytesPerBlock < 1) break;
  }
  // Two MIDI events per block: one boxed number each would be ≥ 24 bytes per block, in every process.
  const best = Math.min(...reports.map((r) => r.bytesPerBlock));
  assert.ok(best < 1, `heap grew ${best} bytes per block at best: ${output}`);
});
