/**
 * Feature-extraction benchmark, side by side in one run, per 2048-sample
 * frame at 48 kHz (hop 512) over the same 8 s of test audio (tones, chords,
 * noise bursts, clicks):
 *
 * - `ours_ms`: FeatureEngine.push, the full set (35 features, notes, drum
 *   hits, tempo, key), fed in 128-sample render quanta as in the worklet;
 * - `meyda_ms`: `Meyda.extract` of the features Meyda has (rms, zcr,
 *   spectralCentroid, spectralSpread, spectralRolloff, spectralFlatness,
 *   mfcc, chroma; its spectralFlux throws);
 * - `essentia_ms`: essentia.js (WASM, AGPL: benchmark only) for the same set
 *   plus flux and YIN pitch: Windowing, Spectrum, Centroid, RollOff,
 *   Flatness, Flux, MFCC, ZeroCrossingRate, RMS, SpectralPeaks + HPCP,
 *   PitchYin;
 * - `fft_ms`: the floor, one fft.js `realTransform` of a 2048-sample frame;
 * - `alloc_bytes_per_frame`: heap growth per frame of FeatureEngine.push
 *   after warm-up (the least of 6 runs of 3000 frames, no GC in between, net
 *   of the measurement's own cost, i.e. the same runs with one frame).
 *
 * Times are CPU time. The passes of ours, the FFT floor and Meyda are
 * interleaved (5 rounds) and each keeps its best, so a busy machine slows all
 * of them alike; essentia.js, far slower, is timed over 120 frames, best of
 * 2. Prints nothing: bench/index.ts prints the table / JSON.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import FFT from 'fft.js';
import Meyda from 'meyda';
import { FeatureEngine } from '../dsp/features/feature-engine.ts';
import type { FeatureSink } from '../dsp/features/feature-sink.ts';

const SAMPLE_RATE = 48000;
const FRAME = 2048;
const HOP = 512;
const SECONDS = 8;
const ROUNDS = 5;

/** Per-frame times in milliseconds and the steady-state allocation. */
export interface FeatureBench {
  ours_ms: number;
  meyda_ms: number;
  essentia_ms: number;
  fft_ms: number;
  alloc_bytes_per_frame: number;
}

/** Deterministic test audio: a melody, a chord, noise bursts and clicks. */
function testAudio(): Float32Array {
  const x = new Float32Array(SECONDS * SAMPLE_RATE);
  let seed = 7;
  const noise = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647 - 0.5;
  };
  for (let i = 0; i < x.length; i++) {
    const t = i / SAMPLE_RATE;
    const f = [220, 247, 262, 294, 330, 349, 392, 440][Math.floor(t * 2) % 8];
    let s = 0.3 * Math.sin(2 * Math.PI * f * t) + 0.1 * Math.sin(4 * Math.PI * f * t);
    if (t % 2 > 1) s += 0.1 * (Math.sin(2 * Math.PI * 523 * t) + Math.sin(2 * Math.PI * 659 * t));
    if (t % 0.5 < 0.03) s += noise();
    if (i % 24000 === 0) s += 0.8;
    x[i] = s;
  }
  return x;
}

/**
 * Time of one call of `fn`, in ms: the process's CPU time (user + system),
 * which a busy shared machine disturbs far less than wall time.
 */
function time(fn: () => void): number {
  const t0 = process.cpuUsage();
  fn();
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / 1000;
}

