/**
 * Child-process probe for the zero-allocation test (run with --expose-gc):
 * drives an AudioCore block by block, as the processor does, with events in
 * every block: MIDI in (note-ons and note-offs, logged, recorded, thru), MIDI
 * clock at 120 BPM into the clock follower (sync source MIDI clock, no Start:
 * the follower fits every tick while the clock runs free), a parameter
 * change every 50 blocks, audio analysis of a tone with noise
 * bursts, the GUI and log streams (buffers handed back as the node and the
 * worker do) and scheduled MIDI out draining from a long reply planned
 * during warm-up, and the phrase updates sent once a beat (buffers handed
 * back as the worker does). Reports the heap growth per block over fourteen measured runs
 * (or 'gc' if a collection happened during one) net of the measurement's own
 * cost, as one JSON line. A note is held at the end of every block, so no phrase ends and
 * no request (which allocates its transferred notes by design) falls in the
 * measured runs. Not a test file itself.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { AudioCore } from '../../dsp/core/audio-core.ts';
import type { CoreHost } from '../../dsp/core/core-host.ts';
import { PARAMETER_INDEX as P } from '../../protocol/parameters.ts';
import type { NodeToProcessor, ProcessorToNode } from '../../protocol/node-processor.ts';
import type { ProcessorToWorker, WorkerToProcessor } from '../../protocol/processor-worker.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('core-alloc-probe: run with node --expose-gc');

const SR = 48000;
/** Measured runs: the JIT settles late; a real per-block allocation shows in every run. */
const RUNS = 14;
const QUANTUM = 128;
const counts = new Int32Array(4);
// Reused hand-back messages: the probe must not allocate either.
const returnFeatures = { type: 'return-features', frames: new Float32Array(0) } as Extract<NodeToProcessor, { type: 'return-features' }>;
const returnLog = { type: 'return-log-buffers', features: null, events: null } as Extract<WorkerToProcessor, { type: 'return-log-buffers' }>;
const updated = { type: 'phrase-updated', id: 0, notes: new Float64Array(0) } as Extract<WorkerToProcessor, { type: 'phrase-updated' }>;
let phraseUpdates = 0;

const host: CoreHost = {
  workerConnected: true,
  toNode(message: ProcessorToNode) {
    counts[0]++;
    if (message.type === 'features') {
      returnFeatures.frames = message.frames;
      core.onNodeMessage(returnFeatures, 0);
    }
  },
  toWorker(message: ProcessorToWorker) {
    counts[1]++;
    if (message.type === 'log-batch') {
      returnLog.features = message.features;
      returnLog.events = message.events;
      core.onWorkerMessage(returnLog, 0, 'probe');
    }
    if (message.type === 'phrase-update') {
      // The worker hands each phrase update's buffer back (one is in flight at most).
      phraseUpdates++;
      updated.id = message.id;
      updated.notes = message.notes;
      core.onWorkerMessage(updated, 0, 'probe');
    }
  },
  emitMidi() {
    counts[2]++;
  },
};
const core = new AudioCore(SR, host);
core.parameters.set(P.mode, 1);
core.parameters.set(P.syncSource, 1);
// The worker is ready: the phrase being played goes to it once a beat.
core.onWorkerMessage({ type: 'ready' }, 0, 'probe');

// A 4 s stereo loop (a steady tone: notes found in the audio are copied once per GUI batch by design, so the signal has none), cut into block views up front: the probe's own per-block work allocates nothing.
const LOOP_BLOCKS = (4 * SR) / QUANTUM;
const loop = [new Float32Array(4 * SR), new Float32Array(4 * SR)];
for (let c = 0; c < 2; c++) {
  for (let i = 0; i < loop[c].length; i++) {
    const t = i / SR;
    loop[c][i] = 0.3 * Math.sin(2 * Math.PI * 220 * t);
  }
}
const blocks: Float32Array[][] = [];
for (let k = 0; k < LOOP_BLOCKS; k++) blocks.push([loop[0].subarray(k * QUANTUM, (k + 1) * QUANTUM), loop[1].subarray(k * QUANTUM, (k + 1) * QUANTUM)]);
const on = [0x90, 60, 100];
const off = [0x80, 60, 0];
let frame = 0;
let block = 0;
/**
 * Event times, made up front in an array of boxed numbers (as WAM events
 * carry them): a double computed here and passed to the core would be boxed
 * by this probe, not by the core.
 */
