/**
 * Small synthetic test signals (float32, mono) and a helper that runs a
 * FeatureEngine over a whole signal, collecting copies of every frame and
 * every event. Test-only.
 */
import { FeatureEngine } from '../../dsp/features/feature-engine.ts';
import type { FeatureEngineOptions } from '../../dsp/features/feature-engine-options.ts';
import { seededUniform } from '../../models/runtime/random.ts';

/** A deterministic uniform PRNG in [0, 1): the runtime's seeded mulberry32. */
export const rng = seededUniform;

/** Sum of sines: `parts` = [frequency Hz, amplitude] pairs. */
export function sines(sampleRate: number, length: number, parts: [number, number][]): Float32Array {
  const x = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    let s = 0;
    for (const [f, a] of parts) s += a * Math.sin((2 * Math.PI * f * i) / sampleRate);
    x[i] = s;
  }
  return x;
}

/** White Gaussian noise of standard deviation `sigma`. */
export function whiteNoise(length: number, sigma: number, seed = 1): Float32Array {
  const r = rng(seed);
  const x = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const u = Math.max(r(), 1e-12);
    x[i] = sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
  }
  return x;
}

/** Single-sample clicks of amplitude `amp` every `period` samples, starting at `first`. */
export function clicks(length: number, period: number, amp: number, first = 0): Float32Array {
  const x = new Float32Array(length);
  for (let i = first; i < length; i += period) x[i] = amp;
  return x;
}

/** A constant. */
export function dc(length: number, value: number): Float32Array {
  return new Float32Array(length).fill(value);
}

/** Hard-clips a signal to ±limit (a new array). */
export function clip(x: Float32Array, limit: number): Float32Array {
  return x.map((v) => Math.max(-limit, Math.min(limit, v)));
}

/** MIDI note → Hz. */
export function midiToHz(midi: number): number {
  return 440 * 2 ** ((midi - 69) / 12);
}

/** A recorded note event. */
export interface NoteEvent {
  pitch: number;
  velocity: number;
  startSample: number;
  endSample: number;
}

/** A recorded drum hit. */
export interface DrumEvent {
  gmPitch: number;
  velocity: number;
  sample: number;
}

/** Everything an engine produced over a signal. */
export interface EngineRun {
  engine: FeatureEngine;
  frames: Float32Array[];
  frameIndices: number[];
  notes: NoteEvent[];
  drums: DrumEvent[];
  /** Tempo, beat phase and key after each frame. */
  tempo: number[];
  phase: number[];
  key: number[];
}

/**
 * Runs a new FeatureEngine over `signal`, pushed in chunks of `chunk` samples
 * (the AudioWorklet's 128 by default), then flushes the last note.
 */
export function runEngine(signal: Float32Array, options: Partial<FeatureEngineOptions>, chunk = 128): EngineRun {
  const engine = new FeatureEngine(options);
  const run: EngineRun = { engine, frames: [], frameIndices: [], notes: [], drums: [], tempo: [], phase: [], key: [] };
  const sink = {
    onFrame(k: number, f: Float32Array) {
      run.frames.push(f.slice());
      run.frameIndices.push(k);
      run.tempo.push(engine.tempoBpm);
      run.phase.push(engine.beatPhase);
      run.key.push(engine.keyIndex);
    },
    onNote(pitch: number, velocity: number, startSample: number, endSample: number) {
      run.notes.push({ pitch, velocity, startSample, endSample });
    },
    onDrumHit(gmPitch: number, velocity: number, sample: number) {
      run.drums.push({ gmPitch, velocity, sample });
    },
  };
  for (let i = 0; i < signal.length; i += chunk) engine.push(signal, i, Math.min(signal.length, i + chunk), sink);
  engine.flush(sink);
  return run;
}
