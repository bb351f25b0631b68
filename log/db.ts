/**
 * The IndexedDB schema of the session log (through the `idb` package) and
 * how to open it. One database holds every session of every plugin instance
 * on the origin; sessions are told apart by id.
 *
 * Stores (version 1):
 * - `sessions`: one {@link SessionRow} per session, key `id` (small: rewritten as the session grows).
 * - `sessionMeta`: the session's {@link SessionMeta}, key = session id (written once).
 * - `pageMeta`: one {@link PageMetaRow} per page, key `[sessionId, pageSeq]`.
 * - `pageData`: the page bytes (see codec/page.ts), same key, stored apart
 *   from the meta so listing and planning a replay never load the data.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { KindCounts } from './records.ts';
import type { SessionMeta } from './session-meta.ts';
import type { PageType } from './codec/page.ts';

/** Default database name. */
export const DEFAULT_DB_NAME = 'deep-improv-log';
const DB_VERSION = 1;

/** One session's catalog entry, rewritten with every flush. */
export interface SessionRow {
  id: string;
  /** Display name (the meta's name, a rename, or a generated one). */
  name: string;
  /** `recording` while a writer owns it, `closed` once closed or imported. */
  state: 'recording' | 'closed';
  /** Copies from the meta, so listing needs no meta: wall-clock start (ms since epoch), audio-clock start (s), plugin version. */
  startWallMs: number;
  startAudioTimeS: number;
  pluginVersion: string;
  /** Wall time the row was written last, ms since epoch (a heartbeat while recording). */
  updatedWallMs: number;
  /** Stored records per kind (a features record is a chunk of frames). */
  counts: KindCounts;
  /** Stored feature frames. */
  featureFrames: number;
  /** Latest audio time of any stored record, seconds (the meta's start when empty). */
  endAudioTimeS: number;
  /** Bytes of stored page data. */
  storedBytes: number;
  /** Stored pages. */
  pageCount: number;
  /** Records the writer could not keep (rejected as malformed, or pushed out of the memory buffer). */
  droppedRecords: number;
  /**
   * Records that are music (see `isMusicRecord`: notes, markers, MIDI channel and sysex messages). A session with
   * none is deleted before any session with music when the log is over its retention limit. Absent in rows written
   * by older versions: then the counts decide (any MIDI, note or marker).
   */
  musicRecords?: number;
  /** When the session was imported into this log, ms since epoch (absent for sessions recorded here). Retention counts from it. */
  importedWallMs?: number;
}

/** One stored page's description. */
export interface PageMetaRow {
  sessionId: string;
  /** Page number within the session (write order). */
  pageSeq: number;
  type: PageType;
  /** Earliest and latest record audio time in the page, seconds. */
  t0S: number;
  t1S: number;
  /** Records per kind in the page. */
  counts: KindCounts;
  /** Feature frames in the page. */
  featureFrames: number;
  /** Size of the stored page bytes. */
  byteLength: number;
  /** CRC-32 of the stored page bytes. */
  crc32: number;
}

/** The idb schema. */
export interface LogDbSchema extends DBSchema {
  sessions: { key: string; value: SessionRow };
  sessionMeta: { key: string; value: SessionMeta };
  pageMeta: { key: [string, number]; value: PageMetaRow };
  pageData: { key: [string, number]; value: Uint8Array };
}

/** An open log database. */
export type LogDb = IDBPDatabase<LogDbSchema>;

/** Callbacks for connection events the owner must react to. */
export interface LogDbEvents {
  /** The browser closed the connection abnormally (storage cleared, disk error). */
  onTerminated?: () => void;
  /** Another context wants to delete or upgrade the database; the connection is closed first. */
  onVersionChange?: () => void;
}

/**
 * Opens (creating or upgrading) the log database.
 * @throws Error when IndexedDB is unavailable or refuses to open.
 */
export async function openLogDb(dbName: string = DEFAULT_DB_NAME, events: LogDbEvents = {}): Promise<LogDb> {
  if (typeof indexedDB === 'undefined' || indexedDB === null) {
    throw new Error('IndexedDB is not available in this context');
  }
  let db: LogDb | undefined = undefined;
  db = await openDB<LogDbSchema>(dbName, DB_VERSION, {
    upgrade(database, oldVersion) {
      if (oldVersion < 1) {
        database.createObjectStore('sessions', { keyPath: 'id' });
        database.createObjectStore('sessionMeta');
        database.createObjectStore('pageMeta', { keyPath: ['sessionId', 'pageSeq'] });
        database.createObjectStore('pageData');
      }
    },
    blocking() {
      // Close so the other context's delete or upgrade can go ahead; the owner degrades.
      db?.close();
      events.onVersionChange?.();
    },
    terminated() {
      events.onTerminated?.();
    },
  });
  return db;
}

/** The key range of every page of one session. */
export function sessionPageRange(sessionId: string): IDBKeyRange {
  return IDBKeyRange.bound([sessionId, -Infinity], [sessionId, Infinity]);
}
