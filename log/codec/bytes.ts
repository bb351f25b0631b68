/**
 * Little-endian byte writing and reading for the log's binary pages: fixed
 * width numbers, LEB128 varints (unsigned, and zigzag for signed, up to 2^53
 * so any safe integer fits) and length-prefixed UTF-8 strings. The reader
 * checks every bound, so a truncated or corrupt page fails with a message
 * instead of reading garbage.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Largest magnitude a zigzag varint carries (2^52), so `2 * |v|` stays a safe integer. */
export const MAX_ZIGZAG = 2 ** 52;

/** A growable byte buffer. */
export class ByteWriter {
  private buffer: Uint8Array;
  private view: DataView;
  /** Bytes written so far. */
  length = 0;

  /** @param initialBytes starting capacity in bytes (default 256). */
  constructor(initialBytes = 256) {
    this.buffer = new Uint8Array(Math.max(16, initialBytes));
    this.view = new DataView(this.buffer.buffer);
  }

  private reserve(bytes: number): void {
    const needed = this.length + bytes;
    if (needed <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
    this.view = new DataView(next.buffer);
  }

  u8(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  u16(value: number): void {
    this.reserve(2);
    this.view.setUint16(this.length, value, true);
    this.length += 2;
  }

  u32(value: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, value, true);
    this.length += 4;
  }

  f32(value: number): void {
    this.reserve(4);
    this.view.setFloat32(this.length, value, true);
    this.length += 4;
  }

  f64(value: number): void {
    this.reserve(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
  }

  /** Unsigned LEB128 of a non-negative safe integer. */
  varuint(value: number): void {
    this.reserve(8);
    let v = value;
    while (v >= 0x80) {
      this.buffer[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buffer[this.length++] = v;
  }

  /** Zigzag LEB128 of an integer with |value| <= {@link MAX_ZIGZAG}. */
  varint(value: number): void {
    this.varuint(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  bytes(data: Uint8Array): void {
    this.reserve(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
  }

  /** A varuint byte length, then the UTF-8 bytes. */
  string(value: string): void {
    const data = encoder.encode(value);
    this.varuint(data.length);
    this.bytes(data);
  }

  /** A view of what was written (valid until the next write). */
  peek(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  /** A copy of what was written. */
  toBytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  /** Forgets the contents, keeping the capacity. */
  clear(): void {
    this.length = 0;
  }
}

/** Reads what a {@link ByteWriter} wrote; every read checks its bounds. */
export class ByteReader {
  private readonly view: DataView;
  /** Read position in bytes. */
  offset = 0;

  /** @param what names the data in error messages (e.g. `events page 3`). */
  constructor(private readonly data: Uint8Array, private readonly what: string) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  /** Bytes left to read. */
  get remaining(): number {
    return this.data.length - this.offset;
  }

  private need(bytes: number): void {
    if (this.offset + bytes > this.data.length) {
      throw new RangeError(`${this.what}: truncated, needed ${bytes} more byte(s) at offset ${this.offset} of ${this.data.length}`);
    }
  }

  u8(): number {
    this.need(1);
    return this.data[this.offset++];
  }

  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.offset, true);
    this.offset += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return v;
  }

  f32(): number {
    this.need(4);
    const v = this.view.getFloat32(this.offset, true);
    this.offset += 4;
    return v;
  }

  f64(): number {
    this.need(8);
    const v = this.view.getFloat64(this.offset, true);
    this.offset += 8;
    return v;
  }

  varuint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const byte = this.u8();
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return result;
      scale *= 0x80;
    }
    throw new RangeError(`${this.what}: corrupt varint at offset ${this.offset} (longer than 8 bytes)`);
  }

  varint(): number {
    const z = this.varuint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  /** A view (not a copy) of the next `length` bytes. */
  bytes(length: number): Uint8Array {
    this.need(length);
    const out = this.data.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  string(): string {
    const length = this.varuint();
    const start = this.offset;
    const data = this.bytes(length);
    try {
      return decoder.decode(data);
    } catch {
      throw new RangeError(`${this.what}: invalid UTF-8 in a string at offset ${start}`);
    }
  }

  /** Fails unless every byte was read. */
  end(): void {
    if (this.remaining !== 0) throw new RangeError(`${this.what}: ${this.remaining} unexpected trailing byte(s) at offset ${this.offset}`);
  }
}
