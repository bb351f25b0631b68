/**
 * Options of the real-time feature engine, their defaults and ranges, in one
 * place. The same plain object serves as constructor argument, preset and
 * state.
 */
import { ANALYSIS_FRAME_SIZE, ANALYSIS_HOP_SIZE } from '../../protocol/features.ts';

/** Options of {@link FeatureEngine}. Every field is optional in the constructor. */
export interface FeatureEngineOptions {
  /** Sample rate of the input, in Hz. Range 22050–192000. Default 48000. */
  sampleRate: number;
  /** Analysis frame length, in samples: a power of two, 256–32768. Default 2048. */
  frameSize: number;
  /** Hop between frames, in samples: a power of two, 32–frameSize. Default 512. */
  hopSize: number;
  /** Lowest detectable fundamental, in Hz (40–1000). Default 50. */
  pitchMinHz: number;
  /** Highest detectable fundamental, in Hz (pitchMinHz·2–4000). Default 2000. */
  pitchMaxHz: number;
  /** YIN absolute threshold on the cumulative mean normalised difference (0.01–0.5). Default 0.15. */
  yinThreshold: number;
  /** Frames quieter than this RMS level, in dBFS, are unvoiced and start no events (−120–0). Default −60. */
  silenceDbfs: number;
  /** Emit note events (`sink.onNote`). Default true. */
  detectNotes: boolean;
  /** Emit drum hits (`sink.onDrumHit`). Default true. */
  detectDrums: boolean;
}

/** The defaults (librosa's frame 2048 / hop 512 at 48 kHz). */
export const FEATURE_ENGINE_DEFAULTS: Readonly<FeatureEngineOptions> = Object.freeze({
  sampleRate: 48000,
  frameSize: ANALYSIS_FRAME_SIZE,
  hopSize: ANALYSIS_HOP_SIZE,
  pitchMinHz: 50,
  pitchMaxHz: 2000,
  yinThreshold: 0.15,
  silenceDbfs: -60,
  detectNotes: true,
  detectDrums: true,
});

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

function checkRange(name: string, value: unknown, min: number, max: number, unit: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new RangeError(`FeatureEngine: ${name} must be a number in ${min}–${max} ${unit}; got ${String(value)}`);
  }
  return value;
}

function checkPowerOfTwo(name: string, value: unknown, min: number, max: number): number {
  checkRange(name, value, min, max, 'samples');
  if (!isPowerOfTwo(value as number)) {
    throw new RangeError(`FeatureEngine: ${name} must be a power of two (${min}, ${min * 2}, … ${max}); got ${String(value)}`);
  }
  return value as number;
}

/**
 * Fills in defaults and validates every field.
 * @throws RangeError naming the field, the expected range and the value received.
 */
export function resolveFeatureEngineOptions(options: Partial<FeatureEngineOptions> = {}): FeatureEngineOptions {
  const o: FeatureEngineOptions = { ...FEATURE_ENGINE_DEFAULTS, ...options };
  checkRange('sampleRate', o.sampleRate, 22050, 192000, 'Hz');
  checkPowerOfTwo('frameSize', o.frameSize, 256, 32768);
  checkPowerOfTwo('hopSize', o.hopSize, 32, 32768);
  if (o.hopSize > o.frameSize) {
    throw new RangeError(`FeatureEngine: hopSize (${o.hopSize}) must not exceed frameSize (${o.frameSize})`);
  }
  checkRange('pitchMinHz', o.pitchMinHz, 40, 1000, 'Hz');
  checkRange('pitchMaxHz', o.pitchMaxHz, o.pitchMinHz * 2, 4000, 'Hz');
  checkRange('yinThreshold', o.yinThreshold, 0.01, 0.5, '');
  checkRange('silenceDbfs', o.silenceDbfs, -120, 0, 'dBFS');
  if (typeof o.detectNotes !== 'boolean') throw new TypeError(`FeatureEngine: detectNotes must be a boolean; got ${String(o.detectNotes)}`);
  if (typeof o.detectDrums !== 'boolean') throw new TypeError(`FeatureEngine: detectDrums must be a boolean; got ${String(o.detectDrums)}`);
  return o;
}
