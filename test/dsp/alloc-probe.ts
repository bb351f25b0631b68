/**
 * Child-process probe for the zero-allocation test (run with --expose-gc):
 * warms a FeatureEngine up on a varied signal (tones, note changes, noise
 * bursts, clicks, NaN/Inf, silence), then three times pushes 10,000 more
 * frames in 128-sample quanta and reports the heap growth of each run (or
 * 'gc' if a collection happened during it), the measurement's own cost (the
 * same runs with one frame) and the smallest growth per frame net of it, as
 * one JSON line. Usage: node --expose-gc --import tsx
 * alloc-probe.ts [sampleRate frameSize hopSize]. Not a test file itself.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { FeatureEngine } from '../../dsp/features/feature-engine.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('alloc-probe: run with node --expose-gc');

const sampleRate = Number(process.argv[2] ?? 48000);
const frameSize = Number(process.argv[3] ?? 2048);
const hopSize = Number(process.argv[4] ?? 512);
const warmFrames = 5000;
const measuredFrames = 5000;
const engine = new FeatureEngine({ sampleRate, frameSize, hopSize });

// A 4 s loop with something for every code path.
const loop = new Float32Array(4 * sampleRate);
for (let i = 0; i < loop.length; i++) {
  const t = i / sampleRate;
  const beat = t % 0.5;
  const note = Math.floor(t / 0.25) % 4;
  const f = [220, 277.2, 329.6, 440][note];
  let x = t < 2 ? 0.3 * Math.sin(2 * Math.PI * f * t) * Math.min(1, (t % 0.25) * 100) : 0;
  if (t >= 2 && beat < 0.15) x += 0.6 * Math.sin(2 * Math.PI * (60 + 100 * Math.exp(-beat * 30)) * beat) * Math.exp(-beat * 20);
  if (t >= 2 && (t % 0.25) < 0.03) x += 0.2 * (Math.sin(i * 12.9898) * 43758.5453 % 1);
  if (i % 9973 === 0) x = 0.9;
  x = i % 50000 === 17 ? Number.NaN : i % 70001 === 3 ? Number.POSITIVE_INFINITY : x;
  loop[i] = t > 3.8 ? 0 : x;
}

/** Counts callbacks in an Int32Array: the sink itself must not allocate either. */
const counts = new Int32Array(3);
const sink = {
  onFrame(_k: number, _f: Float32Array) {
    counts[0]++;
  },
  onNote(_p: number, _v: number, _s: number, _e: number) {
    counts[1]++;
  },
  onDrumHit(_p: number, _v: number, _s: number) {
    counts[2]++;
  },
};

let pos = 0;
function pushFrames(count: number): void {
  const target = counts[0] + count;
  while (counts[0] < target) {
    const end = pos + 128 <= loop.length ? pos + 128 : loop.length;
    engine.push(loop, pos, end, sink);
    pos = end === loop.length ? 0 : end;
  }
}

/** Heap growth over `count` frames, with no collection in between (checked by gcSeen). */
function measure(count: number): number {
  gc!();
  gc!();
  const before = process.memoryUsage().heapUsed;
  pushFrames(count);
  return process.memoryUsage().heapUsed - before;
}

let gcSeen = 0;
const observer = new PerformanceObserver((list) => {
  gcSeen += list.getEntries().length;
});
observer.observe({ entryTypes: ['gc'] });
pushFrames(warmFrames);
// Six measured runs: the JIT settles late (the first runs can show a few hundred KB
// of lazy V8 bookkeeping); a real per-frame allocation would show up in every run.
const deltas: number[] = [];
const notesBefore = counts[1];
const hitsBefore = counts[2];
for (let run = 0; run < 6; run++) {
  await new Promise((resolve) => setTimeout(resolve, 20));
  gcSeen = 0;
  const delta = measure(measuredFrames);
  await new Promise((resolve) => setTimeout(resolve, 20));
  // Our own two gc() calls are observed too; anything more means the young generation filled up.
  deltas.push(gcSeen > 2 ? Number.POSITIVE_INFINITY : delta);
}
// The measurement's own cost, whatever the frame count (~4 KB: after a forced full GC, V8
// re-creates some inline-cache data on the first frames): the same runs with one frame.
let baseline = Infinity;
for (let run = 0; run < 6; run++) baseline = Math.min(baseline, measure(1));
observer.disconnect();
const best = Math.max(0, Math.min(...deltas) - baseline);
console.log(
  JSON.stringify({
    framesPerRun: measuredFrames,
    heapDeltaBytes: deltas.map((d) => (Number.isFinite(d) ? d : 'gc')),
    baselineBytes: baseline,
    bytesPerFrame: best / (measuredFrames - 1),
    notes: counts[1] - notesBefore,
    hits: counts[2] - hitsBefore,
    tempoBpm: engine.tempoBpm,
  }),
);
