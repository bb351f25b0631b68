/**
 * The binary body of an events page: every record kind except features, in
 * append order. Layout (little-endian; varints are LEB128, signed ones zigzag):
 *
 * ```
 * u8  version (1)
 * f64 sampleRateHz            used to store audioTimeS as "frame / sampleRateHz" when that is exact
 * varuint recordCount
 * record*:
 *   u8 head: kind code (bits 0–3) | frame is an int delta (bit 4)
 *            | wallTimeMs is an int delta (bit 5) | audioTimeS === frame / sampleRateHz (bit 6)
 *   varint seq - previous seq
 *   frame:      varint delta from the previous integer frame, or f64
 *   wallTimeMs: varint delta from the previous integer wall time, or f64
 *   audioTimeS: nothing when bit 6 is set, else f64
 *   payload by kind:
 *     midi:  u8 direction (0 in, 1 out), string-table ref source, varuint length, bytes
 *     param: string-table ref id, value (tagged value), varuint 0 (no source) or string-table ref + 1
 *     other: a tagged value (see value.ts) holding the record's remaining fields
 * ```
 * A string-table ref is a varuint index into the page's table of strings seen
 * so far; index == table size means a new string follows inline.
 *
 * Every number is stored exactly: a float64 where a varint would lose it
 * (non-integers, -0, unsafe integers).
 */
import { ByteReader, ByteWriter, MAX_ZIGZAG } from './bytes.ts';
import { readValue, writeValue } from './value.ts';
import { emptyKindCounts, type KindCounts, type LogRecord, type LogRecordKind } from '../records.ts';
import { MAX_RECORD_BYTES } from '../limits.ts';

const VERSION = 1;

const KIND_CODES: Record<Exclude<LogRecordKind, 'features'>, number> = {
  midi: 1, note: 2, analysis: 3, model: 4, param: 5, transport: 6, marker: 7,
};
const KIND_BY_CODE: (Exclude<LogRecordKind, 'features'> | undefined)[] = [undefined, 'midi', 'note', 'analysis', 'model', 'param', 'transport', 'marker'];

const FRAME_INT = 0x10;
const WALL_INT = 0x20;
const AUDIO_DERIVED = 0x40;

/** A record read back from a page, with its session-wide sequence number. */
export interface SequencedRecord {
  /** Append order within the session (unique per session). */
  seq: number;
  record: LogRecord;
}

const isIntDelta = (value: number, previous: number): boolean =>
  Number.isSafeInteger(value) && !Object.is(value, -0) && Math.abs(value - previous) <= MAX_ZIGZAG;

/** Builds one events page, record by record. */
export class EventPageBuilder {
  private readonly out = new ByteWriter(1024);
  private readonly strings: string[] = [];
  private readonly stringIndex = new Map<string, number>();
  private previousSeq = 0;
  private previousFrame = 0;
  private previousWall = 0;
  /** Records in the page. */
  count = 0;
  /** Records per kind. */
  readonly kindCounts: KindCounts = emptyKindCounts();
  /** Earliest and latest audio time in the page, seconds (±Infinity while empty). */
  t0S = Infinity;
  t1S = -Infinity;

  /** @param sampleRateHz the session's sample rate (lets most records omit audioTimeS). */
  constructor(readonly sampleRateHz: number) {}

  /** Encoded record bytes so far (the page body is this plus a 13-byte header). */
  get byteLength(): number {
    return this.out.length;
  }

  /**
   * Encodes and appends one record. On failure nothing is appended.
   * @throws TypeError when a field cannot be stored.
   * @throws RangeError when the record encodes to more than {@link MAX_RECORD_BYTES}.
   */
  append(seq: number, record: Exclude<LogRecord, { kind: 'features' }>): void {
    const mark = { length: this.out.length, strings: this.strings.length, seq: this.previousSeq, frame: this.previousFrame, wall: this.previousWall };
    try {
      this.write(seq, record);
      if (this.out.length - mark.length > MAX_RECORD_BYTES) {
        throw new RangeError(`the record takes ${this.out.length - mark.length} bytes, over the ${MAX_RECORD_BYTES}-byte record maximum`);
      }
    } catch (error) {
      this.out.length = mark.length;
      for (const s of this.strings.splice(mark.strings)) this.stringIndex.delete(s);
      this.previousSeq = mark.seq;
      this.previousFrame = mark.frame;
      this.previousWall = mark.wall;
      throw error;
    }
    this.count++;
    this.kindCounts[record.kind]++;
    if (record.audioTimeS < this.t0S) this.t0S = record.audioTimeS;
    if (record.audioTimeS > this.t1S) this.t1S = record.audioTimeS;
  }

