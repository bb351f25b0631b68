/**
 * A synthetic live session at the real data rates, generated
 * deterministically from a seed, so a test can write it, reload the page and
 * regenerate exactly what it expects to read back. Used by the browser tests
 * and by bench/log.ts.
 *
 * Default rates per second of audio (a busy improvisation):
 * 93.75 feature frames of 36 features (hop 512 at 48 kHz), 4 notes in and
 * 4 notes out (on + off), MIDI clock in at 120 BPM (48 messages), 2 CC,
 * 5 pitch bends, 1 parameter change, 3 notes detected from audio, an
 * analysis record every 2 s, a model call with a 256-d latent and two
 * 16-note phrases every 4 s, a transport change every 30 s, a marker every 60 s.
 */
import type { LogRecord } from '../../../log/records.ts';
import type { SessionMetaInput } from '../../../log/session-meta.ts';
import type { Phrase } from '../../../protocol/phrase.ts';
import { seededUniform } from '../../../models/runtime/random.ts';

/** The DESIGN.md feature columns (35) and one spare, 36 features in all. */
export const SYNTHETIC_FEATURE_NAMES = [
  'rms', 'zcr', 'centroid_hz', 'bandwidth_hz', 'rolloff_hz', 'flux', 'flatness',
  ...Array.from({ length: 13 }, (_, i) => `mfcc_${i}`),
  ...Array.from({ length: 12 }, (_, i) => `chroma_${i}`),
  'f0_hz', 'voiced', 'onset_strength', 'spare_0',
];

/** Options of {@link SyntheticSession}. */
export interface SyntheticOptions {
  /** PRNG seed (default 1). */
  seed: number;
  sampleRateHz: number;
  hopSamples: number;
  /** Feature names (default {@link SYNTHETIC_FEATURE_NAMES}). */
  featureNames: string[];
  /** Notes per second played in, and generated out (default 4 each). */
  notesPerSecond: number;
  /** Send MIDI clock in at 120 BPM (default true). */
  clock: boolean;
  /** Wall-clock start, ms since epoch (default 1.7e12). */
  wallStartMs: number;
  /** Audio-clock start, seconds (default 2). */
  audioStartTimeS: number;
}

/** One second of the session. */
export interface SyntheticSecond {
  /** Hop index of the first feature frame in this second. */
  firstHopIndex: number;
  frameCount: number;
  /** Frame-major feature values. */
  features: Float32Array;
  /** The other records, in time order. */
  events: LogRecord[];
}

/** mulberry32, the runtime's seeded PRNG. */
const prng = seededUniform;

/** Generates a session second by second. */
export class SyntheticSession {
  readonly options: SyntheticOptions;

  constructor(options: Partial<SyntheticOptions> = {}) {
    this.options = {
      seed: 1, sampleRateHz: 48000, hopSamples: 512, featureNames: SYNTHETIC_FEATURE_NAMES, notesPerSecond: 4, clock: true,
      wallStartMs: 1_700_000_000_000, audioStartTimeS: 2, ...options,
    };
  }

  /** The meta to start the session with. */
  meta(name = 'synthetic'): SessionMetaInput {
    const o = this.options;
    return {
      name,
      wallStartMs: o.wallStartMs,
      audioStartTimeS: o.audioStartTimeS,
      sampleRateHz: o.sampleRateHz,
      pluginVersion: '0.1.0-test',
      host: { name: 'synthetic host', version: '1' },
      stateAtStart: { parameters: { mode: 1, temperature: 0.8 }, preset: 'default' },
      features: { names: o.featureNames, hopSamples: o.hopSamples, sampleRateHz: o.sampleRateHz, originFrame: Math.round(o.audioStartTimeS * o.sampleRateHz) },
    };
  }

  /** Feature frames per second. */
  get framesPerSecond(): number {
    return this.options.sampleRateHz / this.options.hopSamples;
  }

