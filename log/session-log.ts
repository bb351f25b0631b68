/**
 * The session log writer. It runs in the worker: the worker entry opens one
 * `SessionLog` per plugin instance, starts a session, and appends every
 * record the processor and the node send it.
 *
 * Records are encoded as they arrive into the open pages (one feature chunk
 * of about `pageSeconds` of audio, and one events page that closes with it;
 * see writer/page-assembler.ts), and a timer writes closed pages every
 * `flushIntervalMs`, one IndexedDB transaction per flush, each page once
 * (writer/page-store.ts). An open page is also written (and later
 * overwritten) when its oldest unsaved record gets older than
 * `maxLossMs - 2 * flushIntervalMs`, so a crash loses at most about
 * `maxLossMs` (default 1 s); `flush()` writes the open pages at once.
 *
 * The writer never throws into its caller: `append` and `appendFeatures`
 * drop and count malformed input, and when IndexedDB is missing, full or
 * failing (writer/connection.ts) the writer keeps the newest pages in a
 * bounded memory buffer, retries now and then, and reports its state to
 * `onStatus` listeners (writer/status-reporter.ts).
 *
 * @example
 * const log = await SessionLog.open({ dbName: 'deep-improv-log' });
 * log.onStatus((s) => port.postMessage({ type: 'log-status', status: s }));
 * const id = await log.start({ wallStartMs: Date.now(), audioStartTimeS: 0, sampleRateHz: 48000,
 *   pluginVersion: '0.1.0', features: { names, hopSamples: 512 } });
 * log.append({ kind: 'midi', direction: 'in', source: 'host', bytes, audioTimeS, frame, wallTimeMs });
 * log.appendFeatures(hopIndex, frames, frameCount);
 * await log.flush();   // on pagehide / visibilitychange
 * await log.close();   // on destroy
 */
import { SessionCatalog } from './catalog.ts';
import { applyRetention } from './retention.ts';
import type { LogRecord } from './records.ts';
import { normaliseSessionMeta, type SessionMetaInput } from './session-meta.ts';
import { newSessionId } from './session-id.ts';
import { recordProblem } from './validate-record.ts';
import { resolveSessionLogOptions, type SessionLogOptions } from './options.ts';
import type { LogStatus, LogStatusListener } from './status.ts';
import { errorText, isQuotaError } from './storage-error.ts';
import { PageAssembler } from './writer/page-assembler.ts';
import { SessionPageStore } from './writer/page-store.ts';
import { LogConnection } from './writer/connection.ts';
import { StatusReporter, degradedStatus, writeFailureReason } from './writer/status-reporter.ts';

export { defaultSessionName } from './writer/page-store.ts';

/** Counters for diagnostics and the benchmark. */
export interface SessionLogStats {
  /** Records accepted by `append` (a feature frame counts as one record here). */
  appendedRecords: number;
  /** Records refused as malformed. */
  rejectedRecords: number;
  /** Why the last record was refused. */
  lastProblem: string | undefined;
  /** Records not stored: malformed, lost from the memory buffer, abandoned at close, or appended with no session open. */
  droppedRecords: number;
  /** Completed IndexedDB write transactions. */
  transactions: number;
  /** Failed IndexedDB write transactions. */
  writeFailures: number;
  /** Bytes of page data stored for the current session. */
  storedBytes: number;
}

/** One session being written: its pages as they are assembled, and as they are stored. */
interface RecordingSession {
  readonly id: string;
  readonly pages: PageAssembler;
  readonly store: SessionPageStore;
  /** Finished (by `start` of the next, or `close`): written until all of it is stored. */
  finished: boolean;
}

