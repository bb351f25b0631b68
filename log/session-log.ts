/**
 * The session log writer. It runs in the worker: the worker entry opens one
 * `SessionLog` per plugin instance, starts a session, and appends every
 * record the processor and the node send it.
 *
 * Records are encoded as they arrive into the open pages (one feature chunk
 * of about `pageSeconds` of audio, and one events page that closes with it),
 * and a timer writes closed pages every `flushIntervalMs`, one IndexedDB
 * transaction per flush, each page once. An open page is also written (and
 * later overwritten) when its oldest unsaved record gets older than
 * `maxLossMs - 2 * flushIntervalMs`, so a crash loses at most about
 * `maxLossMs` (default 1 s); `flush()` writes the open pages at once.
 *
 * The writer never throws into its caller: `append` and `appendFeatures`
 * drop and count malformed input, and when IndexedDB is missing, full or
 * failing the writer keeps the newest pages in a bounded memory buffer,
 * retries now and then, and reports its state to `onStatus` listeners.
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
import { openLogDb, type LogDb, type PageMetaRow, type SessionRow } from './db.ts';
import { SessionCatalog } from './catalog.ts';
import { applyRetention } from './retention.ts';
import { EventPageBuilder } from './codec/event-page.ts';
import { encodeFeaturePage } from './codec/feature-page.ts';
import { encodePage, type PageType } from './codec/page.ts';
import { crc32 } from './codec/crc32.ts';
import { addKindCounts, emptyKindCounts, isMusicRecord, type KindCounts, type LogRecord } from './records.ts';
import { normaliseSessionMeta, type SessionMeta, type SessionMetaInput } from './session-meta.ts';
import { newSessionId } from './session-id.ts';
import { recordProblem } from './validate-record.ts';
import { resolveSessionLogOptions, type SessionLogOptions } from './options.ts';
import type { LogState, LogStatus, LogStatusListener } from './status.ts';
import { MAX_CHUNK_VALUE_BYTES } from './limits.ts';
import { errorText, isQuotaError } from './storage-error.ts';

/** Counters for diagnostics and the benchmark. */
export interface SessionLogStats {
  /** Records accepted by `append` (a feature frame counts as one record here). */
  appendedRecords: number;
  /** Records refused as malformed. */
  rejectedRecords: number;
  /** Why the last record was refused. */
  lastProblem: string | undefined;
  /** Records lost from the memory buffer, or appended with no session open. */
  droppedRecords: number;
  /** Completed IndexedDB write transactions. */
  transactions: number;
  /** Failed IndexedDB write transactions. */
  writeFailures: number;
  /** Bytes of page data stored for the current session. */
  storedBytes: number;
}

/** A page's encoded body, waiting to be enveloped and written. */
interface RawPage {
  pageSeq: number;
  type: PageType;
  body: Uint8Array;
  t0S: number;
  t1S: number;
  counts: KindCounts;
  featureFrames: number;
  /** False for a snapshot of a page that is still open (it will be rewritten). */
  final: boolean;
}

/** A page ready to store. */
interface EncodedPage {
  meta: PageMetaRow;
  bytes: Uint8Array;
  final: boolean;
}

/** The open feature chunk. */
interface OpenChunk {
  pageSeq: number;
  seq: number;
  firstHopIndex: number;
  frameCount: number;
  values: Float32Array;
  dirty: boolean;
  /** When the chunk got its oldest unsaved frame (Date.now() ms). */
  unsavedSinceMs: number;
}

/** One session's writing state. */
interface Session {
  id: string;
  meta: SessionMeta;
  /** The row as last stored (totals of what IndexedDB holds). */
  row: SessionRow;
  rowDirty: boolean;
  closing: boolean;
  nextSeq: number;
  nextPageSeq: number;
  events: EventPageBuilder | undefined;
  eventsPageSeq: number;
  eventsDirty: boolean;
  /** When the open events page got its oldest unsaved record (Date.now() ms). */
  eventsUnsavedSinceMs: number;
  /** The meta is stored (it goes in the session's first transaction). */
  metaStored: boolean;
  chunk: OpenChunk | undefined;
  chunkFrames: number;
  /** Audio seconds per hop, for chunk timing. */
  hopS: number;
  /** Pages closed since the last flush, not yet encoded. */
  closedRaw: RawPage[];
  /** Encoded pages not yet stored (the memory buffer while degraded), by page number. */
  pending: Map<number, EncodedPage>;
  pendingBytes: number;
  /** Stored snapshots of pages that are still open, by page number. */
  storedOpen: Map<number, PageMetaRow>;
  dropped: number;
  /** Music records appended (see isMusicRecord). */
  musicRecords: number;
  lastRowWriteMs: number;
}


