/**
 * FeatureEngine's contract: option validation, the causal framing
 * convention, identical output whatever the push chunking, reset, and
 * NaN/Inf/huge input that never throws, never poisons state and yields
 * finite outputs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FeatureEngine } from '../../../dsp/features/feature-engine.ts';
import { FEATURE_COUNT, FeatureIndex } from '../../../dsp/features/feature-names.ts';
import { FEATURE_ENGINE_DEFAULTS } from '../../../dsp/features/feature-engine-options.ts';
import { runEngine, sines, whiteNoise } from '../../helpers/signals.ts';

test('defaults: 48 kHz, frame 2048, hop 512', () => {
  const e = new FeatureEngine();
  assert.equal(e.sampleRate, 48000);
  assert.equal(e.frameSize, 2048);
  assert.equal(e.hopSize, 512);
  assert.equal(e.features.length, FEATURE_COUNT);
  assert.equal(FEATURE_ENGINE_DEFAULTS.frameSize, 2048);
});

test('invalid options throw a RangeError naming the option, the expectation and the value', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ frameSize: 1000 }, /frameSize must be a power of two.*got 1000/],
    [{ frameSize: 128 }, /frameSize must be a number in 256–32768.*got 128/],
    [{ hopSize: 48 }, /hopSize must be a power of two.*got 48/],
    [{ frameSize: 1024, hopSize: 2048 }, /hopSize \(2048\) must not exceed frameSize \(1024\)/],
    [{ sampleRate: 8000 }, /sampleRate must be a number in 22050–192000 Hz; got 8000/],
    [{ sampleRate: Number.NaN }, /sampleRate .* got NaN/],
    [{ sampleRate: '44100' }, /sampleRate .* got 44100/],
    [{ pitchMinHz: 10 }, /pitchMinHz/],
  ];
  for (const [options, message] of cases) {
    assert.throws(() => new FeatureEngine(options as never), (err: unknown) => err instanceof RangeError && message.test(err.message), JSON.stringify(options));
  }
  assert.throws(() => new FeatureEngine({ detectNotes: 'yes' as never }), /detectNotes must be a boolean/);
});

test('every power-of-two frame/hop and rates 22.05–192 kHz construct and run', () => {
  for (const [sampleRate, frameSize, hopSize] of [
    [22050, 256, 32],
    [22050, 4096, 4096],
    [192000, 8192, 1024],
    [192000, 256, 256],
    [32000, 32768, 8192],
  ]) {
    const run = runEngine(sines(sampleRate, frameSize + 3 * hopSize, [[330, 0.3]]), { sampleRate, frameSize, hopSize }, 1000);
    assert.equal(run.frames.length, 4, `${sampleRate}/${frameSize}/${hopSize}`);
    for (const f of run.frames) for (const v of f) assert.ok(Number.isFinite(v));
  }
});

test('framing: frame k covers [k·hop, k·hop + frameSize) and arrives when its last sample does', () => {
  const e = new FeatureEngine({ sampleRate: 48000, frameSize: 1024, hopSize: 256 });
  const seen: number[] = [];
  const sink = { onFrame: (k: number) => seen.push(k) };
  const x = new Float32Array(1024 + 2 * 256);
  e.push(x, 0, 1023, sink);
  assert.deepEqual(seen, [], 'no frame before frameSize samples');
  e.push(x, 1023, 1024, sink);
  assert.deepEqual(seen, [0]);
  e.push(x, 1024, 1024 + 255, sink);
  assert.deepEqual(seen, [0]);
  e.push(x, 1024 + 255, x.length, sink);
  assert.deepEqual(seen, [0, 1, 2]);
  assert.equal(e.framesEmitted, 3);
  assert.equal(e.samplesConsumed, x.length);
  // Frame k's rms is the rms of exactly those samples: put energy only in [512, 768).
  const y = new Float32Array(1024 + 4 * 256);
  y.fill(1, 512, 768);
  const run = runEngine(y, { sampleRate: 48000, frameSize: 1024, hopSize: 256 });
  const rms = run.frames.map((f) => f[FeatureIndex.rms]);
  // Frames 0, 1, 2 ([0,1024), [256,1280), [512,1536)) hold the 256 ones; frames 3 and 4 do not.
  for (const k of [0, 1, 2]) assert.ok(Math.abs(rms[k] - Math.sqrt(256 / 1024)) < 1e-6, `frame ${k}: ${rms[k]}`);
  assert.equal(rms[3], 0);
  assert.equal(rms[4], 0);
});

test('the same samples give bit-identical frames and events whatever the chunk sizes', () => {
  const signal = new Float32Array(48000);
  signal.set(sines(48000, 20000, [[220, 0.4], [440, 0.2]]), 4000);
  signal.set(whiteNoise(8000, 0.2, 7), 30000);
  const a = runEngine(signal, { sampleRate: 48000 }, 128);
  const b = runEngine(signal, { sampleRate: 48000 }, 1);
  const c = runEngine(signal, { sampleRate: 48000 }, 48000);
  const d = runEngine(signal, { sampleRate: 48000 }, 777);
  for (const other of [b, c, d]) {
    assert.equal(other.frames.length, a.frames.length);
    for (let k = 0; k < a.frames.length; k++) assert.deepEqual(other.frames[k], a.frames[k], `frame ${k}`);
    assert.deepEqual(other.notes, a.notes);
    assert.deepEqual(other.drums, a.drums);
  }
});

test('push honours start/end and the sink receives the engine features array itself', () => {
  const e = new FeatureEngine({ sampleRate: 48000, frameSize: 256, hopSize: 256 });
  const x = new Float32Array(1000).fill(0.5);
  let arrays = 0;
  let last: Float32Array | null = null;
  e.push(x, 100, 612, {
    onFrame: (_k, f) => {
      arrays++;
      assert.equal(f, e.features);
      last = f;
    },
  });
  assert.equal(arrays, 2);
  assert.ok(last !== null);
  assert.ok(Math.abs(e.features[FeatureIndex.rms] - 0.5) < 1e-7);
});

test('reset() restarts frame numbering and gives the same frames again', () => {
  const signal = sines(44100, 10000, [[300, 0.5]]);
  const e = new FeatureEngine({ sampleRate: 44100 });
  const first: Float32Array[] = [];
  const second: Float32Array[] = [];
  const indices: number[] = [];
  e.push(signal, 0, signal.length, { onFrame: (_k, f) => first.push(f.slice()) });
  e.reset();
  e.push(signal, 0, signal.length, { onFrame: (k, f) => (second.push(f.slice()), indices.push(k)) });
  assert.equal(indices[0], 0);
  assert.deepEqual(second, first);
});

test('NaN and ±Infinity samples count as 0, are counted, never throw and never poison later frames', () => {
  const clean = sines(48000, 24000, [[440, 0.5]]);
  const dirty = clean.slice();
  const bad = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  let inserted = 0;
  for (let i = 1000; i < dirty.length; i += 997) {
    dirty[i] = bad[inserted % 3];
    inserted++;
  }
  const zeroed = dirty.map((v) => (Number.isFinite(v) ? v : 0));
  const a = runEngine(dirty, { sampleRate: 48000 });
  const b = runEngine(zeroed, { sampleRate: 48000 });
  assert.equal(a.engine.nonFiniteCount, inserted);
  assert.equal(b.engine.nonFiniteCount, 0);
  assert.deepEqual(a.frames, b.frames);
  for (const f of a.frames) for (const v of f) assert.ok(Number.isFinite(v));
  // An all-NaN stretch is silence, and the engine recovers afterwards.
  const gap = clean.slice();
  gap.fill(Number.NaN, 5000, 15000);
  const c = runEngine(gap, { sampleRate: 48000 });
  for (const f of c.frames) for (const v of f) assert.ok(Number.isFinite(v));
  const lastFrame = c.frames[c.frames.length - 1];
  assert.equal(lastFrame[FeatureIndex.voiced], 1);
  assert.ok(Math.abs(lastFrame[FeatureIndex.rms] - 0.5 / Math.SQRT2) < 0.01, `rms ${lastFrame[FeatureIndex.rms]}`);
});

test('huge finite samples (±3.4e38) give finite outputs (clamped to the float32 range)', () => {
  const x = new Float32Array(8192);
  for (let i = 0; i < x.length; i++) x[i] = (i % 7 < 3 ? 1 : -1) * 3.4e38;
  const run = runEngine(x, { sampleRate: 44100 });
  assert.ok(run.frames.length > 0);
  for (const f of run.frames) for (const v of f) assert.ok(Number.isFinite(v), String(v));
});
