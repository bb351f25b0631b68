/**
 * A small self-describing binary encoding for the low-rate records' fields
 * (model calls, analysis, notes, transport, markers): null, booleans,
 * numbers (safe integers as varints, the rest as float64, so -0, NaN and
 * ±Infinity survive), strings, arrays, plain objects and typed arrays.
 * Lossless for everything it accepts; object properties whose value is
 * `undefined` are left out.
 */
import { ByteReader, ByteWriter, MAX_ZIGZAG } from './bytes.ts';

const enum Tag {
  Null = 0,
  False = 1,
  True = 2,
  Int = 3,
  Float = 4,
  String = 5,
  Array = 6,
  Object = 7,
  Float32 = 8,
  Float64 = 9,
  Uint8 = 10,
  Int32 = 11,
  Int16 = 12,
  Uint16 = 13,
}

/** Deepest nesting accepted, so a cyclic or hostile value fails instead of overflowing the stack. */
const MAX_DEPTH = 64;

/**
 * Appends `value` to `out`.
 * @throws TypeError for values it cannot store (functions, symbols, bigints,
 * class instances other than the supported typed arrays, cycles).
 */
export function writeValue(out: ByteWriter, value: unknown, depth = 0): void {
  if (depth > MAX_DEPTH) throw new TypeError(`value nested deeper than ${MAX_DEPTH} levels (a cycle?)`);
  if (value === null || value === undefined) {
    out.u8(Tag.Null);
  } else if (value === false) {
    out.u8(Tag.False);
  } else if (value === true) {
    out.u8(Tag.True);
  } else if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && Math.abs(value) <= MAX_ZIGZAG && !Object.is(value, -0)) {
      out.u8(Tag.Int);
      out.varint(value);
    } else {
      out.u8(Tag.Float);
      out.f64(value);
    }
  } else if (typeof value === 'string') {
    out.u8(Tag.String);
    out.string(value);
  } else if (Array.isArray(value)) {
    out.u8(Tag.Array);
    out.varuint(value.length);
    for (const item of value) writeValue(out, item, depth + 1);
  } else if (ArrayBuffer.isView(value)) {
    writeTypedArray(out, value);
  } else if (typeof value === 'object' && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    out.u8(Tag.Object);
    out.varuint(entries.length);
    for (const [key, v] of entries) {
      out.string(key);
      writeValue(out, v, depth + 1);
    }
  } else {
    throw new TypeError(`cannot store a value of type ${typeof value === 'object' ? (value as object).constructor?.name ?? 'object' : typeof value}`);
  }
}

function writeTypedArray(out: ByteWriter, value: ArrayBufferView): void {
  const tag =
    value instanceof Float32Array ? Tag.Float32
      : value instanceof Float64Array ? Tag.Float64
        : value instanceof Uint8Array ? Tag.Uint8
          : value instanceof Int32Array ? Tag.Int32
            : value instanceof Int16Array ? Tag.Int16
              : value instanceof Uint16Array ? Tag.Uint16
                : undefined;
  if (tag === undefined) throw new TypeError(`cannot store a ${value.constructor.name} (supported: Float32Array, Float64Array, Uint8Array, Int32Array, Int16Array, Uint16Array)`);
  const typed = value as Float32Array | Float64Array | Uint8Array | Int32Array | Int16Array | Uint16Array;
  out.u8(tag);
  out.varuint(typed.length);
  // Element-wise little-endian writes: independent of the platform's byte order and of the view's alignment.
  switch (tag) {
    case Tag.Float32: for (let i = 0; i < typed.length; i++) out.f32(typed[i]); break;
    case Tag.Float64: for (let i = 0; i < typed.length; i++) out.f64(typed[i]); break;
    case Tag.Uint8: out.bytes(typed as Uint8Array); break;
    case Tag.Int32: for (let i = 0; i < typed.length; i++) out.u32(typed[i] >>> 0); break;
    case Tag.Int16: for (let i = 0; i < typed.length; i++) out.u16(typed[i] & 0xffff); break;
    case Tag.Uint16: for (let i = 0; i < typed.length; i++) out.u16(typed[i]); break;
  }
}

/**
 * Reads one value written by {@link writeValue}.
 * @throws RangeError on truncated or corrupt input.
 */
export function readValue(input: ByteReader, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new RangeError(`corrupt value: nested deeper than ${MAX_DEPTH} levels`);
  const tag = input.u8();
  switch (tag) {
    case Tag.Null: return null;
    case Tag.False: return false;
    case Tag.True: return true;
    case Tag.Int: return input.varint();
    case Tag.Float: return input.f64();
    case Tag.String: return input.string();
    case Tag.Array: {
      const length = checkedLength(input, 1);
      const out: unknown[] = new Array(length);
      for (let i = 0; i < length; i++) out[i] = readValue(input, depth + 1);
      return out;
    }
    case Tag.Object: {
      const count = checkedLength(input, 2);
      const out: Record<string, unknown> = {};
      for (let i = 0; i < count; i++) {
        const key = input.string();
        // defineProperty, so a stored "__proto__" key stays data and cannot change the prototype.
        Object.defineProperty(out, key, { value: readValue(input, depth + 1), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    case Tag.Float32: {
      const out = new Float32Array(checkedLength(input, 4));
      for (let i = 0; i < out.length; i++) out[i] = input.f32();
      return out;
    }
    case Tag.Float64: {
      const out = new Float64Array(checkedLength(input, 8));
      for (let i = 0; i < out.length; i++) out[i] = input.f64();
      return out;
    }
    case Tag.Uint8: return input.bytes(checkedLength(input, 1)).slice();
    case Tag.Int32: {
      const out = new Int32Array(checkedLength(input, 4));
      for (let i = 0; i < out.length; i++) out[i] = input.u32() | 0;
      return out;
    }
    case Tag.Int16: {
      const out = new Int16Array(checkedLength(input, 2));
      for (let i = 0; i < out.length; i++) out[i] = (input.u16() << 16) >> 16;
      return out;
    }
    case Tag.Uint16: {
      const out = new Uint16Array(checkedLength(input, 2));
      for (let i = 0; i < out.length; i++) out[i] = input.u16();
      return out;
    }
    default:
      throw new RangeError(`corrupt value: unknown type tag ${tag} at offset ${input.offset - 1}`);
  }
}

/** Reads a count and checks that the bytes it promises can exist (so corrupt input cannot allocate gigabytes). */
function checkedLength(input: ByteReader, minBytesEach: number): number {
  const length = input.varuint();
  if (length * minBytesEach > input.remaining) {
    throw new RangeError(`corrupt value: a length of ${length} at offset ${input.offset} exceeds the ${input.remaining} byte(s) left`);
  }
  return length;
}