const formatMb = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** Writes sessions to IndexedDB. See the module comment. */
export class SessionLog {
  /** The resolved options (defaults filled in). */
  readonly options: SessionLogOptions;
  private db: LogDb | undefined;
  private dbError: string | undefined;
  private session: Session | undefined;
  /** The last session started (kept after close for `stats`). */
  private lastSession: Session | undefined;
  private readonly retiring: Session[] = [];
  private readonly listeners = new Set<LogStatusListener>();
  private currentStatus: LogStatus;
  private timer: ReturnType<typeof setInterval> | undefined;
  private chain: Promise<void> = Promise.resolve();
  private flushQueued = false;
  private lastAttemptMs = 0;
  private closePromise: Promise<void> | undefined;
  private readonly counters: Omit<SessionLogStats, 'storedBytes' | 'droppedRecords'> = {
    appendedRecords: 0, rejectedRecords: 0, lastProblem: undefined, transactions: 0, writeFailures: 0,
  };
  private droppedWithoutSession = 0;
  /** Why the last write failed, for the closing message. */
  private lastWriteProblem: string | undefined;

  private constructor(options: SessionLogOptions) {
    this.options = options;
    this.currentStatus = {
      state: 'ok', message: 'Session log ready.', sessionId: undefined, bufferedBytes: 0, droppedRecords: 0, retention: { ...options.retention },
    };
  }

  /**
   * Opens the log database and returns a writer. Never rejects: when
   * IndexedDB is unavailable the writer starts in `degraded-memory` (or
   * `failed` with `maxMemoryBytes: 0`).
   */
  static async open(options: Partial<SessionLogOptions> = {}): Promise<SessionLog> {
    const log = new SessionLog(resolveSessionLogOptions(options));
    await log.connect();
    if (!log.db) log.degrade(`IndexedDB is unavailable (${log.dbError})`);
    return log;
  }

  private async connect(): Promise<boolean> {
    try {
      const db = await openLogDb(this.options.dbName, {
        onVersionChange: () => this.lostDb('the log database was deleted or upgraded by another page'),
        onTerminated: () => this.lostDb('the browser closed the log database (storage cleared or a disk error)'),
      });
      this.db = db;
      this.dbError = undefined;
      return true;
    } catch (error) {
      this.db = undefined;
      this.dbError = errorText(error);
      return false;
    }
  }

  private lostDb(reason: string): void {
    this.db = undefined;
    this.dbError = reason;
    this.degrade(`Lost the log database: ${reason}`);
  }

  /** The current status. */
  get status(): LogStatus {
    const s = this.session;
    return {
      ...this.currentStatus,
      retention: { ...this.options.retention },
      bufferedBytes: s ? s.pendingBytes : 0,
      droppedRecords: this.droppedRecords(),
    };
  }

  /** Records not stored in the current (else the last) session, and those appended with no session open. */
  private droppedRecords(): number {
    return this.droppedWithoutSession + ((this.session ?? this.lastSession)?.dropped ?? 0);
  }

