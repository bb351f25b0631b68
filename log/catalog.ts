/**
 * Reading and managing stored sessions: list, read, rename, delete. The
 * writer (`SessionLog`) creates sessions; everything else goes through here.
 */
import { openLogDb, sessionPageRange, type LogDb, type PageMetaRow, type SessionRow } from './db.ts';
import { decodePage } from './codec/page.ts';
import type { SequencedRecord } from './codec/event-page.ts';
import type { KindCounts, LogRecord, LogRecordKind } from './records.ts';
import { checkSessionName, type SessionMeta } from './session-meta.ts';

/** A recording session whose row has not been touched for this long is shown as interrupted (ms). */
export const STALE_RECORDING_MS = 30_000;

/** One line of the session list. */
export interface SessionSummary {
  id: string;
  name: string;
  /** `interrupted`: still marked recording but silent for {@link STALE_RECORDING_MS} (a crash or a closed tab). */
  state: 'recording' | 'closed' | 'interrupted';
  /** Wall-clock start, ms since epoch. */
  startWallMs: number;
  /** Audio time from the session start to its latest record, seconds. */
  durationS: number;
  counts: KindCounts;
  featureFrames: number;
  /** Bytes of stored page data. */
  storedBytes: number;
  droppedRecords: number;
  pluginVersion: string;
  /** True when the session holds music (see `isMusicRecord`); sessions without go first when retention deletes. */
  hasMusic: boolean;
  /** When the session was imported into this log, ms since epoch; undefined for sessions recorded here. */
  importedWallMs: number | undefined;
}

/** Whether a row holds music: its music count, or for rows from older versions any MIDI, note or marker. */
export function rowHasMusic(row: Pick<SessionRow, 'musicRecords' | 'counts'>): boolean {
  return typeof row.musicRecords === 'number' ? row.musicRecords > 0 : row.counts.midi + row.counts.note + row.counts.marker > 0;
}

/** Which records {@link SessionCatalog.readRecords} returns. */
export interface ReadOptions {
  /** Only these kinds (default all). */
  kinds?: readonly LogRecordKind[];
  /** Only records at or after this audio time, seconds (a features chunk is kept when any of its frames is in range). */
  fromS?: number;
  /** Only records at or before this audio time, seconds. */
  toS?: number;
}

/** Orders records by audio time, then by append order. */
export function compareSequenced(a: SequencedRecord, b: SequencedRecord): number {
  return a.record.audioTimeS - b.record.audioTimeS || a.seq - b.seq;
}

/** The summary shown for a session row. */
export function summarise(row: SessionRow, nowWallMs: number = Date.now()): SessionSummary {
  const state = row.state === 'recording' && nowWallMs - row.updatedWallMs > STALE_RECORDING_MS ? 'interrupted' : row.state;
  return {
    id: row.id,
    name: row.name,
    state,
    startWallMs: row.startWallMs,
    durationS: Math.max(0, row.endAudioTimeS - row.startAudioTimeS),
    counts: { ...row.counts },
    featureFrames: row.featureFrames,
    storedBytes: row.storedBytes,
    droppedRecords: row.droppedRecords,
    pluginVersion: row.pluginVersion,
    hasMusic: rowHasMusic(row),
    importedWallMs: row.importedWallMs,
  };
}

/**
 * Where a session's time starts, audio seconds: its start, or its earliest
 * record when one lies before it (older recordings can hold a batch of
 * feature frames from just before their start). The
 * exports count time from here, so their time starts at 0.
 */
export function timeOrigin(meta: Pick<SessionMeta, 'audioStartTimeS'>, pages: readonly Pick<PageMetaRow, 't0S'>[]): number {
  let origin = meta.audioStartTimeS;
  for (const p of pages) if (p.t0S < origin) origin = p.t0S;
  return origin;
}

/** The pages a read needs: right type and overlapping the time range. */
export function pagesFor(pages: readonly PageMetaRow[], options: ReadOptions, frameSpanS = 0): PageMetaRow[] {
  const kinds = options.kinds;
  const wantFeatures = !kinds || kinds.includes('features');
  const wantEvents = !kinds || kinds.some((k) => k !== 'features');
  const from = options.fromS ?? -Infinity;
  const to = options.toS ?? Infinity;
  return pages.filter((p) => {
    if (p.type === 'features' ? !wantFeatures : !wantEvents) return false;
    const end = p.type === 'features' ? p.t1S + frameSpanS : p.t1S;
    return p.t0S <= to && end >= from;
  });
}

/** Keeps the records a read asked for. */
export function recordWanted(record: LogRecord, options: ReadOptions, frameSpanS = 0): boolean {
  if (options.kinds && !options.kinds.includes(record.kind)) return false;
  const from = options.fromS ?? -Infinity;
  const to = options.toS ?? Infinity;
  const end = record.kind === 'features' ? record.audioTimeS + (record.frameCount - 1) * frameSpanS : record.audioTimeS;
  return record.audioTimeS <= to && end >= from;
}

/** Stored sessions in one database. */
export class SessionCatalog {
  private closed = false;

  /** Use {@link SessionCatalog.open}, or pass a database opened with `openLogDb`. */
  constructor(readonly db: LogDb) {}