/** A gc() even without --expose-gc on the command line (V8 flag set at run time). */
function getGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Runs the benchmark; prints nothing. */
export async function benchFeatures(): Promise<FeatureBench> {
  const audio = testAudio();
  const frames = Math.floor((audio.length - FRAME) / HOP) + 1;
  const starts = Array.from({ length: frames }, (_, k) => k * HOP);

  // Ours: the whole engine, in 128-sample quanta.
  const engine = new FeatureEngine({ sampleRate: SAMPLE_RATE, frameSize: FRAME, hopSize: HOP });
  const counts = new Int32Array(1);
  const sink: FeatureSink = {
    onFrame() {
      counts[0]++;
    },
    onNote() {},
    onDrumHit() {},
  };
  const runOurs = () => {
    engine.reset();
    for (let i = 0; i < audio.length; i += 128) engine.push(audio, i, Math.min(audio.length, i + 128), sink);
  };
  runOurs();

  // The FFT floor: fft.js realTransform of one frame, cycling through 64 prepared frames.
  const fft = new FFT(FRAME);
  const out = new Float64Array(2 * FRAME);
  const prepared = Array.from({ length: 64 }, (_, j) => Float64Array.from(audio.subarray(starts[j * 5], starts[j * 5] + FRAME)));
  const runFft = () => {
    for (let k = 0; k < frames; k++) fft.realTransform(out, prepared[k & 63]);
  };
  runFft();

  // Meyda: its global configuration, the features it has.
  const meyda = Meyda as unknown as { bufferSize: number; sampleRate: number; windowingFunction: string; extract(f: string[], s: Float32Array): unknown };
  meyda.bufferSize = FRAME;
  meyda.sampleRate = SAMPLE_RATE;
  meyda.windowingFunction = 'hanning';
  const meydaFeatures = ['rms', 'zcr', 'spectralCentroid', 'spectralSpread', 'spectralRolloff', 'spectralFlatness', 'mfcc', 'chroma'];
  const runMeyda = () => {
    for (let k = 0; k < frames; k++) meyda.extract(meydaFeatures, audio.subarray(starts[k], starts[k] + FRAME));
  };
  runMeyda();
  let oursBest = Infinity;
  let fftBest = Infinity;
  let meydaBest = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    oursBest = Math.min(oursBest, time(runOurs));
    fftBest = Math.min(fftBest, time(runFft));
    meydaBest = Math.min(meydaBest, time(runMeyda));
  }

  // essentia.js (WASM); every returned vector is freed.
  // Loaded by name at run time (the package ships no type declarations; AGPL, benchmark only).
  const essentiaModule = 'essentia.js';
  const essentiaPkg = (await import(essentiaModule)).default as { EssentiaWASM: unknown; Essentia: new (w: unknown) => any };
  const { EssentiaWASM, Essentia } = essentiaPkg;
  const essentia = new Essentia(EssentiaWASM);
  let previousSpectrum: any = null;
  // essentia.js is slow per call (each algorithm is built per call): time the first 120 frames.
  const essentiaFrames = Math.min(frames, 120);
  const runEssentia = () => {
    for (let k = 0; k < essentiaFrames; k++) {
      const signal = essentia.arrayToVector(audio.subarray(starts[k], starts[k] + FRAME));
      const windowed = essentia.Windowing(signal, true, FRAME, 'hann').frame;
      const spectrum = essentia.Spectrum(windowed, FRAME).spectrum;
      essentia.Centroid(spectrum, SAMPLE_RATE / 2);
      essentia.RollOff(spectrum, 0.85, SAMPLE_RATE);
      essentia.Flatness(spectrum);
      essentia.Flux(spectrum);
      const mfcc = essentia.MFCC(spectrum, 2, SAMPLE_RATE / 2, FRAME / 2 + 1, 0, 'dbamp', 0, 'unit_sum', 40, 13, SAMPLE_RATE);
      essentia.ZeroCrossingRate(signal);
      essentia.RMS(signal);
      const peaks = essentia.SpectralPeaks(spectrum);
      const hpcp = essentia.HPCP(peaks.frequencies, peaks.magnitudes);
      essentia.PitchYin(signal, FRAME, true, 2000, 50, SAMPLE_RATE, 0.15);
      for (const v of [signal, windowed, mfcc.mfcc, mfcc.bands, peaks.frequencies, peaks.magnitudes, hpcp.hpcp]) v.delete();
      previousSpectrum?.delete();
      previousSpectrum = spectrum;
    }
  };
  runEssentia();
  const essentiaMs = Math.min(time(runEssentia), time(runEssentia)) / essentiaFrames;
  previousSpectrum?.delete();
  previousSpectrum = null;

  // Allocation: heap growth over 3000 frames with no collection in between, least of 6 runs.
  const gc = getGc();
  const pushFrames = (count: number) => {
    const target = counts[0] + count;
    let i = 0;
    while (counts[0] < target) {
      engine.push(audio, i, Math.min(audio.length, i + 128), sink);
      i = i + 128 >= audio.length ? 0 : i + 128;
    }
  };
  engine.reset();
  pushFrames(10000);
  const growth = (count: number) => {
    gc();
    gc();
    const before = process.memoryUsage().heapUsed;
    pushFrames(count);
    return process.memoryUsage().heapUsed - before;
  };
  let leastBytes = Infinity;
  let baseline = Infinity;
  for (let run = 0; run < 6; run++) {
    leastBytes = Math.min(leastBytes, growth(3000));
    // The measurement's own cost (gc(), memoryUsage(), and the inline-cache data V8 re-creates
    // on the first frames after a forced full GC): the same with one frame.
    baseline = Math.min(baseline, growth(1));
  }
  leastBytes = Math.max(0, leastBytes - baseline);

  return {
    ours_ms: oursBest / frames,
    meyda_ms: meydaBest / frames,
    essentia_ms: essentiaMs,
    fft_ms: fftBest / frames,
    alloc_bytes_per_frame: leastBytes / 2999,
  };
}
