/**
 * The envelope of one stored page (what IndexedDB holds and a bundle copies
 * verbatim). Layout (little-endian):
 *
 * ```
 * u8  type: 0x45 'E' events page, 0x46 'F' features page
 * u8  envelope version (1)
 * u8  compression: 0 none, 1 zlib deflate
 * u8  reserved (0)
 * u32 body length before compression
 * …   the body (see event-page.ts and feature-page.ts), compressed or not
 * ```
 */
import { ByteReader } from './bytes.ts';
import { canDeflate, deflate, inflate } from './deflate.ts';
import { decodeEventPage, type SequencedRecord } from './event-page.ts';
import { decodeFeaturePage } from './feature-page.ts';
import { emptyKindCounts, type KindCounts } from '../records.ts';
import { MAX_PAGE_BODY_BYTES } from '../limits.ts';

/** What a page holds. */
export type PageType = 'events' | 'features';

const TYPE_CODES: Record<PageType, number> = { events: 0x45, features: 0x46 };
const ENVELOPE_VERSION = 1;
const HEADER_BYTES = 8;

/**
 * Wraps a page body in its envelope, deflating it when `compress` is true and
 * the platform can (and when that makes it smaller).
 * @throws RangeError when the body is over {@link MAX_PAGE_BODY_BYTES} (the writer never makes one).
 */
export async function encodePage(type: PageType, body: Uint8Array, compress: boolean): Promise<Uint8Array> {
  if (body.length > MAX_PAGE_BODY_BYTES) throw new RangeError(`a ${type} page body of ${body.length} bytes is over the ${MAX_PAGE_BODY_BYTES}-byte page maximum`);
  let payload = body;
  let compression = 0;
  if (compress && canDeflate()) {
    const packed = await deflate(body);
    if (packed.length < body.length) {
      payload = packed;
      compression = 1;
    }
  }
  const out = new Uint8Array(HEADER_BYTES + payload.length);
  out[0] = TYPE_CODES[type];
  out[1] = ENVELOPE_VERSION;
  out[2] = compression;
  new DataView(out.buffer).setUint32(4, body.length, true);
  out.set(payload, HEADER_BYTES);
  return out;
}

/**
 * Opens a page envelope.
 * @throws RangeError or Error when the envelope is corrupt, of an unknown
 * type or version, states a body over {@link MAX_PAGE_BODY_BYTES}, or its
 * body does not inflate to the stated length (inflating stops there, so a
 * decompression bomb is refused after at most the stated length).
 */
export async function openPage(bytes: Uint8Array, what: string): Promise<{ type: PageType; body: Uint8Array }> {
  const input = new ByteReader(bytes, what);
  const typeCode = input.u8();
  const type = typeCode === TYPE_CODES.events ? 'events' : typeCode === TYPE_CODES.features ? 'features' : undefined;
  if (type === undefined) throw new RangeError(`${what}: unknown page type byte 0x${typeCode.toString(16)} (expected 0x45 events or 0x46 features)`);
  const version = input.u8();
  if (version !== ENVELOPE_VERSION) throw new RangeError(`${what}: page envelope version ${version} is not supported (expected ${ENVELOPE_VERSION})`);
  const compression = input.u8();
  input.u8();
  const rawLength = input.u32();
  if (rawLength > MAX_PAGE_BODY_BYTES) {
    throw new RangeError(`${what}: the envelope states a body of ${rawLength} bytes, over the ${MAX_PAGE_BODY_BYTES}-byte page maximum`);
  }
  const payload = bytes.subarray(HEADER_BYTES);
  let body: Uint8Array;
  if (compression === 0) body = payload;
  else if (compression === 1) body = await inflate(payload, what, rawLength);
  else throw new RangeError(`${what}: unknown compression ${compression} (expected 0 none or 1 deflate)`);
  if (body.length !== rawLength) throw new RangeError(`${what}: body is ${body.length} bytes, the envelope says ${rawLength}`);
  return { type, body };
}

/** A decoded page: its records in append order with their sequence numbers. */
export interface DecodedPage {
  type: PageType;
  records: SequencedRecord[];
  kindCounts: KindCounts;
}

/**
 * Opens and decodes a stored page completely (every record is parsed).
 * @throws RangeError or Error naming `what` when anything is corrupt.
 */
export async function decodePage(bytes: Uint8Array, what: string): Promise<DecodedPage> {
  const { type, body } = await openPage(bytes, what);
  const kindCounts = emptyKindCounts();
  if (type === 'features') {
    const page = decodeFeaturePage(body, what);
    kindCounts.features = 1;
    return { type, records: [{ seq: page.seq, record: page.record }], kindCounts };
  }
  const records = decodeEventPage(body, what);
  for (const r of records) kindCounts[r.record.kind]++;
  return { type, records, kindCounts };
}
