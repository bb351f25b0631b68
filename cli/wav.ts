/**
 * WAV files → mono float32 samples for `deep-improv analyze`, read in
 * fixed-size chunks so memory stays constant whatever the file's length.
 * Accepts PCM 8/16/24/32-bit integer and IEEE float 32/64-bit, in RIFF, RIFX
 * (big-endian) or RF64 containers, plain or WAVE_FORMAT_EXTENSIBLE. Integers
 * are scaled by 2^(bits−1) (8-bit is unsigned, offset 128), the convention of
 * libsndfile and librosa, so full scale is [−1, 1); channels are averaged to
 * mono. Only regular files are read: a FIFO, a device or a directory is
 * refused before it is opened for reading.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';

/** What the header of a WAV file says. */
export interface WavFormat {
  /** Sample rate, Hz. */
  sampleRate: number;
  /** Channels in the file (before mixing to mono). */
  channels: number;
  /** The file's sample encoding, e.g. '16' (PCM) or '32f' (float). */
  encoding: string;
  /** Whole frames (one sample per channel) in the data chunk, as far as the file holds them. */
  frames: number;
}

/** A decoded WAV file. */
export interface WavAudio extends Omit<WavFormat, 'frames'> {
  /** Mono samples (the mean of the channels), float32. */
  samples: Float32Array;
}

/** WAVE_FORMAT codes we decode. */
const PCM = 1;
const FLOAT = 3;
const EXTENSIBLE = 0xfffe;
/** Bytes of a `fmt ` chunk read at most (its fields fit in 40). */
const FMT_MAX_BYTES = 64;

/** Where the samples are and how to decode them. */
interface Layout extends WavFormat {
  bigEndian: boolean;
  bytesPerSample: number;
  isFloat: boolean;
  /** Byte offset of the first sample. */
  dataOffset: number;
}

/** Reads `length` bytes at `position` (fewer at the end of the file). */
type ReadAt = (position: number, length: number) => Uint8Array;

/**
 * Parses the RIFF header and chunk list up to the `fmt ` and `data` chunks,
 * reading only the bytes it needs.
 * @throws Error saying what was expected and what the file holds.
 */
function parseLayout(readAt: ReadAt, size: number, name: string): Layout {
  const head = readAt(0, 12);
  const headText = new TextDecoder('latin1').decode(head);
  if (!/^(RIFF|RIFX|RF64)....WAVE$/s.test(headText)) {
    const shown = JSON.stringify(headText.replace(/[^\x20-\x7e]/g, '.'));
    throw new Error(`${name}: not a WAV file (expected a RIFF/RIFX/RF64 header with WAVE, found ${head.length < 12 ? `${head.length} bytes` : shown})`);
  }
  const container = headText.slice(0, 4);
  const bigEndian = container === 'RIFX';
  const u32 = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(at, !bigEndian);
  const u16 = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint16(at, !bigEndian);
  let fmt: Uint8Array | undefined;
  let data: { offset: number; size: number } | undefined;
  let ds64DataSize: number | undefined;
  for (let at = 12; at <= size - 8 && !(fmt && data); ) {
    const chunk = readAt(at, 8);
    const id = new TextDecoder('latin1').decode(chunk.subarray(0, 4));
    const chunkSize = u32(chunk, 4);
    if (id === 'fmt ' && !fmt) fmt = readAt(at + 8, Math.min(chunkSize, FMT_MAX_BYTES));
    else if (id === 'ds64' && container === 'RF64' && chunkSize >= 16) {
      const ds64 = readAt(at + 8, 16);
      ds64DataSize = u32(ds64, 12) * 2 ** 32 + u32(ds64, 8);
    } else if (id === 'data' && !data) data = { offset: at + 8, size: chunkSize === 0xffffffff && ds64DataSize !== undefined ? ds64DataSize : chunkSize };
    at += 8 + chunkSize + (chunkSize % 2);
  }
  if (!fmt || fmt.length < 16) throw new Error(`${name}: damaged WAV file (${fmt ? 'the "fmt " chunk is shorter than 16 bytes' : 'no "fmt " chunk'})`);
  if (!data) throw new Error(`${name}: damaged WAV file (no "data" chunk)`);
  const audioFormat = u16(fmt, 0);
  const channels = u16(fmt, 2);
  const sampleRate = u32(fmt, 4);
  const bits = u16(fmt, 14);
  const code = audioFormat === EXTENSIBLE && fmt.length >= 28 ? u32(fmt, 24) : audioFormat;
  const isPcm = code === PCM && [8, 16, 24, 32].includes(bits);
  const isFloat = code === FLOAT && (bits === 32 || bits === 64);
  if (!isPcm && !isFloat) {
    throw new Error(`${name}: unsupported WAV encoding (format code ${code}, ${bits} bits per sample); expected PCM 8/16/24/32-bit integer or IEEE float 32/64-bit`);
  }
  if (!(channels >= 1)) throw new Error(`${name}: the WAV header declares ${channels} channels; expected at least 1`);
  if (!(sampleRate > 0)) throw new Error(`${name}: the WAV header declares a sample rate of ${sampleRate} Hz`);
  const bytesPerSample = bits / 8;
  const available = Math.max(0, Math.min(data.size, size - data.offset));
  const frames = Math.floor(available / (bytesPerSample * channels));
  if (frames === 0) throw new Error(`${name}: the WAV file holds no samples`);
  return { sampleRate, channels, encoding: isFloat ? `${bits}f` : String(bits), frames, bigEndian, bytesPerSample, isFloat, dataOffset: data.offset };
}

