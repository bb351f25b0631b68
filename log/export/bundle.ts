/**
 * The session bundle: one file holding a whole session, lossless (the stored
 * pages are copied byte for byte). Format version 1, file extension `.dilog`:
 *
 * ```
 * offset  size  content
 * 0       8     format marker 89 44 49 4C 4F 47 0D 0A  ("\x89DILOG\r\n", PNG-style:
 *               the high byte and CR LF catch text-mode transfers)
 * 8       4     u32 LE format version (1)
 * 12      4     u32 LE header length H
 * 16      H     header, UTF-8 JSON (see BundleHeader)
 * 16+H    4     u32 LE CRC-32 of the header bytes
 * 20+H    …     the pages, concatenated in header order (sizes and CRC-32s in the header;
 *               each page is a stored page, see codec/page.ts)
 * end-8   8     end marker "DILOGEND"
 * ```
 *
 * Reading a bundle checks everything before anything is written: marker,
 * version, lengths, both markers, every CRC, every page decoded, and the
 * header's counts against the data.
 */
import { crc32 } from '../codec/crc32.ts';
import { decodePage, type DecodedPage } from '../codec/page.ts';
import { addKindCounts, emptyKindCounts, isLogRecordKind, isMusicRecord, LOG_RECORD_KINDS } from '../records.ts';
import { describe, normaliseSessionMeta, type SessionMeta } from '../session-meta.ts';
import { recordProblem } from '../validate-record.ts';
import type { PageMetaRow, SessionRow } from '../db.ts';
import type { SessionCatalog } from '../catalog.ts';
import { MAX_IMPORT_BYTES, MAX_SESSION_NAME_LENGTH } from '../limits.ts';

/** The bytes every bundle starts with. */
export const BUNDLE_MARKER = Uint8Array.of(0x89, 0x44, 0x49, 0x4c, 0x4f, 0x47, 0x0d, 0x0a);
/** The bytes every bundle ends with. */
export const BUNDLE_END_MARKER = new TextEncoder().encode('DILOGEND');
/** The `format` field of the header. */
export const BUNDLE_FORMAT = 'deep-improv-session-log';
/** The format version this code writes and reads. */
export const BUNDLE_VERSION = 1;
/** File extension of bundles. */
export const BUNDLE_EXTENSION = '.dilog';
/** MIME type used for downloads. */
export const BUNDLE_MIME_TYPE = 'application/x-deep-improv-log';

/** One page's entry in the header. */
export type BundlePageEntry = Omit<PageMetaRow, 'sessionId'>;

/** The JSON header. */
export interface BundleHeader {
  format: typeof BUNDLE_FORMAT;
  formatVersion: number;
  /** When the bundle was written, ms since epoch. */
  exportedWallMs: number;
  /** The session's catalog row as stored (without `importedWallMs`, which belongs to the log that holds it). */
  session: SessionRow;
  /** The session's meta as stored. */
  meta: SessionMeta;
  pages: BundlePageEntry[];
}

/**
 * A page read from a bundle, checked (decoded once and every record validated; the decoded records are not kept,
 * so checking a file holds one page's records at a time).
 */
export interface BundlePage {
  meta: Omit<PageMetaRow, 'sessionId'>;
  /** The stored page bytes (a view into the bundle). */
  bytes: Uint8Array;
  /** Records in the page. */
  recordCount: number;
}

/** A bundle that passed every check. */
export interface ParsedBundle {
  header: BundleHeader;
  pages: BundlePage[];
  /** Records that are music (see `isMusicRecord`), counted from the data. */
  musicRecords: number;
}

/** Raised for anything wrong with a bundle file; the message says what and where. */
export class BundleError extends Error {
  override name = 'BundleError';
}