  /** Second `s` (0-based) of the session. */
  second(s: number): SyntheticSecond {
    const o = this.options;
    const rand = prng(o.seed * 100003 + s);
    const f = o.featureNames.length;
    const firstHopIndex = Math.ceil(s * this.framesPerSecond);
    const frameCount = Math.ceil((s + 1) * this.framesPerSecond) - firstHopIndex;
    const features = new Float32Array(frameCount * f);
    for (let i = 0; i < frameCount; i++) {
      const t = (firstHopIndex + i) / this.framesPerSecond;
      for (let j = 0; j < f; j++) {
        // Slow sinusoids per feature plus a little noise: moves like real features, compresses like them.
        const scale = j === 2 || j === 3 || j === 4 ? 3000 : j === 32 ? 440 : 1;
        features[i * f + j] = scale * (0.5 + 0.4 * Math.sin(0.3 * t * (1 + j * 0.07) + j) + 0.02 * (rand() - 0.5));
      }
    }
    const events: LogRecord[] = [];
    const at = (offsetS: number): { audioTimeS: number; frame: number; wallTimeMs: number } => {
      const frame = Math.round((o.audioStartTimeS + s + offsetS) * o.sampleRateHz);
      return { frame, audioTimeS: frame / o.sampleRateHz, wallTimeMs: Math.round(o.wallStartMs + (s + offsetS) * 1000) };
    };
    const midi = (direction: 'in' | 'out', source: string, offsetS: number, ...bytes: number[]): void => {
      events.push({ kind: 'midi', direction, source, bytes: Uint8Array.from(bytes), ...at(offsetS) });
    };
    for (let n = 0; n < o.notesPerSecond; n++) {
      const start = (n + rand() * 0.5) / o.notesPerSecond;
      const pitch = 48 + Math.floor(rand() * 36);
      midi('in', 'host', start, 0x90, pitch, 40 + Math.floor(rand() * 80));
      midi('in', 'host', start + 0.1 + rand() * 0.1, 0x80, pitch, 0);
      const outPitch = 48 + Math.floor(rand() * 36);
      midi('out', 'generated', start + 0.05, 0x91, outPitch, 90);
      midi('out', 'generated', start + 0.2, 0x91, outPitch, 0);
    }
    if (o.clock) for (let c = 0; c < 48; c++) midi('in', 'host', c / 48, 0xf8);
    for (let c = 0; c < 2; c++) midi('in', 'webmidi', 0.25 + c * 0.5, 0xb0, 1, Math.floor(rand() * 128));
    for (let c = 0; c < 5; c++) midi('in', 'webmidi', 0.6 + c * 0.02, 0xe0, Math.floor(rand() * 128), Math.floor(rand() * 128));
    events.push({ kind: 'param', id: 'temperature', value: Math.round(rand() * 1000) / 1000, source: 'gui', ...at(0.4) });
    for (let n = 0; n < 3; n++) {
      events.push({ kind: 'note', source: 'audio-notes', pitch: 50 + Math.floor(rand() * 30), velocity: 60 + Math.floor(rand() * 60), durationS: 0.15 + rand() * 0.2, confidence: Math.round(rand() * 100) / 100, ...at(n / 3 + 0.01) });
    }
    if (s % 2 === 0) events.push({ kind: 'analysis', tempoBpm: 120 + Math.round(rand() * 10) / 10, keyRoot: 9, keyScale: 'minor', confidence: 0.8, ...at(0.5) });
    if (s % 4 === 0) {
      const phrase = (source: Phrase['source']): Phrase => ({
        source, lengthBeats: 8, tempoBpm: 120, beatsPerBar: 4,
        notes: Array.from({ length: 16 }, (_, k) => ({ pitch: 60 + Math.floor(rand() * 12), velocity: 90, startBeats: k * 0.5, durationBeats: 0.4 })),
      });
      const latent = new Float32Array(256);
      for (let k = 0; k < 256; k++) latent[k] = rand() * 4 - 2;
      events.push({ kind: 'model', model: 'melody', call: 'generate', latent, elapsedMs: Math.round(rand() * 300) / 10, input: phrase('host-midi'), output: phrase('generated'), detail: { temperature: 0.8 }, ...at(0.7) });
    }
    if (s % 30 === 0) {
      events.push({ kind: 'transport', playing: true, tempoBpm: 120, timeSigNumerator: 4, timeSigDenominator: 4, currentBar: s / 2, currentBarStartedS: o.audioStartTimeS + s, ...at(0) });
    }
    if (s % 60 === 59) events.push({ kind: 'marker', label: `minute ${(s + 1) / 60}`, color: '#e91', ...at(0.9) });
    events.sort((a, b) => a.audioTimeS - b.audioTimeS);
    return { firstHopIndex, frameCount, features, events };
  }
}