/**
 * Mixes `frames` interleaved frames of `bytes` to mono into `out` (from 0):
 * the mean of the channels, integers scaled to [−1, 1).
 */
function mixToMono(layout: Layout, bytes: Uint8Array, frames: number, out: Float32Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { channels, bytesPerSample, isFloat } = layout;
  const le = !layout.bigEndian;
  const scale = isFloat ? 1 : 1 / 2 ** (bytesPerSample * 8 - 1);
  // Integer PCM → [−1, 1): divide by 2^(bits−1); 8-bit WAV is unsigned around 128.
  const offset = !isFloat && bytesPerSample === 1 ? 128 : 0;
  let at = 0;
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++, at += bytesPerSample) {
      let raw: number;
      if (isFloat) raw = bytesPerSample === 4 ? view.getFloat32(at, le) : view.getFloat64(at, le);
      else if (bytesPerSample === 1) raw = view.getUint8(at);
      else if (bytesPerSample === 2) raw = view.getInt16(at, le);
      else if (bytesPerSample === 4) raw = view.getInt32(at, le);
      else {
        const lo = le ? view.getUint8(at) | (view.getUint8(at + 1) << 8) : view.getUint8(at + 2) | (view.getUint8(at + 1) << 8);
        raw = ((le ? view.getInt8(at + 2) : view.getInt8(at)) << 16) | lo;
      }
      sum += raw - offset;
    }
    out[i] = (sum / channels) * scale;
  }
}

/** Frames read per chunk by {@link WavReader.read} callers that use {@link WavReader.chunkFrames}. */
const CHUNK_FRAMES = 65536;

/**
 * Reads a WAV file's samples in chunks through one reused buffer. Cheap to
 * keep open; call {@link WavReader.close} (idempotent) when done.
 */
export class WavReader {
  /** The file's format. */
  readonly format: WavFormat;
  /** Frames a chunk holds: the length of the array {@link WavReader.read} fills. */
  readonly chunkFrames = CHUNK_FRAMES;
  private readonly layout: Layout;
  private readonly bytes: Uint8Array;
  private readonly mono = new Float32Array(CHUNK_FRAMES);
  private fd: number | null;
  private framesRead = 0;

  private constructor(fd: number, layout: Layout) {
    this.fd = fd;
    this.layout = layout;
    const { sampleRate, channels, encoding, frames } = layout;
    this.format = { sampleRate, channels, encoding, frames };
    this.bytes = new Uint8Array(CHUNK_FRAMES * channels * layout.bytesPerSample);
  }

