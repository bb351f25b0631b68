/**
 * The binary body of a features page: one chunk of consecutive feature frames
 * (about one second). Layout (little-endian):
 *
 * ```
 * u8  version (1)
 * u8  encoding: 0 = f32 (lossless), 1 = u16, 2 = u12 (quantised per feature per chunk)
 * f64 audioTimeS, f64 frame, f64 wallTimeMs    timing of the first frame
 * f64 firstHopIndex
 * varuint seq, varuint frameCount, varuint featureCount
 * f32:  4 byte planes (byte 0 of every value, then byte 1, …) of the
 *       feature-major values, each value XORed with the previous value of
 *       the same feature (bit patterns), so slowly moving features give
 *       runs of zero bytes that deflate removes
 * u16:  f32 min[featureCount], f32 max[featureCount], then the
 *       feature-major codes, each minus the previous code of the same
 *       feature (mod 2^16), as 2 byte planes (low bytes, then high bytes)
 * u12:  the same with 12-bit codes (mod 2^12): a plane of low bytes, then a
 *       plane of high nibbles packed two per byte (even index in the low nibble)
 * ```
 *
 * Quantisation with B bits (16 or 12), per feature over the chunk's finite
 * values: `step = (max - min) / (2^B - 4)` (in float64),
 * `code = round((v - min) / step)`, decoded as `min + code * step`, and the
 * top value code as `max` itself. So a chunk's min and max (and any feature
 * with two values, such as `voiced`) come back exactly; any other value is
 * off by at most `step / 2` (plus float32 rounding): 1/131064 (u16) or
 * 1/8184 (u12) of the feature's range within that chunk. The three codes
 * above the top value code store -Infinity, +Infinity and NaN exactly.
 */
import { ByteReader, ByteWriter } from './bytes.ts';
import type { FeaturesRecord } from '../records.ts';

const VERSION = 1;

/**
 * How feature values are stored: `f32` exactly (4 bytes a value), `u16`
 * (2 bytes) or `u12` (1.5 bytes) quantised per feature per chunk.
 */
export type FeatureEncoding = 'f32' | 'u16' | 'u12';

const ENCODING_CODES: Record<FeatureEncoding, number> = { f32: 0, u16: 1, u12: 2 };
const ENCODINGS: FeatureEncoding[] = ['f32', 'u16', 'u12'];

/** Bits per code of a quantised encoding. */
const BITS: Record<Exclude<FeatureEncoding, 'f32'>, number> = { u16: 16, u12: 12 };

/** The largest relative error of a quantised encoding: |decoded - v| <= this × (chunk max - chunk min) (plus float32 rounding). */
export function quantisationError(encoding: FeatureEncoding): number {
  return encoding === 'f32' ? 0 : 1 / (2 * (2 ** BITS[encoding] - 4));
}

/** The chunk to encode (the `values` are frame-major, as in {@link FeaturesRecord}). */
export type FeatureChunk = Omit<FeaturesRecord, 'kind'>;

/** Bytes of the code planes for `size` codes. */
function planeBytes(encoding: FeatureEncoding, size: number): number {
  return encoding === 'f32' ? size * 4 : encoding === 'u16' ? size * 2 : size + Math.ceil(size / 2);
}

/**
 * Encodes a chunk as a page body.
 * @param seq the chunk's sequence number within the session.
 */
