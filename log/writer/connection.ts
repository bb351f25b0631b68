/**
 * The writer's connection to the log database, as a small set of named
 * states:
 *
 * - `connecting`: `SessionLog.open` is opening the database.
 * - `open`: writes go to IndexedDB.
 * - `degraded`: writes are failing (IndexedDB missing, full, failing, or the
 *   database lost); pages stay in memory and a write is tried again every
 *   `retryIntervalMs`. `db` is undefined when the connection itself is gone
 *   (the next attempt reconnects first).
 * - `closed`: the log is closed; nothing more is written.
 */
import { openLogDb, type LogDb } from '../db.ts';
import { errorText } from '../storage-error.ts';

/** The connection's state. See the module comment. */
export type ConnectionState =
  | { kind: 'connecting' }
  | { kind: 'open'; db: LogDb }
  | { kind: 'degraded'; db: LogDb | undefined; reason: string }
  | { kind: 'closed' };

/** Owns the database connection and its state. */
export class LogConnection {
  private stateValue: ConnectionState = { kind: 'connecting' };
  /** Wall time of the last write attempt while degraded, ms (0: try at once). */
  private lastAttemptMs = 0;
  /** Why the last connection attempt failed, or why the connection was lost. */
  private lastError: string | undefined;

  /**
   * @param dbName the database to open.
   * @param onLost called when an open connection is lost (another page deleted or upgraded the database, or the
   *   browser closed it), with the reason.
   */
  constructor(private readonly dbName: string, private readonly onLost: (reason: string) => void) {}

  /** The current state. */
  get state(): ConnectionState {
    return this.stateValue;
  }

  /** The database, when connected (open, or degraded with the connection still there). */
  get db(): LogDb | undefined {
    const s = this.stateValue;
    return s.kind === 'open' || s.kind === 'degraded' ? s.db : undefined;
  }

  /** Why the connection failed or was lost, if it did. */
  get error(): string | undefined {
    return this.lastError;
  }

  /** True when writes are going through. */
  get isOpen(): boolean {
    return this.stateValue.kind === 'open';
  }

  /**
   * Opens the database. On success the state becomes `open` (from `connecting`) or stays degraded with the new
   * connection (the caller reports recovery after a successful write).
   * @returns false when it could not be opened (`error` says why).
   */
  async connect(): Promise<boolean> {
    try {
      const db = await openLogDb(this.dbName, {
        onVersionChange: () => this.lose('the log database was deleted or upgraded by another page'),
        onTerminated: () => this.lose('the browser closed the log database (storage cleared or a disk error)'),
      });
      const s = this.stateValue;
      if (s.kind === 'closed') {
        db.close();
        return false;
      }
      this.stateValue = s.kind === 'degraded' ? { ...s, db } : { kind: 'open', db };
      this.lastError = undefined;
      return true;
    } catch (error) {
      this.lastError = errorText(error);
      return false;
    }
  }

  /** Writes are failing for `reason`: keep the connection (if any) and retry later. */
  degrade(reason: string): void {
    const s = this.stateValue;
    if (s.kind === 'closed') return;
    this.stateValue = { kind: 'degraded', db: this.db, reason };
  }

  /** A write went through: back to `open`. */
  recover(db: LogDb): void {
    if (this.stateValue.kind !== 'closed') this.stateValue = { kind: 'open', db };
  }

  /** True when a write may be tried now: always when open, else once every `retryIntervalMs`. Records the attempt. */
  attemptNow(retryIntervalMs: number, nowMs: number = Date.now()): boolean {
    if (this.stateValue.kind === 'closed') return false;
    if (this.stateValue.kind !== 'open' && nowMs - this.lastAttemptMs < retryIntervalMs) return false;
    this.lastAttemptMs = nowMs;
    return true;
  }

  /** The next {@link attemptNow} succeeds whatever the retry interval says (closing is the last chance). */
  retrySoon(): void {
    this.lastAttemptMs = 0;
  }

  /** Closes the connection for good. Idempotent. */
  close(): void {
    this.db?.close();
    this.stateValue = { kind: 'closed' };
  }

  private lose(reason: string): void {
    if (this.stateValue.kind === 'closed') return;
    this.lastError = reason;
    this.stateValue = { kind: 'degraded', db: undefined, reason };
    this.onLost(reason);
  }
}