  /**
   * Opens a WAV file and parses its header.
   * @throws Error naming the file when it does not exist, is not a regular file, or is not a WAV file we decode.
   */
  static open(path: string): WavReader {
    const refuse = (why: string): never => {
      throw new Error(`cannot read '${path}': ${why}`);
    };
    let stats;
    try {
      stats = statSync(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return refuse(code === 'ENOENT' ? 'no such file' : error instanceof Error ? error.message : String(error));
    }
    if (stats.isDirectory()) refuse('it is a directory');
    if (!stats.isFile()) refuse(`it is not a regular file (${stats.isFIFO() ? 'a FIFO' : stats.isCharacterDevice() || stats.isBlockDevice() ? 'a device' : stats.isSocket() ? 'a socket' : 'not a file'}); expected a .wav file`);
    let fd: number;
    try {
      // Non-blocking, and checked again once open: a FIFO put in its place since the stat cannot block the open.
      fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    } catch (error) {
      return refuse(error instanceof Error ? error.message : String(error));
    }
    try {
      const opened = fstatSync(fd);
      if (!opened.isFile()) refuse('it is not a regular file; expected a .wav file');
      const readAt: ReadAt = (position, length) => {
        const out = new Uint8Array(length);
        let n = 0;
        while (n < length) {
          const got = readSync(fd, out, n, length - n, position + n);
          if (got === 0) break;
          n += got;
        }
        return out.subarray(0, n);
      };
      return new WavReader(fd, parseLayout(readAt, opened.size, path));
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /**
   * Reads the next chunk of mono samples.
   * @returns the samples (a view of a reused array: copy what you keep), empty at the end.
   * @throws Error when the reader is closed or the file cannot be read.
   */
  read(): Float32Array {
    if (this.fd === null) throw new Error('WavReader: read after close');
    const { channels, bytesPerSample, dataOffset, frames } = this.layout;
    const frameBytes = channels * bytesPerSample;
    const want = Math.min(CHUNK_FRAMES, frames - this.framesRead);
    let n = 0;
    const length = want * frameBytes;
    while (n < length) {
      const got = readSync(this.fd, this.bytes, n, length - n, dataOffset + this.framesRead * frameBytes + n);
      if (got === 0) break;
      n += got;
    }
    const count = Math.floor(n / frameBytes);
    mixToMono(this.layout, this.bytes, count, this.mono);
    this.framesRead += count;
    return this.mono.subarray(0, count);
  }

  /** Closes the file. Idempotent. */
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/**
 * Decodes WAV bytes held in memory. `name` only labels error messages.
 * @throws Error saying what was expected and what the file holds.
 */
export function decodeWav(bytes: Uint8Array, name = 'input'): WavAudio {
  const layout = parseLayout((position, length) => bytes.subarray(position, position + length), bytes.length, name);
  const samples = new Float32Array(layout.frames);
  const frameBytes = layout.channels * layout.bytesPerSample;
  mixToMono(layout, bytes.subarray(layout.dataOffset, layout.dataOffset + layout.frames * frameBytes), layout.frames, samples);
  return { sampleRate: layout.sampleRate, channels: layout.channels, encoding: layout.encoding, samples };
}

/**
 * Reads a whole WAV file into one array (through {@link WavReader}; for files
 * that fit in memory — `analyze` streams instead).
 * @throws Error naming the file when it cannot be read or decoded.
 */
export function readWav(path: string): WavAudio {
  const reader = WavReader.open(path);
  try {
    const { sampleRate, channels, encoding, frames } = reader.format;
    const samples = new Float32Array(frames);
    let at = 0;
    for (let chunk = reader.read(); chunk.length > 0; chunk = reader.read()) {
      samples.set(chunk, at);
      at += chunk.length;
    }
    return { sampleRate, channels, encoding, samples: samples.subarray(0, at) };
  } finally {
    reader.close();
  }
}