  /**
   * Opens the catalog of a database.
   * @throws Error when IndexedDB is unavailable.
   */
  static async open(dbName?: string): Promise<SessionCatalog> {
    let catalog: SessionCatalog | undefined = undefined;
    const db = await openLogDb(dbName, { onVersionChange: () => catalog?.close() });
    catalog = new SessionCatalog(db);
    return catalog;
  }

  /** Every session, newest first. */
  async list(): Promise<SessionSummary[]> {
    const rows = await this.db.getAll('sessions');
    const now = Date.now();
    return rows.map((row) => summarise(row, now)).sort((a, b) => b.startWallMs - a.startWallMs || a.id.localeCompare(b.id));
  }

  /** A session's row, or undefined. */
  get(sessionId: string): Promise<SessionRow | undefined> {
    return this.db.get('sessions', sessionId);
  }

  /**
   * A session's row.
   * @throws Error when there is no such session.
   */
  async require(sessionId: string): Promise<SessionRow> {
    const row = await this.get(sessionId);
    if (!row) throw new Error(`no session with id ${JSON.stringify(sessionId)} in the log`);
    return row;
  }

  /**
   * A session's meta.
   * @throws Error when there is no such session.
   */
  async meta(sessionId: string): Promise<SessionMeta> {
    const meta = await this.db.get('sessionMeta', sessionId);
    if (!meta) throw new Error(`no session with id ${JSON.stringify(sessionId)} in the log`);
    return meta;
  }

  /**
   * Where the session's time starts (see {@link timeOrigin}), audio seconds.
   * @throws Error when there is no such session.
   */
  async timeOriginS(sessionId: string): Promise<number> {
    const [meta, pages] = await Promise.all([this.meta(sessionId), this.pages(sessionId)]);
    return timeOrigin(meta, pages);
  }

  /** A session's page descriptions, in page order. */
  pages(sessionId: string): Promise<PageMetaRow[]> {
    return this.db.getAll('pageMeta', sessionPageRange(sessionId));
  }

  /**
   * One stored page's bytes.
   * @throws Error when the page is missing.
   */
  async pageBytes(sessionId: string, pageSeq: number): Promise<Uint8Array> {
    const bytes = await this.db.get('pageData', [sessionId, pageSeq]);
    if (!bytes) throw new Error(`session ${sessionId}: page ${pageSeq} is listed but its data is missing`);
    return bytes;
  }

  /** Every stored page's bytes, in page order (parallel to {@link pages}). */
  async allPageBytes(sessionId: string): Promise<Uint8Array[]> {
    return this.db.getAll('pageData', sessionPageRange(sessionId));
  }

  /**
   * Decoded records of a session in time order (audio time, then append order).
   * @throws Error when the session does not exist or a page is corrupt.
   */
  async readRecords(sessionId: string, options: ReadOptions = {}): Promise<LogRecord[]> {
    const sequenced = await this.readSequenced(sessionId, options);
    return sequenced.map((s) => s.record);
  }

  /** Like {@link readRecords}, with each record's sequence number. */
  async readSequenced(sessionId: string, options: ReadOptions = {}): Promise<SequencedRecord[]> {
    const meta = await this.meta(sessionId);
    const hopS = meta.features.hopSamples / meta.features.sampleRateHz;
    const pages = pagesFor(await this.pages(sessionId), options, hopS);
    const out: SequencedRecord[] = [];
    for (const page of pages) {
      const decoded = await decodePage(await this.pageBytes(sessionId, page.pageSeq), `session ${sessionId} page ${page.pageSeq}`);
      for (const s of decoded.records) if (recordWanted(s.record, options, hopS)) out.push(s);
    }
    return out.sort(compareSequenced);
  }

  /**
   * Renames a session (the name is trimmed).
   * @throws Error when the session does not exist.
   * @throws TypeError when the name is not a string; RangeError when it is over `MAX_SESSION_NAME_LENGTH` (200) characters.
   */
  async rename(sessionId: string, name: string): Promise<void> {
    const trimmed = checkSessionName(name, 'rename');
    const tx = this.db.transaction('sessions', 'readwrite');
    const row = await tx.store.get(sessionId);
    if (!row) {
      tx.abort();
      await tx.done.catch(() => undefined);
      throw new Error(`no session with id ${JSON.stringify(sessionId)} in the log`);
    }
    row.name = trimmed;
    await tx.store.put(row);
    await tx.done;
  }

  /**
   * Deletes a session and all its pages, in one transaction.
   * @throws Error when the session does not exist.
   */
  async delete(sessionId: string): Promise<void> {
    const tx = this.db.transaction(['sessions', 'sessionMeta', 'pageMeta', 'pageData'], 'readwrite');
    const row = await tx.objectStore('sessions').get(sessionId);
    if (!row) {
      tx.abort();
      await tx.done.catch(() => undefined);
      throw new Error(`no session with id ${JSON.stringify(sessionId)} in the log`);
    }
    const range = sessionPageRange(sessionId);
    await Promise.all([
      tx.objectStore('sessions').delete(sessionId),
      tx.objectStore('sessionMeta').delete(sessionId),
      tx.objectStore('pageMeta').delete(range),
      tx.objectStore('pageData').delete(range),
    ]);
    await tx.done;
  }

  /** Closes the database connection. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}