/** Builds a bundle from a session row and its pages (parallel arrays, in page order). */
export function encodeBundle(
  session: SessionRow, meta: SessionMeta, pages: readonly PageMetaRow[], pageBytes: readonly Uint8Array[], exportedWallMs: number = Date.now(),
): Uint8Array {
  if (pages.length !== pageBytes.length) throw new Error(`encodeBundle: ${pages.length} page entries but ${pageBytes.length} page buffers`);
  // When a session came into this log is this log's business: the importing log sets its own.
  const { importedWallMs: _imported, ...portable } = session;
  const header: BundleHeader = {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_VERSION,
    exportedWallMs,
    session: portable,
    meta,
    pages: pages.map((p, i) => ({
      pageSeq: p.pageSeq, type: p.type, t0S: p.t0S, t1S: p.t1S, counts: p.counts, featureFrames: p.featureFrames,
      byteLength: pageBytes[i].length, crc32: crc32(pageBytes[i]),
    })),
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const pagesLength = pageBytes.reduce((n, b) => n + b.length, 0);
  const out = new Uint8Array(20 + headerBytes.length + pagesLength + BUNDLE_END_MARKER.length);
  const view = new DataView(out.buffer);
  out.set(BUNDLE_MARKER, 0);
  view.setUint32(8, BUNDLE_VERSION, true);
  view.setUint32(12, headerBytes.length, true);
  out.set(headerBytes, 16);
  view.setUint32(16 + headerBytes.length, crc32(headerBytes), true);
  let offset = 20 + headerBytes.length;
  for (const b of pageBytes) {
    out.set(b, offset);
    offset += b.length;
  }
  out.set(BUNDLE_END_MARKER, offset);
  return out;
}

/**
 * Reads a session from the log and returns it as a bundle.
 * @throws Error when the session does not exist.
 */
export async function exportBundle(catalog: SessionCatalog, sessionId: string): Promise<Uint8Array> {
  const session = await catalog.require(sessionId);
  const [meta, pages, bytes] = await Promise.all([catalog.meta(sessionId), catalog.pages(sessionId), catalog.allPageBytes(sessionId)]);
  return encodeBundle(session, meta, pages, bytes);
}

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

/**
 * Checks and decodes a bundle completely.
 * @throws BundleError saying what is wrong (over {@link MAX_IMPORT_BYTES}, not a
 * bundle, newer version, truncated, corrupt page, counts that do not add up …).
 */
export async function parseBundle(data: Uint8Array): Promise<ParsedBundle> {
  if (!(data instanceof Uint8Array)) throw new BundleError(`expected the bundle's bytes as a Uint8Array, got ${describe(data)}`);
  if (data.length > MAX_IMPORT_BYTES) {
    throw new BundleError(`the file is ${(data.length / 2 ** 20).toFixed(1)} MiB (${data.length} bytes); the log imports bundles of at most ${MAX_IMPORT_BYTES / 2 ** 20} MiB`);
  }
  if (data.length < 20 + BUNDLE_END_MARKER.length) {
    throw new BundleError(`not a Deep Improv session bundle: the file is only ${data.length} bytes`);
  }
  const marker = data.subarray(0, 8);
  if (!marker.every((b, i) => b === BUNDLE_MARKER[i])) {
    throw new BundleError(`not a Deep Improv session bundle: expected the format marker ${hex(BUNDLE_MARKER)} at byte 0, found ${hex(marker)}`);
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const version = view.getUint32(8, true);
  if (version !== BUNDLE_VERSION) {
    throw new BundleError(`unsupported bundle format version ${version}: this plugin reads version ${BUNDLE_VERSION}${version > BUNDLE_VERSION ? ' (the file was written by a newer version)' : ''}`);
  }
  const headerLength = view.getUint32(12, true);
  if (20 + headerLength + BUNDLE_END_MARKER.length > data.length) {
    throw new BundleError(`truncated bundle: the header says it is ${headerLength} bytes, but the file has only ${data.length} bytes in all`);
  }
  const headerBytes = data.subarray(16, 16 + headerLength);
  const headerCrc = view.getUint32(16 + headerLength, true);
  if (crc32(headerBytes) !== headerCrc) throw new BundleError('corrupt bundle: the header fails its CRC-32 check');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch (error) {
    throw new BundleError(`corrupt bundle: the header is not valid UTF-8 JSON (${(error as Error).message})`);
  }
  const header = checkHeader(json);
  const pagesStart = 20 + headerLength;
  const pagesLength = header.pages.reduce((n, p) => n + p.byteLength, 0);
  const expectedLength = pagesStart + pagesLength + BUNDLE_END_MARKER.length;
  if (data.length < expectedLength) {
    throw new BundleError(`truncated bundle: ${header.pages.length} pages need ${expectedLength} bytes, the file has ${data.length}`);
  }
  if (data.length > expectedLength) {
    throw new BundleError(`corrupt bundle: ${data.length - expectedLength} unexpected bytes after the last page`);
  }
  const end = data.subarray(data.length - BUNDLE_END_MARKER.length);
  if (!end.every((b, i) => b === BUNDLE_END_MARKER[i])) throw new BundleError('truncated or corrupt bundle: the end marker "DILOGEND" is missing');

  const pages: BundlePage[] = [];
  const totals = emptyKindCounts();
  let featureFrames = 0;
  let endAudioTimeS = header.meta.audioStartTimeS;
  const seenSeqs = new Set<number>();
  let musicRecords = 0;
  let offset = pagesStart;
  for (const [i, entry] of header.pages.entries()) {
    const what = `bundle page ${i} (${entry.type}, page number ${entry.pageSeq})`;
    const bytes = data.subarray(offset, offset + entry.byteLength);
    offset += entry.byteLength;
    if (crc32(bytes) !== entry.crc32) throw new BundleError(`corrupt bundle: ${what} fails its CRC-32 check`);
    let decoded: DecodedPage;
    try {
      decoded = await decodePage(bytes, what);
    } catch (error) {
      throw new BundleError(`corrupt bundle: ${(error as Error).message}`);
    }
    if (decoded.type !== entry.type) throw new BundleError(`corrupt bundle: ${what} holds ${decoded.type} data`);
    let t0S = Infinity;
    let t1S = -Infinity;
    let frames = 0;
    const featureCount = header.meta.features.names.length;
    const hopS = header.meta.features.hopSamples / header.meta.features.sampleRateHz;
    for (const { seq, record } of decoded.records) {
      const problem = recordProblem(record);
      if (problem) throw new BundleError(`corrupt bundle: ${what}: ${problem}`);
      if (seenSeqs.has(seq)) throw new BundleError(`corrupt bundle: ${what}: record number ${seq} appears twice`);
      seenSeqs.add(seq);
      if (isMusicRecord(record)) musicRecords++;
      let last = record.audioTimeS;
      if (record.kind === 'features') {
        if (record.featureCount !== featureCount) {
          throw new BundleError(`corrupt bundle: ${what} has ${record.featureCount} features per frame, the session meta names ${featureCount}`);
        }
        frames += record.frameCount;
        last = record.audioTimeS + (record.frameCount - 1) * hopS;
      }
      if (record.audioTimeS < t0S) t0S = record.audioTimeS;
      if (last > t1S) t1S = last;
    }
    const mismatch = LOG_RECORD_KINDS.find((k) => decoded.kindCounts[k] !== entry.counts[k]);
    if (mismatch) throw new BundleError(`corrupt bundle: ${what} holds ${decoded.kindCounts[mismatch]} ${mismatch} record(s), the header says ${entry.counts[mismatch]}`);
    if (frames !== entry.featureFrames) throw new BundleError(`corrupt bundle: ${what} holds ${frames} feature frames, the header says ${entry.featureFrames}`);
    addKindCounts(totals, decoded.kindCounts);
    featureFrames += frames;
    if (t1S > endAudioTimeS) endAudioTimeS = t1S;
    // Page timing is recomputed from the data; the header's JSON copy cannot carry -0.
    pages.push({
      meta: { pageSeq: entry.pageSeq, type: entry.type, t0S, t1S, counts: decoded.kindCounts, featureFrames: frames, byteLength: entry.byteLength, crc32: entry.crc32 },
      bytes,
      recordCount: decoded.records.length,
    });
  }
  const mismatch = LOG_RECORD_KINDS.find((k) => totals[k] !== header.session.counts[k]);
  if (mismatch) throw new BundleError(`corrupt bundle: the pages hold ${totals[mismatch]} ${mismatch} record(s), the session says ${header.session.counts[mismatch]}`);
  if (featureFrames !== header.session.featureFrames) {
    throw new BundleError(`corrupt bundle: the pages hold ${featureFrames} feature frames, the session says ${header.session.featureFrames}`);
  }
  header.session.endAudioTimeS = endAudioTimeS;
  header.session.storedBytes = pagesLength;
  header.session.pageCount = pages.length;
  return { header, pages, musicRecords };
}

function checkHeader(json: unknown): BundleHeader {
  const fail = (what: string, value: unknown): never => {
    throw new BundleError(`corrupt bundle header: ${what}, got ${describe(value)}`);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('expected a JSON object', json);
  const h = json as Record<string, unknown>;
  if (h.format !== BUNDLE_FORMAT) fail(`format must be ${JSON.stringify(BUNDLE_FORMAT)}`, h.format);
  if (h.formatVersion !== BUNDLE_VERSION) fail(`formatVersion must be ${BUNDLE_VERSION}`, h.formatVersion);
  if (typeof h.exportedWallMs !== 'number') fail('exportedWallMs must be a number', h.exportedWallMs);
  const s = h.session as Record<string, unknown>;
  if (typeof s !== 'object' || s === null || Array.isArray(s)) fail('session must be an object', s);
  if (typeof s.id !== 'string' || s.id === '') fail('session.id must be a non-empty string', s.id);
  if (typeof s.name !== 'string') fail('session.name must be a string', s.name);
  if ((s.name as string).length > MAX_SESSION_NAME_LENGTH) {
    throw new BundleError(`corrupt bundle header: session.name must be at most ${MAX_SESSION_NAME_LENGTH} characters, got ${(s.name as string).length}`);
  }
  if (s.state !== 'recording' && s.state !== 'closed') fail("session.state must be 'recording' or 'closed'", s.state);
  for (const key of ['startWallMs', 'startAudioTimeS', 'updatedWallMs', 'featureFrames', 'endAudioTimeS', 'storedBytes', 'pageCount', 'droppedRecords']) {
    if (typeof s[key] !== 'number') fail(`session.${key} must be a number`, s[key]);
  }
  if (typeof s.pluginVersion !== 'string') fail('session.pluginVersion must be a string', s.pluginVersion);
  for (const key of ['musicRecords', 'importedWallMs']) {
    if (s[key] !== undefined && typeof s[key] !== 'number') fail(`session.${key} must be a number or absent`, s[key]);
  }
  checkCounts(s.counts, 'session.counts', fail);
  let meta: SessionMeta;
  try {
    meta = normaliseSessionMeta(h.meta);
  } catch (error) {
    throw new BundleError(`corrupt bundle header: ${(error as Error).message}`);
  }
  if (meta.wallStartMs !== s.startWallMs || meta.audioStartTimeS !== s.startAudioTimeS || meta.pluginVersion !== s.pluginVersion) {
    throw new BundleError('corrupt bundle header: the session row and the meta disagree on the start times or the plugin version');
  }
  h.meta = meta;
  if (!Array.isArray(h.pages)) fail('pages must be an array', h.pages);
  const seqs = new Set<number>();
  (h.pages as unknown[]).forEach((p, i) => {
    const e = p as Record<string, unknown>;
    if (typeof e !== 'object' || e === null) fail(`pages[${i}] must be an object`, e);
    if (!Number.isSafeInteger(e.pageSeq) || (e.pageSeq as number) < 0) fail(`pages[${i}].pageSeq must be a non-negative integer`, e.pageSeq);
    if (seqs.has(e.pageSeq as number)) fail(`pages[${i}].pageSeq repeats an earlier page number`, e.pageSeq);
    seqs.add(e.pageSeq as number);
    if (e.type !== 'events' && e.type !== 'features') fail(`pages[${i}].type must be 'events' or 'features'`, e.type);
    if (!Number.isSafeInteger(e.byteLength) || (e.byteLength as number) < 8) fail(`pages[${i}].byteLength must be an integer >= 8`, e.byteLength);
    if (!Number.isSafeInteger(e.crc32) || (e.crc32 as number) < 0 || (e.crc32 as number) > 0xffffffff) fail(`pages[${i}].crc32 must be a 32-bit unsigned integer`, e.crc32);
    if (!Number.isSafeInteger(e.featureFrames) || (e.featureFrames as number) < 0) fail(`pages[${i}].featureFrames must be a non-negative integer`, e.featureFrames);
    checkCounts(e.counts, `pages[${i}].counts`, fail);
  });
  return json as BundleHeader;
}

function checkCounts(value: unknown, what: string, fail: (what: string, value: unknown) => never): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${what} must be an object`, value);
  const c = value as Record<string, unknown>;
  for (const kind of LOG_RECORD_KINDS) {
    if (!Number.isSafeInteger(c[kind]) || (c[kind] as number) < 0) fail(`${what}.${kind} must be a non-negative integer`, c[kind]);
  }
  const extra = Object.keys(c).find((k) => !isLogRecordKind(k));
  if (extra !== undefined) fail(`${what} has an unknown kind ${JSON.stringify(extra)}`, c[extra]);
}