export function encodeFeaturePage(seq: number, chunk: FeatureChunk, encoding: FeatureEncoding): Uint8Array {
  const { frameCount: n, featureCount: f, values } = chunk;
  const size = n * f;
  const out = new ByteWriter(64 + planeBytes(encoding, size) + f * 8);
  out.u8(VERSION);
  out.u8(ENCODING_CODES[encoding]);
  out.f64(chunk.audioTimeS);
  out.f64(chunk.frame);
  out.f64(chunk.wallTimeMs);
  out.f64(chunk.firstHopIndex);
  out.varuint(seq);
  out.varuint(n);
  out.varuint(f);
  const planes = new Uint8Array(planeBytes(encoding, size));
  if (encoding === 'f32') {
    const bits = new Uint32Array(values.buffer, values.byteOffset, size);
    let k = 0;
    for (let j = 0; j < f; j++) {
      let previous = 0;
      for (let i = 0; i < n; i++, k++) {
        const b = bits[i * f + j];
        const x = (b ^ previous) >>> 0;
        previous = b;
        planes[k] = x & 0xff;
        planes[size + k] = (x >>> 8) & 0xff;
        planes[2 * size + k] = (x >>> 16) & 0xff;
        planes[3 * size + k] = x >>> 24;
      }
    }
    out.bytes(planes);
    return out.toBytes();
  }
  const codeCount = 2 ** BITS[encoding];
  const mask = codeCount - 1;
  const maxCode = codeCount - 4;
  const mins = new Float32Array(f);
  const maxes = new Float32Array(f);
  for (let j = 0; j < f; j++) {
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = values[i * f + j];
      if (Number.isFinite(v)) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
    mins[j] = min === Infinity ? 0 : min;
    maxes[j] = min === Infinity ? 0 : max;
  }
  for (let j = 0; j < f; j++) out.f32(mins[j]);
  for (let j = 0; j < f; j++) out.f32(maxes[j]);
  let k = 0;
  for (let j = 0; j < f; j++) {
    const offset = mins[j];
    const step = (maxes[j] - mins[j]) / maxCode;
    let previous = 0;
    for (let i = 0; i < n; i++, k++) {
      const v = values[i * f + j];
      let code: number;
      if (Number.isNaN(v)) code = maxCode + 3;
      else if (v === Infinity) code = maxCode + 2;
      else if (v === -Infinity) code = maxCode + 1;
      else if (step === 0) code = 0;
      else code = Math.min(maxCode, Math.max(0, Math.round((v - offset) / step)));
      const delta = (code - previous) & mask;
      previous = code;
      planes[k] = delta & 0xff;
      if (encoding === 'u16') planes[size + k] = delta >>> 8;
      else planes[size + (k >> 1)] |= (delta >>> 8) << ((k & 1) * 4);
    }
  }
  out.bytes(planes);
  return out.toBytes();
}

/** A chunk read back, with its sequence number. */
export interface DecodedFeaturePage {
  seq: number;
  record: FeaturesRecord;
  encoding: FeatureEncoding;
}

/**
 * Decodes a features page body.
 * @throws RangeError when truncated, corrupt or of an unknown version.
 */
export function decodeFeaturePage(body: Uint8Array, what: string): DecodedFeaturePage {
  const input = new ByteReader(body, what);
  const version = input.u8();
  if (version !== VERSION) throw new RangeError(`${what}: features page version ${version} is not supported (expected ${VERSION})`);
  const encodingCode = input.u8();
  const encoding = ENCODINGS[encodingCode];
  if (encoding === undefined) throw new RangeError(`${what}: unknown feature encoding ${encodingCode} (expected 0 = f32, 1 = u16 or 2 = u12)`);
  const audioTimeS = input.f64();
  const frame = input.f64();
  const wallTimeMs = input.f64();
  const firstHopIndex = input.f64();
  const seq = input.varuint();
  const n = input.varuint();
  const f = input.varuint();
  const size = n * f;
  const needed = planeBytes(encoding, size) + (encoding === 'f32' ? 0 : f * 8);
  // Checked before allocating, so a corrupt count cannot ask for gigabytes.
  if (needed !== input.remaining) {
    throw new RangeError(`${what}: ${n} frames of ${f} features need ${needed} bytes of values, the page has ${input.remaining}`);
  }
  const values = new Float32Array(size);
  if (encoding === 'f32') {
    const planes = input.bytes(size * 4);
    const bits = new Uint32Array(values.buffer);
    let k = 0;
    for (let j = 0; j < f; j++) {
      let previous = 0;
      for (let i = 0; i < n; i++, k++) {
        const x = (planes[k] | (planes[size + k] << 8) | (planes[2 * size + k] << 16) | (planes[3 * size + k] << 24)) >>> 0;
        previous = (x ^ previous) >>> 0;
        bits[i * f + j] = previous;
      }
    }
  } else {
    const mask = 2 ** BITS[encoding] - 1;
    const maxCode = mask - 3;
    const mins = new Float32Array(f);
    const maxes = new Float32Array(f);
    for (let j = 0; j < f; j++) mins[j] = input.f32();
    for (let j = 0; j < f; j++) maxes[j] = input.f32();
    const planes = input.bytes(planeBytes(encoding, size));
    let k = 0;
    for (let j = 0; j < f; j++) {
      let code = 0;
      const offset = mins[j];
      const top = maxes[j];
      const step = (top - offset) / maxCode;
      for (let i = 0; i < n; i++, k++) {
        const high = encoding === 'u16' ? planes[size + k] : (planes[size + (k >> 1)] >>> ((k & 1) * 4)) & 0x0f;
        code = (code + (planes[k] | (high << 8))) & mask;
        values[i * f + j] = code < maxCode ? offset + code * step : code === maxCode ? top : code === maxCode + 3 ? NaN : code === maxCode + 2 ? Infinity : -Infinity;
      }
    }
  }
  input.end();
  return {
    seq,
    encoding,
    record: { kind: 'features', audioTimeS, frame, wallTimeMs, firstHopIndex, frameCount: n, featureCount: f, values },
  };
}