  private write(seq: number, record: Exclude<LogRecord, { kind: 'features' }>): void {
    const out = this.out;
    const { frame, wallTimeMs, audioTimeS } = record;
    const frameInt = isIntDelta(frame, this.previousFrame);
    const wallInt = isIntDelta(wallTimeMs, this.previousWall);
    const derived = Object.is(frame / this.sampleRateHz, audioTimeS);
    out.u8(KIND_CODES[record.kind] | (frameInt ? FRAME_INT : 0) | (wallInt ? WALL_INT : 0) | (derived ? AUDIO_DERIVED : 0));
    out.varint(seq - this.previousSeq);
    this.previousSeq = seq;
    if (frameInt) {
      out.varint(frame - this.previousFrame);
      this.previousFrame = frame;
    } else {
      out.f64(frame);
    }
    if (wallInt) {
      out.varint(wallTimeMs - this.previousWall);
      this.previousWall = wallTimeMs;
    } else {
      out.f64(wallTimeMs);
    }
    if (!derived) out.f64(audioTimeS);
    switch (record.kind) {
      case 'midi':
        out.u8(record.direction === 'out' ? 1 : 0);
        this.writeString(record.source);
        out.varuint(record.bytes.length);
        out.bytes(record.bytes);
        break;
      case 'param':
        this.writeString(record.id);
        writeValue(out, record.value);
        if (record.source === undefined) {
          out.varuint(0);
        } else {
          out.varuint(1);
          this.writeString(record.source);
        }
        break;
      default: {
        const { kind: _kind, audioTimeS: _a, frame: _f, wallTimeMs: _w, ...fields } = record;
        writeValue(out, fields);
      }
    }
  }

  private writeString(value: string): void {
    const index = this.stringIndex.get(value);
    if (index !== undefined) {
      this.out.varuint(index);
      return;
    }
    this.out.varuint(this.strings.length);
    this.out.string(value);
    this.stringIndex.set(value, this.strings.length);
    this.strings.push(value);
  }

  /** The page body as it stands (a copy; the builder can keep appending). */
  body(): Uint8Array {
    const head = new ByteWriter(16 + this.out.length);
    head.u8(VERSION);
    head.f64(this.sampleRateHz);
    head.varuint(this.count);
    head.bytes(this.out.peek());
    return head.toBytes();
  }
}

/**
 * Decodes an events page body.
 * @param what names the page in error messages.
 * @throws RangeError when the body is truncated, corrupt or of an unknown version.
 */
export function decodeEventPage(body: Uint8Array, what: string): SequencedRecord[] {
  const input = new ByteReader(body, what);
  const version = input.u8();
  if (version !== VERSION) throw new RangeError(`${what}: events page version ${version} is not supported (expected ${VERSION})`);
  const sampleRateHz = input.f64();
  const count = input.varuint();
  if (count > input.remaining) throw new RangeError(`${what}: claims ${count} records in ${input.remaining} bytes`);
  const strings: string[] = [];
  const readString = (): string => {
    const index = input.varuint();
    if (index < strings.length) return strings[index];
    if (index !== strings.length) throw new RangeError(`${what}: string reference ${index} before string ${strings.length} was defined`);
    const s = input.string();
    strings.push(s);
    return s;
  };
  const out: SequencedRecord[] = new Array(count);
  let seq = 0;
  let previousFrame = 0;
  let previousWall = 0;
  for (let i = 0; i < count; i++) {
    const head = input.u8();
    const kind = KIND_BY_CODE[head & 0x0f];
    if (kind === undefined || (head & 0x80) !== 0) throw new RangeError(`${what}: record ${i} has an unknown kind code ${head & 0x0f}`);
    seq += input.varint();
    let frame: number;
    if (head & FRAME_INT) {
      frame = previousFrame + input.varint();
      previousFrame = frame;
    } else {
      frame = input.f64();
    }
    let wallTimeMs: number;
    if (head & WALL_INT) {
      wallTimeMs = previousWall + input.varint();
      previousWall = wallTimeMs;
    } else {
      wallTimeMs = input.f64();
    }
    const audioTimeS = head & AUDIO_DERIVED ? frame / sampleRateHz : input.f64();
    let record: LogRecord;
    if (kind === 'midi') {
      const direction = input.u8();
      if (direction > 1) throw new RangeError(`${what}: record ${i} has an unknown MIDI direction ${direction}`);
      const source = readString();
      const bytes = input.bytes(input.varuint()).slice();
      record = { kind, audioTimeS, frame, wallTimeMs, direction: direction === 1 ? 'out' : 'in', source, bytes };
    } else if (kind === 'param') {
      const id = readString();
      const value = readValue(input);
      if (typeof value !== 'number') throw new RangeError(`${what}: record ${i} (param) has a non-numeric value`);
      const hasSource = input.varuint();
      if (hasSource > 1) throw new RangeError(`${what}: record ${i} (param) has a corrupt source flag`);
      record = { kind, audioTimeS, frame, wallTimeMs, id, value };
      if (hasSource === 1) record.source = readString();
    } else {
      const fields = readValue(input);
      if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw new RangeError(`${what}: record ${i} (${kind}) has no field object`);
      record = { ...(fields as object), kind, audioTimeS, frame, wallTimeMs } as LogRecord;
    }
    out[i] = { seq, record };
  }
  input.end();
  return out;
}
