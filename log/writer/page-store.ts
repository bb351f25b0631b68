/**
 * One session's pages on their way into IndexedDB: the pending pages
 * (enveloped, not yet stored: the memory buffer while storage fails), the
 * session row as stored, and the snapshots of open pages already stored
 * (so a page written again replaces its snapshot in the row's totals).
 *
 * Each {@link SessionPageStore.write} stores every pending page and the row
 * in one transaction, each page once. Records that will never be stored
 * (rejected, pushed out of memory, abandoned at close) are counted in
 * `dropped`, which the row carries as `droppedRecords`.
 */
import { crc32 } from '../codec/crc32.ts';
import { encodePage } from '../codec/page.ts';
import type { LogDb, PageMetaRow, SessionRow } from '../db.ts';
import { addKindCounts, emptyKindCounts, type KindCounts } from '../records.ts';
import type { SessionMeta } from '../session-meta.ts';
import { isQuotaError } from '../storage-error.ts';
import type { RawPage } from './page-assembler.ts';

/** A page ready to store. */
interface EncodedPage {
  meta: PageMetaRow;
  bytes: Uint8Array;
  final: boolean;
}

/** The total of a kind count (a features record is one chunk). */
export function totalCount(counts: KindCounts): number {
  let n = 0;
  for (const k in counts) n += counts[k as keyof KindCounts];
  return n;
}

