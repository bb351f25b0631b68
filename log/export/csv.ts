/**
 * Feature frames as CSV: a header `time_s,<feature names…>` and one row per
 * frame. `time_s` is seconds since the session's start (the frame's start;
 * see `SessionCatalog.timeOriginS`), so the first frame of a session is at 0,
 * not at the audio clock's time. Values are written with the fewest digits that read back as the
 * same float32; NaN and infinities as `NaN`, `Infinity`, `-Infinity`. Lines
 * end with `\n`; names with commas, quotes or line breaks are quoted (RFC 4180).
 */
import type { FeaturesRecord } from '../records.ts';
import type { SessionMeta } from '../session-meta.ts';
import type { SessionCatalog } from '../catalog.ts';

/** MIME type used for downloads. */
export const CSV_MIME_TYPE = 'text/csv';

/** Quotes a CSV field when needed (RFC 4180). */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The shortest decimal text that reads back as the same float32 value. */
export function formatFloat32(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  const target = Math.fround(value);
  for (let digits = 6; digits < 9; digits++) {
    const n = Number(target.toPrecision(digits));
    if (Math.fround(n) === target) return String(n);
  }
  return String(Number(target.toPrecision(9)));
}

/** The header line (with its newline). */
export function csvHeader(meta: SessionMeta): string {
  return ['time_s', ...meta.features.names].map(csvField).join(',') + '\n';
}

/**
 * The rows of one features record (each with its newline).
 * @param originS audio time that is `time_s` 0 (default `meta.audioStartTimeS`).
 */
export function csvRows(meta: SessionMeta, record: FeaturesRecord, originS: number = meta.audioStartTimeS): string {
  const framesPerHop = meta.features.hopSamples * (meta.sampleRateHz / meta.features.sampleRateHz);
  const f = record.featureCount;
  const lines: string[] = new Array(record.frameCount);
  const cells: string[] = new Array(f + 1);
  for (let i = 0; i < record.frameCount; i++) {
    const timeS = (record.frame + i * framesPerHop) / meta.sampleRateHz - originS;
    cells[0] = String(Number(timeS.toFixed(6)));
    for (let j = 0; j < f; j++) cells[j + 1] = formatFloat32(record.values[i * f + j]);
    lines[i] = cells.join(',');
  }
  return lines.join('\n') + (lines.length > 0 ? '\n' : '');
}

/**
 * A whole CSV document from feature records in time order.
 * @param originS audio time that is `time_s` 0 (default `meta.audioStartTimeS`).
 */
export function featuresToCsv(meta: SessionMeta, records: readonly FeaturesRecord[], originS: number = meta.audioStartTimeS): string {
  return csvHeader(meta) + records.map((r) => csvRows(meta, r, originS)).join('');
}

/**
 * A stored session's features as CSV bytes (UTF-8), built page by page.
 * @throws Error when the session does not exist or a page is corrupt.
 */
export async function exportCsv(catalog: SessionCatalog, sessionId: string): Promise<Uint8Array> {
  const meta = await catalog.meta(sessionId);
  const originS = await catalog.timeOriginS(sessionId);
  const records = (await catalog.readRecords(sessionId, { kinds: ['features'] })) as FeaturesRecord[];
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [encoder.encode(csvHeader(meta))];
  for (const r of records) parts.push(encoder.encode(csvRows(meta, r, originS)));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
