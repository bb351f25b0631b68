/**
 * Synthetic monophonic melodies and percussion patterns with known ground
 * truth, plus F1 matching, for the note and drum tests. Test-only.
 */
import { midiToHz, rng } from '../helpers/signals.ts';

/** A reference note: start and end in seconds, MIDI pitch, peak amplitude. */
export interface RefNote {
  start: number;
  end: number;
  midi: number;
  amp: number;
}

/** Options of {@link synthMelody}. */
export interface MelodyOptions {
  notes: number;
  seed: number;
  lowMidi: number;
  highMidi: number;
  /** Vibrato depth in cents (0 = none). */
  vibratoCents: number;
  /** Probability that a note follows the previous one with no gap (legato re-attack). */
  legato: number;
}

/**
 * A random monophonic melody of harmonic tones (6 harmonics, 1/h amplitudes:
 * a soft sawtooth), with 8 ms attacks, exponential decay, 20 ms releases,
 * rests of 0–150 ms (or none), durations 120–600 ms.
 */
export function synthMelody(sampleRate: number, o: MelodyOptions): { signal: Float32Array; notes: RefNote[] } {
  const r = rng(o.seed);
  const notes: RefNote[] = [];
  let t = 0.3;
  for (let i = 0; i < o.notes; i++) {
    const dur = 0.12 + 0.48 * r();
    const midi = o.lowMidi + Math.floor(r() * (o.highMidi - o.lowMidi + 1));
    const prev = notes[notes.length - 1];
    // Repeated pitches in legato are inaudible as two notes without a gap: always rest there.
    const gap = r() < o.legato && (!prev || prev.midi !== midi) ? 0 : 0.04 + 0.11 * r();
    if (i > 0) t += gap;
    notes.push({ start: t, end: t + dur, midi, amp: 0.15 + 0.45 * r() });
    t += dur;
  }
  const length = Math.ceil((t + 0.5) * sampleRate);
  const x = new Float64Array(length);
  for (const n of notes) {
    const f0 = midiToHz(n.midi);
    const i0 = Math.round(n.start * sampleRate);
    const i1 = Math.round(n.end * sampleRate);
    const release = Math.round(0.02 * sampleRate);
    let phase = 0;
    for (let i = i0; i < i1 + release && i < length; i++) {
      const tt = (i - i0) / sampleRate;
      const vib = o.vibratoCents > 0 ? 2 ** ((o.vibratoCents / 1200) * Math.sin(2 * Math.PI * 5.5 * tt)) : 1;
      phase += (2 * Math.PI * f0 * vib) / sampleRate;
      let env = Math.min(1, tt / 0.008) * (0.6 + 0.4 * Math.exp(-tt / 0.3));
      if (i >= i1) env *= 1 - (i - i1) / release;
      let s = 0;
      for (let h = 1; h <= 6; h++) if (f0 * h < sampleRate / 2.2) s += Math.sin(h * phase) / h;
      x[i] += n.amp * env * s * 0.6;
    }
  }
  return { signal: Float32Array.from(x), notes };
}

/** Kinds of synthetic drum sounds. */
export type DrumKind = 'kick' | 'snare' | 'hat';

/** A Butterworth (Q = 1/√2) high-pass biquad (RBJ cookbook), as a stateful sample function. */
function biquadHighpass(sampleRate: number, cutoffHz: number): (x: number) => number {
  const w = (2 * Math.PI * cutoffHz) / sampleRate;
  const alpha = Math.sin(w) / Math.SQRT2;
  const cos = Math.cos(w);
  const a0 = 1 + alpha;
  const b0 = (1 + cos) / 2 / a0;
  const b1 = -(1 + cos) / a0;
  const a1 = (-2 * cos) / a0;
  const a2 = (1 - alpha) / a0;
  let x1 = 0;
  let x2 = 0;
  let y1 = 0;
  let y2 = 0;
  return (x) => {
    const y = b0 * x + b1 * x1 + b0 * x2 - a1 * y1 - a2 * y2;
    x2 = x1;
    x1 = x;
    y2 = y1;
    y1 = y;
    return y;
  };
}

/** A reference drum hit. */
export interface RefHit {
  time: number;
  kind: DrumKind;
}