/** The name a session gets when its meta has none: its local start date and time, e.g. `2025-03-01 14:05:09`. */
export function defaultSessionName(wallStartMs: number): string {
  const d = new Date(wallStartMs);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** One session's pending pages and stored row. See the module comment. */
export class SessionPageStore {
  /** The row as last stored (totals of what IndexedDB holds). */
  row: SessionRow;
  /** Records that will never be stored: rejected, pushed out of memory, or abandoned at close. */
  dropped = 0;
  /** Wall time of the last row write, ms since epoch (0 before the first). */
  lastRowWriteMs = 0;
  private rowDirty = true;
  private closing = false;
  /** The meta is stored (it goes in the session's first transaction). */
  private metaStored = false;
  private readonly pending = new Map<number, EncodedPage>();
  private pendingBytesValue = 0;
  /** Stored snapshots of pages that are still open, by page number. */
  private readonly storedOpen = new Map<number, PageMetaRow>();

  constructor(readonly id: string, readonly meta: SessionMeta) {
    this.row = {
      id,
      name: meta.name ?? defaultSessionName(meta.wallStartMs),
      state: 'recording',
      startWallMs: meta.wallStartMs,
      startAudioTimeS: meta.audioStartTimeS,
      pluginVersion: meta.pluginVersion,
      updatedWallMs: Date.now(),
      counts: emptyKindCounts(),
      featureFrames: 0,
      endAudioTimeS: meta.audioStartTimeS,
      storedBytes: 0,
      pageCount: 0,
      droppedRecords: 0,
      musicRecords: 0,
    };
  }

  /** Bytes of pending pages (held in memory). */
  get pendingBytes(): number {
    return this.pendingBytesValue;
  }

  /** Pending pages. */
  get pendingPages(): number {
    return this.pending.size;
  }

  /** True when nothing waits: no pending page and the row as stored is current. */
  get settled(): boolean {
    return this.pending.size === 0 && !this.rowDirty;
  }

  /** True when a write is due: pending pages, a changed row, or the heartbeat. */
  needsWrite(heartbeatMs: number, nowMs: number = Date.now()): boolean {
    return this.pending.size > 0 || this.rowDirty || nowMs - this.lastRowWriteMs >= heartbeatMs;
  }

  /** Marks the session finished: the next write stores the row as closed. */
  finish(): void {
    this.closing = true;
    this.rowDirty = true;
  }

  /** Envelopes pages (deflating them when `compress`) and adds them to the pending pages, replacing older versions. */
  async stage(pages: readonly RawPage[], compress: boolean): Promise<void> {
    for (const page of pages) {
      const bytes = await encodePage(page.type, page.body, compress);
      const encoded: EncodedPage = {
        bytes,
        final: page.final,
        meta: {
          sessionId: this.id, pageSeq: page.pageSeq, type: page.type, t0S: page.t0S, t1S: page.t1S,
          counts: page.counts, featureFrames: page.featureFrames, byteLength: bytes.length, crc32: crc32(bytes),
        },
      };
      const replaced = this.pending.get(page.pageSeq);
      if (replaced) this.pendingBytesValue -= replaced.bytes.length;
      this.pending.set(page.pageSeq, encoded);
      this.pendingBytesValue += bytes.length;
    }
  }

  /**
   * Stores the pending pages and the row in one transaction.
   * @param musicRecords the session's music count, for the row.
   * @param quotaBytes most page bytes this session may store: past it the write fails as a full disk would.
   * @throws the transaction's error (a `QuotaExceededError` DOMException when storage is full); nothing changes then.
   */
  async write(db: LogDb, musicRecords: number, quotaBytes: number): Promise<void> {
    const pages = [...this.pending.values()];
    const row: SessionRow = { ...this.row, counts: { ...this.row.counts } };
    for (const page of pages) {
      const before = this.storedOpen.get(page.meta.pageSeq);
      if (before) {
        addKindCounts(row.counts, before.counts, -1);
        row.featureFrames -= before.featureFrames;
        row.storedBytes -= before.byteLength;
        row.pageCount--;
      }
      addKindCounts(row.counts, page.meta.counts);
      row.featureFrames += page.meta.featureFrames;
      row.storedBytes += page.meta.byteLength;
      row.pageCount++;
      if (page.meta.t1S > row.endAudioTimeS) row.endAudioTimeS = page.meta.t1S;
    }
    const closing = this.closing;
    row.state = closing ? 'closed' : 'recording';
    row.updatedWallMs = Date.now();
    row.droppedRecords = this.dropped;
    row.musicRecords = musicRecords;
    if (row.storedBytes > quotaBytes) {
      throw new DOMException(`the session would hold ${row.storedBytes} bytes, over the ${quotaBytes}-byte quota`, 'QuotaExceededError');
    }
    const tx = db.transaction(['sessions', 'sessionMeta', 'pageMeta', 'pageData'], 'readwrite');
    const requests: Promise<unknown>[] = [];
    if (!this.metaStored) requests.push(tx.objectStore('sessionMeta').put(this.meta, this.id));
    for (const page of pages) {
      requests.push(tx.objectStore('pageMeta').put(page.meta));
      requests.push(tx.objectStore('pageData').put(page.bytes, [this.id, page.meta.pageSeq]));
    }
    requests.push(tx.objectStore('sessions').put(row));
    requests.push(tx.done);
    try {
      await Promise.all(requests);
    } catch (error) {
      // The requests of a transaction refused for quota fail as AbortError; the transaction names the cause.
      throw isQuotaError(error, tx.error) ? (tx.error ?? error) : error;
    }
    this.metaStored = true;
    this.row = row;
    // A finish() during this transaction must still write the row as closed.
    this.rowDirty = this.closing !== closing;
    this.lastRowWriteMs = row.updatedWallMs;
    for (const page of pages) {
      if (page.final) this.storedOpen.delete(page.meta.pageSeq);
      else this.storedOpen.set(page.meta.pageSeq, page.meta);
    }
    this.pending.clear();
    this.pendingBytesValue = 0;
  }

  /**
   * After reconnecting: if the session's row is gone (the database was deleted), what was stored is gone too; it
   * is counted as dropped and the row starts again from nothing.
   * @returns true when stored pages were lost (the open pages must then be written again in full).
   */
  async reconcile(db: LogDb): Promise<boolean> {
    const stored = await db.get('sessions', this.id);
    if (stored) return false;
    this.metaStored = false;
    if (this.row.pageCount === 0) return false;
    this.dropped += totalCount(this.row.counts);
    this.row = { ...this.row, counts: emptyKindCounts(), featureFrames: 0, storedBytes: 0, pageCount: 0, endAudioTimeS: this.meta.audioStartTimeS };
    this.storedOpen.clear();
    return true;
  }

  /** Drops the oldest finished pending pages until the pending bytes fit `maxBytes`; their records count as dropped. */
  boundMemory(maxBytes: number): void {
    if (this.pendingBytesValue <= maxBytes) return;
    const finals = [...this.pending.values()].filter((p) => p.final).sort((a, b) => a.meta.pageSeq - b.meta.pageSeq);
    for (const page of finals) {
      if (this.pendingBytesValue <= maxBytes) break;
      this.pending.delete(page.meta.pageSeq);
      this.pendingBytesValue -= page.bytes.length;
      this.dropped += this.unstoredRecords(page);
    }
  }

  /** Gives up on the pending pages (the log is closing and storage failed): their records count as dropped. */
  abandonPending(): void {
    for (const page of this.pending.values()) this.dropped += this.unstoredRecords(page);
    this.pending.clear();
    this.pendingBytesValue = 0;
  }

  /**
   * Stores only the row, marked closed with its dropped records counted: for a session whose pages could not be
   * stored (a row is small, and often fits where its pages did not). Never rejects: once the origin is completely
   * full even a row does not fit, and the writer's status has the count.
   */
  async writeClosingRow(db: LogDb, musicRecords: number): Promise<void> {
    const row: SessionRow = { ...this.row, state: 'closed', updatedWallMs: Date.now(), droppedRecords: this.dropped, musicRecords };
    try {
      const tx = db.transaction(this.metaStored ? ['sessions'] : ['sessions', 'sessionMeta'], 'readwrite');
      const requests: Promise<unknown>[] = [tx.objectStore('sessions').put(row), tx.done];
      if (!this.metaStored) requests.push(tx.objectStore('sessionMeta').put(this.meta, this.id));
      await Promise.all(requests);
      this.row = row;
      this.metaStored = true;
      this.rowDirty = false;
    } catch {
      // Nothing more can be stored; the status says what was lost.
    }
  }

  /** Records of a pending page that are not in storage: all of them, less those of an earlier stored snapshot. */
  private unstoredRecords(page: EncodedPage): number {
    const snapshot = this.storedOpen.get(page.meta.pageSeq);
    return totalCount(page.meta.counts) - (snapshot ? totalCount(snapshot.counts) : 0);
  }
}
