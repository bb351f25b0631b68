/**
 * WAV file → mono float32 samples for `deep-improv analyze`, through the
 * `wavefile` package. Accepts PCM 8/16/24/32-bit integer and IEEE float
 * 32/64-bit, in RIFF, RIFX or RF64 containers, plain or WAVE_FORMAT_EXTENSIBLE.
 * Integers are scaled by 2^(bits−1) (8-bit is unsigned, offset 128), the
 * convention of libsndfile and librosa, so full scale is [−1, 1); channels
 * are averaged to mono.
 */
import { readFileSync } from 'node:fs';
import wavefile from 'wavefile';

/** A decoded WAV file. */
export interface WavAudio {
  /** Sample rate, Hz. */
  sampleRate: number;
  /** Channels in the file (before mixing to mono). */
  channels: number;
  /** The file's sample encoding, e.g. '16' (PCM) or '32f' (float). */
  encoding: string;
  /** Mono samples (the mean of the channels), float32. */
  samples: Float32Array;
}

/** WAVE_FORMAT codes we decode. */
const PCM = 1;
const FLOAT = 3;
const EXTENSIBLE = 0xfffe;

interface FmtChunk {
  audioFormat: number;
  numChannels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** WAVE_FORMAT_EXTENSIBLE: the sub-format GUID as four 32-bit words; the first holds the format code. */
  subformat?: number[];
}

/**
 * Decodes WAV bytes. `name` only labels error messages.
 * @throws Error saying what was expected and what the file holds.
 */
export function decodeWav(bytes: Uint8Array, name = 'input'): WavAudio {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 12));
  if (!/^(RIFF|RIFX|RF64)....WAVE$/s.test(head)) {
    const shown = JSON.stringify(head.replace(/[^\x20-\x7e]/g, '.'));
    throw new Error(`${name}: not a WAV file (expected a RIFF/RIFX/RF64 header with WAVE, found ${bytes.length < 12 ? `${bytes.length} bytes` : shown})`);
  }
  const wav = new wavefile.WaveFile();
  try {
    wav.fromBuffer(bytes);
  } catch (error) {
    throw new Error(`${name}: damaged WAV file (${error instanceof Error ? error.message : String(error)})`);
  }
  const fmt = wav.fmt as FmtChunk;
  const code = fmt.audioFormat === EXTENSIBLE && fmt.subformat ? fmt.subformat[0] : fmt.audioFormat;
  const bits = fmt.bitsPerSample;
  const isPcm = code === PCM && [8, 16, 24, 32].includes(bits);
  const isFloat = code === FLOAT && (bits === 32 || bits === 64);
  if (!isPcm && !isFloat) {
    throw new Error(
      `${name}: unsupported WAV encoding (format code ${code}, ${bits} bits per sample); expected PCM 8/16/24/32-bit integer or IEEE float 32/64-bit`,
    );
  }
  const channels = fmt.numChannels;
  if (!(channels >= 1)) throw new Error(`${name}: the WAV header declares ${channels} channels; expected at least 1`);
  if (!(fmt.sampleRate > 0)) throw new Error(`${name}: the WAV header declares a sample rate of ${fmt.sampleRate} Hz`);
  let raw: Float64Array;
  try {
    raw = wav.getSamples(true, Float64Array) as unknown as Float64Array;
  } catch (error) {
    throw new Error(`${name}: cannot read the samples (${error instanceof Error ? error.message : String(error)})`);
  }
  const frames = Math.floor(raw.length / channels);
  if (frames === 0) throw new Error(`${name}: the WAV file holds no samples`);
  // Integer PCM → [−1, 1): divide by 2^(bits−1); 8-bit WAV is unsigned around 128.
  const scale = isFloat ? 1 : 1 / 2 ** (bits - 1);
  const offset = isPcm && bits === 8 ? 128 : 0;
  const samples = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += raw[i * channels + c] - offset;
    samples[i] = (sum / channels) * scale;
  }
  return { sampleRate: fmt.sampleRate, channels, encoding: isFloat ? `${bits}f` : String(bits), samples };
}

/**
 * Reads and decodes a WAV file.
 * @throws Error naming the file when it cannot be read or decoded.
 */
export function readWav(path: string): WavAudio {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : error instanceof Error ? error.message : String(error);
    throw new Error(`cannot read '${path}': ${why}`);
  }
  return decodeWav(bytes, path);
}