/** Writes sessions to IndexedDB. See the module comment. */
export class SessionLog {
  /** The resolved options (defaults filled in). */
  readonly options: SessionLogOptions;
  private readonly connection: LogConnection;
  private readonly reporter: StatusReporter;
  private session: RecordingSession | undefined;
  /** The last session started (kept after close for `stats` and `status`). */
  private lastSession: RecordingSession | undefined;
  /** Finished sessions not yet wholly stored. */
  private readonly retiring: RecordingSession[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private chain: Promise<void> = Promise.resolve();
  private flushQueued = false;
  private closePromise: Promise<void> | undefined;
  private readonly counters: Omit<SessionLogStats, 'storedBytes' | 'droppedRecords'> = {
    appendedRecords: 0, rejectedRecords: 0, lastProblem: undefined, transactions: 0, writeFailures: 0,
  };
  private droppedWithoutSession = 0;
  /** Why the last write failed, for the closing message. */
  private lastWriteProblem: string | undefined;

  private constructor(options: SessionLogOptions) {
    this.options = options;
    this.connection = new LogConnection(options.dbName, (reason) => this.degrade(`Lost the log database: ${reason}`));
    this.reporter = new StatusReporter(() => ({
      bufferedBytes: this.session?.store.pendingBytes ?? 0,
      droppedRecords: this.droppedRecords(),
      retention: { ...this.options.retention },
    }));
  }

  /**
   * Opens the log database and returns a writer. Never rejects: when
   * IndexedDB is unavailable the writer starts in `degraded-memory` (or
   * `failed` with `maxMemoryBytes: 0`).
   */
  static async open(options: Partial<SessionLogOptions> = {}): Promise<SessionLog> {
    const log = new SessionLog(resolveSessionLogOptions(options));
    if (!(await log.connection.connect())) log.degrade(`IndexedDB is unavailable (${log.connection.error})`);
    return log;
  }

  /** The current status. */
  get status(): LogStatus {
    return this.reporter.status;
  }

  /** Counters (a snapshot). */
  get stats(): SessionLogStats {
    return {
      ...this.counters,
      droppedRecords: this.droppedRecords(),
      storedBytes: (this.session ?? this.lastSession)?.store.row.storedBytes ?? 0,
    };
  }

  /** The session being recorded, if any. */
  get sessionId(): string | undefined {
    return this.session?.id;
  }

  /**
   * Calls `listener` now and on every status change.
   * @returns a function that removes the listener.
   */
  onStatus(listener: LogStatusListener): () => void {
    return this.reporter.add(listener);
  }

  /** Records not stored in the current (else the last) session, and those appended with no session open. */
  private droppedRecords(): number {
    return this.droppedWithoutSession + ((this.session ?? this.lastSession)?.store.dropped ?? 0);
  }

  private degrade(reason: string): void {
    this.connection.degrade(reason);
    const { state, message } = degradedStatus(reason, this.options.maxMemoryBytes);
    this.reporter.set(state, message, this.session?.id);
  }

  /**
   * Starts a new session (finishing the current one, if any) and returns its
   * id. Records appended right after the call, before the promise settles,
   * already belong to the new session. Applies retention to old sessions.
   * Never rejects for storage problems (the status reports them).
   * @throws TypeError (as a rejection) when `meta` is malformed; the current session then continues.
   */
  async start(metaInput: SessionMetaInput): Promise<string> {
    if (this.closePromise) throw new Error('SessionLog.start: the log is closed');
    const meta = normaliseSessionMeta(metaInput);
    if (this.session) this.finish(this.session);
    const id = newSessionId(meta.wallStartMs);
    const session: RecordingSession = { id, pages: new PageAssembler(meta, this.options), store: new SessionPageStore(id, meta), finished: false };
    this.session = session;
    this.lastSession = session;
    const ok = this.reporter.currentState === 'ok';
    this.reporter.set(this.reporter.currentState, ok ? 'Recording.' : this.reporter.currentMessage, id);
    if (this.timer === undefined) this.timer = setInterval(() => this.tick(), this.options.flushIntervalMs);
    await this.flush();
    const db = this.connection.db;
    if (db && this.connection.isOpen) {
      try {
        await applyRetention(new SessionCatalog(db), this.options.retention, new Set([id]));
      } catch {
        // Retention is housekeeping: a failure here must not stop recording.
      }
    }
    return id;
  }

  /**
   * Appends one record to the current session. O(1) (amortised), never
   * throws, needs no await. A `features` record is routed to
   * {@link appendFeatures} (its timing fields are recomputed from the hop
   * index). Malformed records are dropped and counted in `stats`.
   */
  append(record: LogRecord): void {
    try {
      const s = this.session;
      if (!s) {
        this.droppedWithoutSession++;
        return;
      }
      const problem = recordProblem(record);
      if (problem !== undefined) {
        this.reject(s, problem);
        return;
      }
      if (record.kind === 'features') {
        this.appendFeatures(record.firstHopIndex, record.values, record.frameCount);
        return;
      }
      const refused = s.pages.appendEvent(record);
      if (refused !== undefined) this.reject(s, refused);
      else this.counters.appendedRecords++;
    } catch (error) {
      this.internalError(error);
    }
  }

  /**
   * Appends consecutive feature frames. Never throws.
   * @param firstHopIndex hop index of the first frame (frame `i` is at audio frame
   *   `meta.features.originFrame + (firstHopIndex + i) * meta.features.hopSamples`).
   * @param values frame-major values, at least `frameCount * featureNames.length` long (copied).
   * @param frameCount frames to take from `values`.
   */
  appendFeatures(firstHopIndex: number, values: Float32Array, frameCount: number): void {
    try {
      const s = this.session;
      if (!s) {
        this.droppedWithoutSession += Math.max(0, frameCount | 0);
        return;
      }
      const refused = s.pages.appendFeatures(firstHopIndex, values, frameCount);
      if (refused !== undefined) this.reject(s, refused);
      else this.counters.appendedRecords += frameCount;
    } catch (error) {
      this.internalError(error);
    }
  }

  private reject(s: RecordingSession, problem: string): void {
    this.counters.rejectedRecords++;
    this.counters.lastProblem = problem;
    s.store.dropped++;
  }

  private internalError(error: unknown): void {
    this.counters.lastProblem = `internal error: ${errorText(error)}`;
    this.degrade(`Session log error (${errorText(error)})`);
  }

  /** Ends a session: its pages close, its row is written as closed, and it is written until all of it is stored. */
  private finish(s: RecordingSession): void {
    s.pages.closeOpenPages();
    s.store.finish();
    s.finished = true;
    this.retiring.push(s);
  }

  private tick(): void {
    const s = this.session;
    const busy = this.retiring.length > 0 || (s !== undefined && (s.pages.hasUnsaved || s.store.needsWrite(this.options.heartbeatMs)));
    if (busy && !this.flushQueued) void this.enqueueFlush(false);
  }

  /**
   * Writes everything appended so far (open pages included) and resolves
   * when it is stored, or kept in memory if storage fails. Never rejects.
   * Call it on `pagehide` and `visibilitychange`.
   */
  flush(): Promise<void> {
    return this.enqueueFlush(true);
  }

  /** @param force write the open pages too, however young their data. */
  private enqueueFlush(force: boolean): Promise<void> {
    this.flushQueued = true;
    this.chain = this.chain.then(async () => {
      this.flushQueued = false;
      try {
        for (const s of [...this.retiring, ...(this.session ? [this.session] : [])]) await this.flushSession(s, force);
      } catch (error) {
        this.internalError(error);
      }
    });
    return this.chain;
  }

  private async flushSession(s: RecordingSession, force: boolean): Promise<void> {
    // Open pages are written only when their oldest unsaved data would otherwise outlive the loss bound.
    const snapshotBefore = force ? Infinity : Date.now() - Math.max(0, this.options.maxLossMs - 2 * this.options.flushIntervalMs);
    await s.store.stage(s.pages.takePages(snapshotBefore), this.options.compress);
    if (!s.store.needsWrite(this.options.heartbeatMs)) return;
    const wasOpen = this.connection.isOpen;
    if (this.connection.attemptNow(this.options.retryIntervalMs)) {
      try {
        await this.write(s);
        if (!wasOpen) this.reporter.set('ok', 'Recording (storage recovered).', this.session?.id);
      } catch (error) {
        this.counters.writeFailures++;
        const quota = isQuotaError(error);
        this.lastWriteProblem = quota ? 'storage is full' : errorText(error);
        this.degrade(writeFailureReason(quota, s.store.row.storedBytes, errorText(error)));
      }
    }
    if (s.store.pendingPages > 0) s.store.boundMemory(this.options.maxMemoryBytes);
    // A finished session stays in `retiring` until all of it is stored (or the log closes). close() may
    // have run while this flush awaited: its final pages then wait in the assembler and its row is dirty.
    const stored = s.store.settled && !s.pages.hasClosedPages;
    if (s.finished && stored && this.retiring.includes(s)) this.retiring.splice(this.retiring.indexOf(s), 1);
  }

  /** Stores a session's pending pages and its row in one transaction, reconnecting first if the connection is gone. */
  private async write(s: RecordingSession): Promise<void> {
    let db = this.connection.db;
    if (!db) {
      if (!(await this.connection.connect())) throw new Error(`IndexedDB is unavailable (${this.connection.error})`);
      db = this.connection.db as NonNullable<typeof db>;
      if (await s.store.reconcile(db)) s.pages.markOpenPagesUnsaved();
    }
    await s.store.write(db, s.pages.musicRecords, this.options.quotaBytes);
    this.counters.transactions++;
    this.connection.recover(db);
  }

  /**
   * Finishes the session (closing its pages, marking it closed), writes
   * everything and closes the database. Idempotent; never rejects. Records
   * appended afterwards are dropped. What could not be stored is counted
   * (`status.droppedRecords`, and the session row where it still fits).
   */
  close(): Promise<void> {
    if (this.closePromise) return this.closePromise;
    this.closePromise = (async () => {
      if (this.timer !== undefined) clearInterval(this.timer);
      this.timer = undefined;
      if (this.session) {
        this.finish(this.session);
        this.session = undefined;
      }
      // Closing is the last chance: retry storage now, whatever the retry interval says.
      this.connection.retrySoon();
      await this.flush();
      const unsaved = this.retiring.splice(0);
      let lostRecords = this.droppedWithoutSession;
      for (const r of unsaved) {
        // What is still pending now is lost: count it, and try to store at least the row that says so.
        r.store.abandonPending();
        lostRecords += r.store.dropped;
        const db = this.connection.db;
        if (db) await r.store.writeClosingRow(db, r.pages.musicRecords);
      }
      if (unsaved.length > 0) {
        this.reporter.set('failed', `Closed with ${lostRecords} record(s) unsaved (${this.lastWriteProblem ?? this.connection.error ?? 'storage failed'}).`, undefined);
      }
      this.connection.close();
    })();
    return this.closePromise;
  }
}