const TOTAL_BLOCKS = 3000 + RUNS * 2000 + 6 + 10;
const times: unknown[] = ['tagged'];
for (let b = 0; b < TOTAL_BLOCKS; b++) times.push((b * QUANTUM + 10) / SR, (b * QUANTUM + 90) / SR);
/** MIDI clock: a tick every 1000 frames (120 BPM), its times boxed up front too. */
const TICK_FRAMES = 1000;
const tickTimes: unknown[] = ['tagged'];
for (let k = 0; k * TICK_FRAMES < TOTAL_BLOCKS * QUANTUM; k++) tickTimes.push((k * TICK_FRAMES + 5) / SR);
const tick = [0xf8, 0, 0];
let nextTick = 0;
/** Temperature values to automate, boxed up front for the same reason. */
const temperatures: unknown[] = ['tagged'];
for (let k = 0; k < 100; k++) temperatures.push(0.5 + k / 200);
function runBlocks(count: number): void {
  for (let n = 0; n < count; n++, block++, frame += QUANTUM) {
    core.beginBlock(frame);
    // Each note ends in the next block, after the next has started: a note is always held at the block's end.
    off[1] = on[1];
    on[1] = 60 + (block % 12);
    core.midiIn(on, times[1 + 2 * block] as number);
    core.midiIn(off, times[2 + 2 * block] as number);
    while (nextTick * TICK_FRAMES + 5 < frame + QUANTUM) core.midiIn(tick, tickTimes[1 + nextTick++] as number);
    if (block % 50 === 0) core.parameters.set(P.temperature, temperatures[1 + (block % 100)] as number);
    core.endBlock(blocks[block % LOOP_BLOCKS]);
  }
}

// Warm-up, with a long answer to play during the measured runs.
const answer = new Float64Array(4000 * 4);
for (let i = 0; i < 2000; i++) {
  // 120 BPM free clock: beat b is frame b·24000; notes every 1/8 beat from beat 2 on.
  answer.set([2 + i / 8, 0x91, 50 + (i % 20), 80], i * 8);
  answer.set([2 + i / 8 + 1 / 16, 0x81, 50 + (i % 20), 0], i * 8 + 4);
}
core.onWorkerMessage({ type: 'music', id: 1, targetStartBeat: 0, targetLengthBeats: 256, events: answer }, frame, 'probe');
runBlocks(3000);

function measure(blocks: number): number {
  gc!();
  gc!();
  const before = process.memoryUsage().heapUsed;
  runBlocks(blocks);
  return process.memoryUsage().heapUsed - before;
}

let gcSeen = 0;
const observer = new PerformanceObserver((list) => {
  gcSeen += list.getEntries().length;
});
observer.observe({ entryTypes: ['gc'] });
const measuredBlocks = 2000;
const emittedBefore = counts[2];
const updatesBefore = phraseUpdates;
const deltas: number[] = [];
for (let run = 0; run < RUNS; run++) {
  await new Promise((resolve) => setTimeout(resolve, 20));
  gcSeen = 0;
  const delta = measure(measuredBlocks);
  await new Promise((resolve) => setTimeout(resolve, 20));
  deltas.push(gcSeen > 2 ? Number.POSITIVE_INFINITY : delta);
}
let baseline = Infinity;
for (let run = 0; run < 6; run++) baseline = Math.min(baseline, measure(1));
observer.disconnect();
const best = Math.max(0, Math.min(...deltas) - baseline);
console.log(JSON.stringify({
  blocksPerRun: measuredBlocks,
  heapDeltaBytes: deltas.map((d) => (Number.isFinite(d) ? d : 'gc')),
  baselineBytes: baseline,
  bytesPerBlock: best / (measuredBlocks - 1),
  midiOutDuringRuns: counts[2] - emittedBefore,
  workerMessages: counts[1],
  nodeMessages: counts[0],
  skippedLogRecords: core.streams.skippedLogRecords,
  held: core.recorder.heldCount,
  phraseUpdatesDuringRuns: phraseUpdates - updatesBefore,
}));
