/**
 * The writer's health, reported to listeners so the GUI can say when the log
 * is not being saved.
 */
import type { RetentionSettings } from './options.ts';

/**
 * - `ok`: records reach IndexedDB.
 * - `degraded-memory`: IndexedDB is unavailable, full or failing; the newest
 *   records are kept in a bounded memory buffer and IndexedDB is retried.
 * - `failed`: nothing is being kept (no memory buffer allowed, or the writer
 *   closed with records it could not save).
 */
export type LogState = 'ok' | 'degraded-memory' | 'failed';

/** A status report. */
export interface LogStatus {
  state: LogState;
  /** A sentence for the user, e.g. why the log is degraded and what is kept. */
  message: string;
  /** The session being recorded, if any. */
  sessionId: string | undefined;
  /** Bytes held in memory waiting to be written. */
  bufferedBytes: number;
  /**
   * Records lost so far in this session: malformed, pushed out of the memory buffer, or (after `close()`) never
   * stored because storage failed.
   */
  droppedRecords: number;
  /** What retention keeps: old sessions beyond this are deleted when a session starts (see `describeRetention`). */
  retention: RetentionSettings;
}

/** Receives status reports. */
export type LogStatusListener = (status: LogStatus) => void;