  /** Counters (a snapshot). */
  get stats(): SessionLogStats {
    const s = this.session ?? this.lastSession;
    return {
      ...this.counters,
      droppedRecords: this.droppedRecords(),
      storedBytes: s?.row.storedBytes ?? 0,
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
    this.listeners.add(listener);
    this.safeCall(listener, this.status);
    return () => this.listeners.delete(listener);
  }

  private safeCall(listener: LogStatusListener, status: LogStatus): void {
    try {
      listener(status);
    } catch {
      // A listener's bug must not stop the log.
    }
  }

  private setStatus(state: LogState, message: string): void {
    const s = this.session;
    const next: LogStatus = {
      state,
      message,
      sessionId: s?.id,
      bufferedBytes: s ? s.pendingBytes : 0,
      droppedRecords: this.droppedRecords(),
      retention: { ...this.options.retention },
    };
    const prev = this.currentStatus;
    this.currentStatus = next;
    if (prev.state === next.state && prev.message === next.message && prev.sessionId === next.sessionId) return;
    for (const listener of this.listeners) this.safeCall(listener, { ...next });
  }

  private degrade(reason: string): void {
    if (this.options.maxMemoryBytes <= 0) {
      this.setStatus('failed', `${reason}. The session is not being saved.`);
    } else {
      this.setStatus('degraded-memory', `${reason}. Keeping the newest ${formatMb(this.options.maxMemoryBytes)} in memory and retrying; the plugin keeps playing.`);
    }
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
    const previous = this.session;
    if (previous) {
      this.closeOpenPages(previous);
      previous.closing = true;
      previous.rowDirty = true;
      this.retiring.push(previous);
    }
    const id = newSessionId(meta.wallStartMs);
    const hopS = meta.features.hopSamples / meta.features.sampleRateHz;
    const session: Session = {
      id,
      meta,
      row: {
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
      },
      rowDirty: true,
      closing: false,
      nextSeq: 0,
      nextPageSeq: 0,
      events: undefined,
      eventsPageSeq: -1,
      eventsDirty: false,
      eventsUnsavedSinceMs: 0,
      metaStored: false,
      chunk: undefined,
      // At most MAX_CHUNK_VALUE_BYTES of float32 values a chunk, so no page passes the page maximum.
      chunkFrames: Math.max(1, Math.min(Math.round(this.options.pageSeconds / hopS), Math.floor(MAX_CHUNK_VALUE_BYTES / (4 * Math.max(1, meta.features.names.length))))),
      hopS,
      closedRaw: [],
      pending: new Map(),
      pendingBytes: 0,
      storedOpen: new Map(),
      dropped: 0,
      musicRecords: 0,
      lastRowWriteMs: 0,
    };
    this.session = session;
    this.lastSession = session;
    this.setStatus(this.currentStatus.state, this.currentStatus.state === 'ok' ? 'Recording.' : this.currentStatus.message);
    if (this.timer === undefined) {
      this.timer = setInterval(() => this.tick(), this.options.flushIntervalMs);
    }
    await this.flush();
    if (this.db && this.currentStatus.state === 'ok') {
      try {
        await applyRetention(new SessionCatalog(this.db), this.options.retention, new Set([id]));
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
        this.reject(problem);
        return;
      }
      if (record.kind === 'features') {
        this.appendFeatures(record.firstHopIndex, record.values, record.frameCount);
        return;
      }
      if (!s.events) {
        s.events = new EventPageBuilder(s.meta.sampleRateHz);
        s.eventsPageSeq = s.nextPageSeq++;
      }
      const events = s.events;
      try {
        events.append(s.nextSeq, record);
      } catch (error) {
        this.reject(`${record.kind} record: ${(error as Error).message}`);
        return;
      }
      s.nextSeq++;
      if (isMusicRecord(record)) s.musicRecords++;
      if (!s.eventsDirty) s.eventsUnsavedSinceMs = Date.now();
      s.eventsDirty = true;
      this.counters.appendedRecords++;
      // Events pages normally close with the feature chunk; this catches sessions without features, and floods.
      if (events.t1S - events.t0S >= 2 * this.options.pageSeconds || events.byteLength >= this.options.maxPageBytes) {
        this.closeEventsPage(s);
      }
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
      const f = s.meta.features.names.length;
      if (!Number.isSafeInteger(firstHopIndex) || !Number.isSafeInteger(frameCount) || frameCount < 0) {
        this.reject(`appendFeatures: firstHopIndex and frameCount must be integers (frameCount >= 0), got ${firstHopIndex} and ${frameCount}`);
        return;
      }
      if (!(values instanceof Float32Array) || values.length < frameCount * f) {
        this.reject(`appendFeatures: expected a Float32Array of at least ${frameCount} × ${f} values, got ${values instanceof Float32Array ? values.length : typeof values}`);
        return;
      }
      let i = 0;
      while (i < frameCount) {
        const hop = firstHopIndex + i;
        let chunk = s.chunk;
        if (!chunk || chunk.firstHopIndex + chunk.frameCount !== hop) {
          // A gap or a jump back (e.g. the processor restarted) starts a new chunk.
          if (chunk) this.closeChunk(s);
          chunk = {
            pageSeq: s.nextPageSeq++, seq: s.nextSeq++, firstHopIndex: hop, frameCount: 0, values: new Float32Array(s.chunkFrames * f), dirty: false, unsavedSinceMs: 0,
          };
          s.chunk = chunk;
        }
        const n = Math.min(frameCount - i, s.chunkFrames - chunk.frameCount);
        chunk.values.set(values.subarray(i * f, (i + n) * f), chunk.frameCount * f);
        chunk.frameCount += n;
        if (!chunk.dirty) chunk.unsavedSinceMs = Date.now();
        chunk.dirty = true;
        i += n;
        if (chunk.frameCount === s.chunkFrames) {
          this.closeChunk(s);
          // Close the events page with it: one transaction per second carries both, live.
          this.closeEventsPage(s);
        }
      }
      this.counters.appendedRecords += frameCount;
    } catch (error) {
      this.internalError(error);
    }
  }

  private reject(problem: string): void {
    this.counters.rejectedRecords++;
    this.counters.lastProblem = problem;
    if (this.session) this.session.dropped++;
  }

  private internalError(error: unknown): void {
    this.counters.lastProblem = `internal error: ${errorText(error)}`;
    this.degrade(`Session log error (${errorText(error)})`);
  }

  private closeEventsPage(s: Session): void {
    if (!s.events || s.events.count === 0) return;
    s.closedRaw.push(this.eventsRaw(s, true));
    s.events = undefined;
    s.eventsDirty = false;
  }

  private eventsRaw(s: Session, final: boolean): RawPage {
    const events = s.events as EventPageBuilder;
    return {
      pageSeq: s.eventsPageSeq, type: 'events', body: events.body(), t0S: events.t0S, t1S: events.t1S,
      counts: { ...events.kindCounts }, featureFrames: 0, final,
    };
  }

  private closeChunk(s: Session): void {
    if (!s.chunk || s.chunk.frameCount === 0) return;
    s.closedRaw.push(this.chunkRaw(s, true));
    s.chunk = undefined;
  }

  private chunkRaw(s: Session, final: boolean): RawPage {
    const c = s.chunk as OpenChunk;
    const layout = s.meta.features;
    const f = layout.names.length;
    const framesPerHop = layout.hopSamples * (s.meta.sampleRateHz / layout.sampleRateHz);
    const frame = layout.originFrame + c.firstHopIndex * framesPerHop;
    const audioTimeS = frame / s.meta.sampleRateHz;
    const body = encodeFeaturePage(c.seq, {
      audioTimeS,
      frame,
      wallTimeMs: s.meta.wallStartMs + (audioTimeS - s.meta.audioStartTimeS) * 1000,
      firstHopIndex: c.firstHopIndex,
      frameCount: c.frameCount,
      featureCount: f,
      values: c.values.subarray(0, c.frameCount * f),
    }, this.options.featureEncoding);
    const counts = emptyKindCounts();
    counts.features = 1;
    c.dirty = false;
    return {
      pageSeq: c.pageSeq, type: 'features', body, t0S: audioTimeS, t1S: audioTimeS + (c.frameCount - 1) * s.hopS,
      counts, featureFrames: c.frameCount, final,
    };
  }

  private closeOpenPages(s: Session): void {
    this.closeEventsPage(s);
    this.closeChunk(s);
  }

  private tick(): void {
    const s = this.session;
    const now = Date.now();
    const busy = this.retiring.length > 0 || (s !== undefined && (
      s.closedRaw.length > 0 || s.eventsDirty || s.chunk?.dirty === true || s.rowDirty || s.pending.size > 0 ||
      now - s.lastRowWriteMs >= this.options.heartbeatMs));
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

  private async flushSession(s: Session, force: boolean): Promise<void> {
    const raw = s.closedRaw.splice(0);
    // Open pages are written only when their oldest unsaved data would otherwise outlive the loss bound.
    const snapshotBefore = Date.now() - Math.max(0, this.options.maxLossMs - 2 * this.options.flushIntervalMs);
    if (s.events && s.eventsDirty && (force || s.eventsUnsavedSinceMs <= snapshotBefore)) {
      raw.push(this.eventsRaw(s, false));
      s.eventsDirty = false;
    }
    if (s.chunk?.dirty && (force || s.chunk.unsavedSinceMs <= snapshotBefore)) raw.push(this.chunkRaw(s, false));
    for (const page of raw) {
      const bytes = await encodePage(page.type, page.body, this.options.compress);
      const encoded: EncodedPage = {
        bytes,
        final: page.final,
        meta: {
          sessionId: s.id, pageSeq: page.pageSeq, type: page.type, t0S: page.t0S, t1S: page.t1S,
          counts: page.counts, featureFrames: page.featureFrames, byteLength: bytes.length, crc32: crc32(bytes),
        },
      };
      const replaced = s.pending.get(page.pageSeq);
      if (replaced) s.pendingBytes -= replaced.bytes.length;
      s.pending.set(page.pageSeq, encoded);
      s.pendingBytes += bytes.length;
    }
    const heartbeat = Date.now() - s.lastRowWriteMs >= this.options.heartbeatMs;
    if (s.pending.size === 0 && !s.rowDirty && !heartbeat) return;
    const ok = this.currentStatus.state === 'ok';
    if (ok || Date.now() - this.lastAttemptMs >= this.options.retryIntervalMs) {
      this.lastAttemptMs = Date.now();
      try {
        await this.write(s);
        if (!ok) this.setStatus('ok', 'Recording (storage recovered).');
      } catch (error) {
        this.counters.writeFailures++;
        this.lastWriteProblem = isQuotaError(error) ? 'storage is full' : errorText(error);
        this.degrade(isQuotaError(error)
          ? `Storage is full (${formatMb(s.row.storedBytes)} stored for this session): delete or export old sessions`
          : `Could not write the session log (${errorText(error)})`);
      }
    }
    if (s.pending.size > 0) this.boundMemory(s);
    // A finished session stays in `retiring` until all of it is stored (or the log closes). close() may
    // have run while this flush awaited: its final pages then wait in closedRaw and its row is dirty.
    const stored = s.pending.size === 0 && s.closedRaw.length === 0 && !s.rowDirty;
    if (s.closing && stored && this.retiring.includes(s)) this.retiring.splice(this.retiring.indexOf(s), 1);
  }

  /** Stores a session's pending pages and its row in one transaction. */
  private async write(s: Session): Promise<void> {
    if (!this.db) {
      if (!(await this.connect())) throw new Error(`IndexedDB is unavailable (${this.dbError})`);
      await this.reconcile(s);
    }
    const db = this.db as LogDb;
    const pages = [...s.pending.values()];
    const row: SessionRow = { ...s.row, counts: { ...s.row.counts } };
    for (const page of pages) {
      const before = s.storedOpen.get(page.meta.pageSeq);
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
    const closing = s.closing;
    row.state = closing ? 'closed' : 'recording';
    row.updatedWallMs = Date.now();
    row.droppedRecords = s.dropped;
    row.musicRecords = s.musicRecords;
    if (row.storedBytes > this.options.quotaBytes) {
      throw new DOMException(`the session would hold ${row.storedBytes} bytes, over the ${this.options.quotaBytes}-byte quota`, 'QuotaExceededError');
    }
    const tx = db.transaction(['sessions', 'sessionMeta', 'pageMeta', 'pageData'], 'readwrite');
    const requests: Promise<unknown>[] = [];
    if (!s.metaStored) requests.push(tx.objectStore('sessionMeta').put(s.meta, s.id));
    for (const page of pages) {
      requests.push(tx.objectStore('pageMeta').put(page.meta));
      requests.push(tx.objectStore('pageData').put(page.bytes, [s.id, page.meta.pageSeq]));
    }
    requests.push(tx.objectStore('sessions').put(row));
    requests.push(tx.done);
    try {
      await Promise.all(requests);
    } catch (error) {
      // The requests of a transaction refused for quota fail as AbortError; the transaction names the cause.
      throw isQuotaError(error, tx.error) ? (tx.error ?? error) : error;
    }
    this.counters.transactions++;
    s.metaStored = true;
    s.row = row;
    // A close() during this transaction must still write the row as closed.
    s.rowDirty = s.closing !== closing;
    s.lastRowWriteMs = row.updatedWallMs;
    for (const page of pages) {
      if (page.final) s.storedOpen.delete(page.meta.pageSeq);
      else s.storedOpen.set(page.meta.pageSeq, page.meta);
    }
    s.pending.clear();
    s.pendingBytes = 0;
  }

  /**
   * Stores only the row of a session whose pages could not be stored, marked closed with its lost records counted.
   * A row is small: it often fits where its pages did not. A failure here is already reported by the status.
   */
  private async writeClosingRow(s: Session): Promise<void> {
    if (!this.db) return;
    const row: SessionRow = { ...s.row, state: 'closed', updatedWallMs: Date.now(), droppedRecords: s.dropped, musicRecords: s.musicRecords };
    try {
      const tx = this.db.transaction(s.metaStored ? ['sessions'] : ['sessions', 'sessionMeta'], 'readwrite');
      const requests: Promise<unknown>[] = [tx.objectStore('sessions').put(row), tx.done];
      if (!s.metaStored) requests.push(tx.objectStore('sessionMeta').put(s.meta, s.id));
      await Promise.all(requests);
      s.row = row;
      s.metaStored = true;
    } catch {
      // Once the origin is completely full even a row does not fit; the status has the count.
    }
  }

  /** After reconnecting: if the session's row is gone (database deleted), what was stored is gone too. */
  private async reconcile(s: Session): Promise<void> {
    const stored = await (this.db as LogDb).get('sessions', s.id);
    if (stored) return;
    s.metaStored = false;
    if (s.row.pageCount === 0) return;
    s.dropped += totalCount(s.row.counts);
    s.row = { ...s.row, counts: emptyKindCounts(), featureFrames: 0, storedBytes: 0, pageCount: 0, endAudioTimeS: s.meta.audioStartTimeS };
    // Open pages must be written again in full.
    if (s.events && s.events.count > 0) s.eventsDirty = true;
    if (s.chunk && s.chunk.frameCount > 0) s.chunk.dirty = true;
    s.storedOpen.clear();
  }

  /** Drops the oldest finished pages until the memory buffer fits its bound. */
  private boundMemory(s: Session): void {
    if (s.pendingBytes <= this.options.maxMemoryBytes) return;
    const finals = [...s.pending.values()].filter((p) => p.final).sort((a, b) => a.meta.pageSeq - b.meta.pageSeq);
    for (const page of finals) {
      if (s.pendingBytes <= this.options.maxMemoryBytes) break;
      s.pending.delete(page.meta.pageSeq);
      s.pendingBytes -= page.bytes.length;
      s.dropped += unstoredRecords(s, page);
    }
    this.setStatus(this.currentStatus.state, this.currentStatus.message);
  }

  /**
   * Finishes the session (closing its pages, marking it closed), writes
   * everything and closes the database. Idempotent; never rejects. Records
   * appended afterwards are dropped.
   */
  close(): Promise<void> {
    if (this.closePromise) return this.closePromise;
    this.closePromise = (async () => {
      if (this.timer !== undefined) clearInterval(this.timer);
      this.timer = undefined;
      const s = this.session;
      if (s) {
        this.closeOpenPages(s);
        s.closing = true;
        s.rowDirty = true;
        this.retiring.push(s);
        this.session = undefined;
      }
      // Closing is the last chance: retry storage now, whatever the retry interval says.
      this.lastAttemptMs = 0;
      await this.flush();
      const unsaved = this.retiring.splice(0);
      let lostRecords = this.droppedWithoutSession;
      for (const r of unsaved) {
        // What is still pending now is lost: count it, and try to store at least the row that says so.
        for (const page of r.pending.values()) r.dropped += unstoredRecords(r, page);
        r.pending.clear();
        r.pendingBytes = 0;
        lostRecords += r.dropped;
        await this.writeClosingRow(r);
      }
      if (unsaved.length > 0) {
        this.setStatus('failed', `Closed with ${lostRecords} record(s) unsaved (${this.lastWriteProblem ?? this.dbError ?? 'storage failed'}).`);
      }
      this.db?.close();
      this.db = undefined;
    })();
    return this.closePromise;
  }
}

/** Records of a pending page that are not in storage: all of them, less those of an earlier stored snapshot. */
function unstoredRecords(s: Session, page: EncodedPage): number {
  const snapshot = s.storedOpen.get(page.meta.pageSeq);
  return totalCount(page.meta.counts) - (snapshot ? totalCount(snapshot.counts) : 0);
}

function totalCount(counts: KindCounts): number {
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
