/**
 * The binary body of a features page: one chunk of consecutive feature frames
 * (about one second). Layout (little-endian):
 *
 * ```
 * u8  version (1)
 * u8  encoding: 0 = float32 (lossless), 1 = u16 (quantised per feature per chunk)
 * f64 audioTimeS, f64 frame, f64 wallTimeMs    timing of the first frame
 * f64 firstHopIndex
 * varuint seq, varuint frameCount, varuint featureCount
 * float32: 4 byte planes (byte 0 of every value, then byte 1, …) of the
 *          feature-major values, each value XORed with the previous value of
 *          the same feature (bit patterns), so slowly moving features give
 *          runs of zero bytes that deflate removes
 * u16:     f32 offset[featureCount], f32 step[featureCount], then 2 byte
 *          planes of the feature-major codes, each code minus the previous
 *          code of the same feature (mod 65536)
 * ```
 *
 * u16 quantisation, per feature over the chunk's finite values:
 * `offset = min`, `step = (max - min) / 65532`, `code = round((v - offset) / step)`,
 * decoded as `offset + code * step`. The error is at most `step / 2` (plus
 * float32 rounding): 1/131064 of the feature's range within that second.
 * Codes 65533, 65534, 65535 store -Infinity, +Infinity and NaN exactly.
 */
import { ByteReader, ByteWriter } from './bytes.ts';
import type { FeaturesRecord } from '../records.ts';

const VERSION = 1;

/** How feature values are stored: `f32` exactly, or `u16` quantised (half the size). */
export type FeatureEncoding = 'f32' | 'u16';

const MAX_CODE = 65532;
const CODE_NEG_INF = 65533;
const CODE_POS_INF = 65534;
const CODE_NAN = 65535;

/** The chunk to encode (the `values` are frame-major, as in {@link FeaturesRecord}). */
export type FeatureChunk = Omit<FeaturesRecord, 'kind'>;

/**
 * Encodes a chunk as a page body.
 * @param seq the chunk's sequence number within the session.
 */
export function encodeFeaturePage(seq: number, chunk: FeatureChunk, encoding: FeatureEncoding): Uint8Array {
  const { frameCount: n, featureCount: f, values } = chunk;
  const out = new ByteWriter(64 + n * f * (encoding === 'f32' ? 4 : 2) + f * 8);
  out.u8(VERSION);
  out.u8(encoding === 'f32' ? 0 : 1);
  out.f64(chunk.audioTimeS);
  out.f64(chunk.frame);
  out.f64(chunk.wallTimeMs);
  out.f64(chunk.firstHopIndex);
  out.varuint(seq);
  out.varuint(n);
  out.varuint(f);
  if (encoding === 'f32') {
    const bits = new Uint32Array(values.buffer, values.byteOffset, n * f);
    const planes = new Uint8Array(n * f * 4);
    const size = n * f;
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
  } else {
    const offsets = new Float32Array(f);
    const steps = new Float32Array(f);
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
      offsets[j] = min === Infinity ? 0 : min;
      steps[j] = min === Infinity ? 0 : (max - min) / MAX_CODE;
    }
    for (let j = 0; j < f; j++) out.f32(offsets[j]);
    for (let j = 0; j < f; j++) out.f32(steps[j]);
    const size = n * f;
    const planes = new Uint8Array(size * 2);
    let k = 0;
    for (let j = 0; j < f; j++) {
      const offset = offsets[j];
      const step = steps[j];
      let previous = 0;
      for (let i = 0; i < n; i++, k++) {
        const v = values[i * f + j];
        let code: number;
        if (Number.isNaN(v)) code = CODE_NAN;
        else if (v === Infinity) code = CODE_POS_INF;
        else if (v === -Infinity) code = CODE_NEG_INF;
        else if (step === 0) code = 0;
        else code = Math.min(MAX_CODE, Math.max(0, Math.round((v - offset) / step)));
        const delta = (code - previous) & 0xffff;
        previous = code;
        planes[k] = delta & 0xff;
        planes[size + k] = delta >>> 8;
      }
    }
    out.bytes(planes);
  }
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
  if (encodingCode > 1) throw new RangeError(`${what}: unknown feature encoding ${encodingCode} (expected 0 = f32 or 1 = u16)`);
  const audioTimeS = input.f64();
  const frame = input.f64();
  const wallTimeMs = input.f64();
  const firstHopIndex = input.f64();
  const seq = input.varuint();
  const n = input.varuint();
  const f = input.varuint();
  const size = n * f;
  const needed = encodingCode === 0 ? size * 4 : size * 2 + f * 8;
  // Checked before allocating, so a corrupt count cannot ask for gigabytes.
  if (needed !== input.remaining) {
    throw new RangeError(`${what}: ${n} frames of ${f} features need ${needed} bytes of values, the page has ${input.remaining}`);
  }
  const values = new Float32Array(size);
  if (encodingCode === 0) {
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
    const offsets = new Float32Array(f);
    const steps = new Float32Array(f);
    for (let j = 0; j < f; j++) offsets[j] = input.f32();
    for (let j = 0; j < f; j++) steps[j] = input.f32();
    const planes = input.bytes(size * 2);
    let k = 0;
    for (let j = 0; j < f; j++) {
      let code = 0;
      const offset = offsets[j];
      const step = steps[j];
      for (let i = 0; i < n; i++, k++) {
        code = (code + (planes[k] | (planes[size + k] << 8))) & 0xffff;
        values[i * f + j] = code <= MAX_CODE ? offset + code * step : code === CODE_NAN ? NaN : code === CODE_POS_INF ? Infinity : -Infinity;
      }
    }
  }
  input.end();
  return {
    seq,
    encoding: encodingCode === 0 ? 'f32' : 'u16',
    record: { kind: 'features', audioTimeS, frame, wallTimeMs, firstHopIndex, frameCount: n, featureCount: f, values },
  };
}