/**
 * A drum pattern: bars of 16 steps at `bpm` with kick / snare / closed-hat
 * lanes given as 16-character strings ('x' = hit). Synthesis: kick = sine
 * sweeping 150 → 50 Hz, 250 ms decay; snare = 185 Hz tone + noise low-passed
 * at 5 kHz (two one-poles, 12 dB/octave), 120 ms; closed hat = noise through a 4th-order
 * high-pass at 7 kHz and a one-pole low-pass at 15 kHz, 40 ms. A little white noise floor (−70 dBFS) throughout.
 */
export function synthDrums(sampleRate: number, bpm: number, bars: number, lanes: Record<DrumKind, string>, seed = 5): { signal: Float32Array; hits: RefHit[] } {
  const r = rng(seed);
  const step = 60 / bpm / 4;
  const hits: RefHit[] = [];
  for (let bar = 0; bar < bars; bar++) {
    for (let s = 0; s < 16; s++) {
      for (const kind of ['kick', 'snare', 'hat'] as const) {
        if (lanes[kind][s] === 'x') hits.push({ time: 0.25 + (bar * 16 + s) * step, kind });
      }
    }
  }
  const length = Math.ceil((0.25 + bars * 16 * step + 0.6) * sampleRate);
  const x = new Float64Array(length);
  for (let i = 0; i < length; i++) x[i] = 0.0003 * (r() * 2 - 1);
  for (const h of hits) {
    const i0 = Math.round(h.time * sampleRate);
    if (h.kind === 'kick') {
      let phase = 0;
      for (let i = 0; i0 + i < length && i < 0.5 * sampleRate; i++) {
        const t = i / sampleRate;
        phase += (2 * Math.PI * (50 + 100 * Math.exp(-t / 0.04))) / sampleRate;
        x[i0 + i] += 0.8 * Math.sin(phase) * Math.exp(-t / 0.25) * Math.min(1, t / 0.002);
      }
    } else if (h.kind === 'snare') {
      // Snare: a 185 Hz body plus wire noise through two one-pole low-passes at 5 kHz (12 dB/octave).
      let lp1 = 0;
      let lp2 = 0;
      const a = Math.exp((-2 * Math.PI * 5000) / sampleRate);
      for (let i = 0; i0 + i < length && i < 0.4 * sampleRate; i++) {
        const t = i / sampleRate;
        lp1 = (1 - a) * (r() * 2 - 1) + a * lp1;
        lp2 = (1 - a) * lp1 + a * lp2;
        x[i0 + i] += (0.25 * Math.sin(2 * Math.PI * 185 * t) * Math.exp(-t / 0.08) + 1.2 * lp2 * Math.exp(-t / 0.12)) * Math.min(1, t / 0.001);
      }
    } else {
      // Closed hat: white noise through a 4th-order high-pass at 7 kHz and a one-pole low-pass at 15 kHz.
      const hp = [biquadHighpass(sampleRate, 7000), biquadHighpass(sampleRate, 7000)];
      const a = Math.exp((-2 * Math.PI * 15000) / sampleRate);
      let lp = 0;
      for (let i = 0; i0 + i < length && i < 0.15 * sampleRate; i++) {
        const t = i / sampleRate;
        let v = r() * 2 - 1;
        for (const f of hp) v = f(v);
        lp = (1 - a) * v + a * lp;
        x[i0 + i] += 0.5 * lp * Math.exp(-t / 0.04);
      }
    }
  }
  return { signal: Float32Array.from(x), hits };
}

/**
 * Greedy one-to-one matching of detected to reference times within
 * `toleranceS`; returns precision, recall, F1 and the matched pairs.
 */
export function matchTimes(detected: number[], reference: number[], toleranceS: number): { precision: number; recall: number; f1: number; pairs: [number, number][] } {
  const used = new Set<number>();
  const pairs: [number, number][] = [];
  const order = detected.map((t, i) => [t, i] as const).sort((a, b) => a[0] - b[0]);
  for (const [t, i] of order) {
    let best = -1;
    let bestErr = toleranceS;
    reference.forEach((rt, j) => {
      const err = Math.abs(rt - t);
      if (!used.has(j) && err <= bestErr) {
        best = j;
        bestErr = err;
      }
    });
    if (best >= 0) {
      used.add(best);
      pairs.push([i, best]);
    }
  }
  const precision = detected.length ? pairs.length / detected.length : 0;
  const recall = reference.length ? pairs.length / reference.length : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, pairs };
}
