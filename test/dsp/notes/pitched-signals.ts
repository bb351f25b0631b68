/**
 * Seeded pitched sounds that are not drums, for the drum detector's
 * rejection tests: Karplus–Strong plucks and decaying harmonic tones over
 * C3–C6, and sine beeps (50–200 ms, 200–2000 Hz) with hard or click-free
 * onsets. Each generator returns the signal and the onset times (s).
 * Test-only.
 */
import { midiToHz, rng } from '../../helpers/signals.ts';

/** Sounds placed one after another, `spacingS` apart (onsets), from 0.25 s. */
export interface PitchedSequence {
  signal: Float32Array;
  /** Onset of each sound, seconds. */
  onsetsS: number[];
  /** MIDI pitch (plucks and tones) or frequency in Hz (beeps) of each sound. */
  pitches: number[];
}

/** Lowest and highest MIDI pitch of the plucks and tones: C3 and C6. */
export const PLUCK_LOW_MIDI = 48;
export const PLUCK_HIGH_MIDI = 84;

/** A 30 ms linear damping at the end of a sound `end` samples long (a damped string, not a cut). */
function release(i: number, end: number, sampleRate: number): number {
  return Math.min(1, (end - i) / (0.03 * sampleRate));
}

/**
 * Karplus–Strong plucked strings (K. Karplus & A. Strong, "Digital synthesis
 * of plucked-string and drum timbres", CMJ 7(2), 1983): a delay line of one
 * period filled with seeded noise, fed back through the two-point average
 * (with a decay factor ρ = 0.996 and a first-order all-pass for the
 * fractional delay, D. Jaffe & J. Smith 1983), `count` random pitches
 * C3–C6, `spacingS` apart, peak amplitude 0.2–0.6, 0.9 s each (damped over
 * the last 30 ms).
 */
export function plucks(sampleRate: number, count: number, seed: number, spacingS = 0.35): PitchedSequence {
  const r = rng(seed);
  const onsetsS: number[] = [];
  const pitches: number[] = [];
  const length = Math.ceil((0.25 + count * spacingS + 1) * sampleRate);
  const x = new Float64Array(length);
  for (let n = 0; n < count; n++) {
    const midi = PLUCK_LOW_MIDI + Math.floor(r() * (PLUCK_HIGH_MIDI - PLUCK_LOW_MIDI + 1));
    const amp = 0.2 + 0.4 * r();
    const t0 = 0.25 + n * spacingS;
    onsetsS.push(t0);
    pitches.push(midi);
    // Loop delay: N samples plus the average's half sample plus the all-pass's fraction.
    const period = sampleRate / midiToHz(midi);
    const whole = Math.floor(period - 0.5 - 0.001);
    const frac = period - 0.5 - whole;
    const c = (1 - frac) / (1 + frac);
    const line = new Float64Array(whole);
    let peak = 0;
    for (let i = 0; i < whole; i++) {
      line[i] = r() * 2 - 1;
      peak = Math.max(peak, Math.abs(line[i]));
    }
    let previous = 0;
    let apIn = 0;
    let apOut = 0;
    const i0 = Math.round(t0 * sampleRate);
    const end = Math.round(0.9 * sampleRate);
    for (let i = 0; i < end && i0 + i < length; i++) {
      const k = i % whole;
      const y = line[k];
      x[i0 + i] += (amp / peak) * y * release(i, end, sampleRate);
      const averaged = 0.996 * 0.5 * (y + previous);
      previous = y;
      const out = c * averaged + apIn - c * apOut;
      apIn = averaged;
      apOut = out;
      line[k] = out;
    }
  }
  return { signal: Float32Array.from(x), onsetsS, pitches };
}

/**
 * Decaying harmonic tones (8 harmonics, amplitude 1/h, harmonic h decaying
 * with time constant 0.5 s / h, a 2 ms attack): struck-string or mallet
 * notes, `count` random pitches C3–C6, `spacingS` apart, peak 0.15–0.5,
 * 0.9 s each (damped over the last 30 ms).
 */
export function harmonicTones(sampleRate: number, count: number, seed: number, spacingS = 0.35): PitchedSequence {
  const r = rng(seed);
  const onsetsS: number[] = [];
  const pitches: number[] = [];
  const length = Math.ceil((0.25 + count * spacingS + 1) * sampleRate);
  const x = new Float64Array(length);
  for (let n = 0; n < count; n++) {
    const midi = PLUCK_LOW_MIDI + Math.floor(r() * (PLUCK_HIGH_MIDI - PLUCK_LOW_MIDI + 1));
    const amp = 0.15 + 0.35 * r();
    const t0 = 0.25 + n * spacingS;
    onsetsS.push(t0);
    pitches.push(midi);
    const f0 = midiToHz(midi);
    const i0 = Math.round(t0 * sampleRate);
    const end = Math.round(0.9 * sampleRate);
    for (let i = 0; i < end && i0 + i < length; i++) {
      const t = i / sampleRate;
      let s = 0;
      for (let h = 1; h <= 8 && f0 * h < sampleRate / 2.2; h++) s += (Math.sin(2 * Math.PI * f0 * h * t) / h) * Math.exp((-t * h) / 0.5);
      x[i0 + i] += 0.5 * amp * s * Math.min(1, t / 0.002) * release(i, end, sampleRate);
    }
  }
  return { signal: Float32Array.from(x), onsetsS, pitches };
}

/**
 * Sine beeps: `count` beeps of random frequency 200–2000 Hz (log-uniform)
 * and length 50–200 ms, `spacingS` apart, amplitude 0.1–0.5. `hard` beeps
 * start at a random phase with no ramp and stop dead (a click at each end);
 * click-free beeps have 5 ms raised-cosine ramps.
 */
export function beeps(sampleRate: number, count: number, seed: number, hard: boolean, spacingS = 0.35): PitchedSequence {
  const r = rng(seed);
  const onsetsS: number[] = [];
  const pitches: number[] = [];
  const length = Math.ceil((0.25 + count * spacingS + 0.5) * sampleRate);
  const x = new Float64Array(length);
  const ramp = 0.005 * sampleRate;
  for (let n = 0; n < count; n++) {
    const hz = 200 * 10 ** r();
    const lengthSamples = Math.round((0.05 + 0.15 * r()) * sampleRate);
    const amp = 0.1 + 0.4 * r();
    const phase0 = hard ? 2 * Math.PI * r() : 0;
    const t0 = 0.25 + n * spacingS;
    onsetsS.push(t0);
    pitches.push(hz);
    const i0 = Math.round(t0 * sampleRate);
    for (let i = 0; i < lengthSamples; i++) {
      const edge = Math.min(i, lengthSamples - 1 - i);
      const env = hard || edge >= ramp ? 1 : 0.5 - 0.5 * Math.cos((Math.PI * edge) / ramp);
      x[i0 + i] += amp * env * Math.sin(phase0 + (2 * Math.PI * hz * i) / sampleRate);
    }
  }
  return { signal: Float32Array.from(x), onsetsS, pitches };
}
