/**
 * The page assembler: turns one session's appended records into page
 * bodies, with no storage and no timers, so Node tests drive it directly.
 *
 * It keeps two open pages: the feature chunk (about `pageSeconds` of frames,
 * at most {@link MAX_CHUNK_VALUE_BYTES} of float32 values) and the events
 * page, which closes with each chunk, or by itself after `2 × pageSeconds`
 * of audio or `maxPageBytes` of encoded records (sessions without features,
 * floods). Closed pages wait in a queue until {@link PageAssembler.takePages}
 * hands them out, with snapshots of the open pages whose unsaved data is old
 * enough (a snapshot is `final: false`: the page is written again later).
 *
 * Records get sequence numbers in append order; pages get page numbers in
 * the order they open.
 */
import { EventPageBuilder } from '../codec/event-page.ts';
import { encodeFeaturePage, type FeatureEncoding } from '../codec/feature-page.ts';
import type { PageType } from '../codec/page.ts';
import { MAX_CHUNK_VALUE_BYTES } from '../limits.ts';
import { emptyKindCounts, isMusicRecord, type KindCounts, type LogRecord } from '../records.ts';
import type { SessionMeta } from '../session-meta.ts';

/** A non-features record (features arrive through {@link PageAssembler.appendFeatures}). */
export type EventRecord = Exclude<LogRecord, { kind: 'features' }>;

/** A page's body, ready to be enveloped and stored. */
export interface RawPage {
  pageSeq: number;
  type: PageType;
  body: Uint8Array;
  /** Earliest and latest record audio time in the page, seconds. */
  t0S: number;
  t1S: number;
  counts: KindCounts;
  featureFrames: number;
  /** False for a snapshot of a page that is still open (it will be written again). */
  final: boolean;
}

/** What the assembler needs from the writer's options. */
export interface AssemblerOptions {
  /** Audio seconds one feature chunk covers. */
  pageSeconds: number;
  /** Encoded bytes at which an events page closes. */
  maxPageBytes: number;
  featureEncoding: FeatureEncoding;
}

/** The open feature chunk. */
interface OpenChunk {
  pageSeq: number;
  seq: number;
  firstHopIndex: number;
  frameCount: number;
  values: Float32Array;
  dirty: boolean;
  /** When the chunk got its oldest unsaved frame (ms on the assembler's clock). */
  unsavedSinceMs: number;
}

/** The open events page. */
interface OpenEvents {
  builder: EventPageBuilder;
  pageSeq: number;
  dirty: boolean;
  /** When the page got its oldest unsaved record (ms on the assembler's clock). */
  unsavedSinceMs: number;
}

/** Assembles one session's pages. See the module comment. */
export class PageAssembler {
  /** Frames per feature chunk. */
  readonly chunkFrames: number;
  /** Audio seconds per hop. */
  readonly hopS: number;
  /** Music records accepted so far (see `isMusicRecord`). */
  musicRecords = 0;
  private nextSeq = 0;
  private nextPageSeq = 0;
  private events: OpenEvents | undefined;
  private chunk: OpenChunk | undefined;
  private readonly closed: RawPage[] = [];

  /**
   * @param now the clock unsaved ages are measured on, ms (default `Date.now`).
   */
  constructor(readonly meta: SessionMeta, private readonly options: AssemblerOptions, private readonly now: () => number = Date.now) {
    this.hopS = meta.features.hopSamples / meta.features.sampleRateHz;
    const byTime = Math.round(options.pageSeconds / this.hopS);
    const bySize = Math.floor(MAX_CHUNK_VALUE_BYTES / (4 * Math.max(1, meta.features.names.length)));
    this.chunkFrames = Math.max(1, Math.min(byTime, bySize));
  }

  /** True when closed pages wait to be taken. */
  get hasClosedPages(): boolean {
    return this.closed.length > 0;
  }

  /** True when anything appended is not yet handed out (closed pages, or open pages with new data). */
  get hasUnsaved(): boolean {
    return this.closed.length > 0 || this.events?.dirty === true || this.chunk?.dirty === true;
  }

  /**
   * Appends one non-features record (already checked with `recordProblem`).
   * @returns undefined, or why the record could not be encoded (it is then not in any page).
   */
  appendEvent(record: EventRecord): string | undefined {
    if (!this.events) this.events = { builder: new EventPageBuilder(this.meta.sampleRateHz), pageSeq: this.nextPageSeq++, dirty: false, unsavedSinceMs: 0 };
    const events = this.events;
    try {
      events.builder.append(this.nextSeq, record);
    } catch (error) {
      return `${record.kind} record: ${(error as Error).message}`;
    }
    this.nextSeq++;
    if (isMusicRecord(record)) this.musicRecords++;
    if (!events.dirty) events.unsavedSinceMs = this.now();
    events.dirty = true;
    const b = events.builder;
    if (b.t1S - b.t0S >= 2 * this.options.pageSeconds || b.byteLength >= this.options.maxPageBytes) this.closeEventsPage();
    return undefined;
  }

  /**
   * Appends consecutive feature frames (copied). A gap or a jump back in the hop index starts a new chunk.
   * @param firstHopIndex hop index of the first frame.
   * @param values frame-major values, at least `frameCount × featureCount` long.
   * @returns undefined, or what is wrong with the arguments (nothing is appended then).
   */
  appendFeatures(firstHopIndex: number, values: Float32Array, frameCount: number): string | undefined {
    const f = this.meta.features.names.length;
    if (!Number.isSafeInteger(firstHopIndex) || !Number.isSafeInteger(frameCount) || frameCount < 0) {
      return `appendFeatures: firstHopIndex and frameCount must be integers (frameCount >= 0), got ${firstHopIndex} and ${frameCount}`;
    }
    if (!(values instanceof Float32Array) || values.length < frameCount * f) {
      return `appendFeatures: expected a Float32Array of at least ${frameCount} × ${f} values, got ${values instanceof Float32Array ? values.length : typeof values}`;
    }
    let i = 0;
    while (i < frameCount) {
      const hop = firstHopIndex + i;
      let chunk = this.chunk;
      if (!chunk || chunk.firstHopIndex + chunk.frameCount !== hop) {
        // A gap or a jump back (e.g. the processor restarted) starts a new chunk.
        if (chunk) this.closeChunk();
        chunk = {
          pageSeq: this.nextPageSeq++, seq: this.nextSeq++, firstHopIndex: hop, frameCount: 0,
          values: new Float32Array(this.chunkFrames * f), dirty: false, unsavedSinceMs: 0,
        };
        this.chunk = chunk;
      }
      const n = Math.min(frameCount - i, this.chunkFrames - chunk.frameCount);
      chunk.values.set(values.subarray(i * f, (i + n) * f), chunk.frameCount * f);
      chunk.frameCount += n;
      if (!chunk.dirty) chunk.unsavedSinceMs = this.now();
      chunk.dirty = true;
      i += n;
      if (chunk.frameCount === this.chunkFrames) {
        this.closeChunk();
        // Close the events page with it: one transaction per second carries both, live.
        this.closeEventsPage();
      }
    }
    return undefined;
  }

  /** Closes both open pages (the session is ending). */
  closeOpenPages(): void {
    this.closeEventsPage();
    this.closeChunk();
  }

  /**
   * Hands out the closed pages, then snapshots of the open pages whose oldest
   * unsaved data arrived at or before `snapshotBeforeMs` (pass `Infinity` to
   * snapshot every open page with new data).
   */
  takePages(snapshotBeforeMs: number): RawPage[] {
    const pages = this.closed.splice(0);
    const events = this.events;
    if (events?.dirty && events.unsavedSinceMs <= snapshotBeforeMs) {
      pages.push(this.eventsRaw(events, false));
      events.dirty = false;
    }
    if (this.chunk?.dirty && this.chunk.unsavedSinceMs <= snapshotBeforeMs) pages.push(this.chunkRaw(this.chunk, false));
    return pages;
  }

  /** Marks the open pages as unsaved in full (their stored snapshots were lost), so they are written again. */
  markOpenPagesUnsaved(): void {
    if (this.events && this.events.builder.count > 0) this.events.dirty = true;
    if (this.chunk && this.chunk.frameCount > 0) this.chunk.dirty = true;
  }

  private closeEventsPage(): void {
    const events = this.events;
    if (!events || events.builder.count === 0) return;
    this.closed.push(this.eventsRaw(events, true));
    this.events = undefined;
  }

  private closeChunk(): void {
    const chunk = this.chunk;
    if (!chunk || chunk.frameCount === 0) return;
    this.closed.push(this.chunkRaw(chunk, true));
    this.chunk = undefined;
  }

  private eventsRaw(events: OpenEvents, final: boolean): RawPage {
    const b = events.builder;
    return { pageSeq: events.pageSeq, type: 'events', body: b.body(), t0S: b.t0S, t1S: b.t1S, counts: { ...b.kindCounts }, featureFrames: 0, final };
  }

  private chunkRaw(c: OpenChunk, final: boolean): RawPage {
    const meta = this.meta;
    const layout = meta.features;
    const f = layout.names.length;
    const framesPerHop = layout.hopSamples * (meta.sampleRateHz / layout.sampleRateHz);
    const frame = layout.originFrame + c.firstHopIndex * framesPerHop;
    const audioTimeS = frame / meta.sampleRateHz;
    const body = encodeFeaturePage(c.seq, {
      audioTimeS,
      frame,
      wallTimeMs: meta.wallStartMs + (audioTimeS - meta.audioStartTimeS) * 1000,
      firstHopIndex: c.firstHopIndex,
      frameCount: c.frameCount,
      featureCount: f,
      values: c.values.subarray(0, c.frameCount * f),
    }, this.options.featureEncoding);
    const counts = emptyKindCounts();
    counts.features = 1;
    c.dirty = false;
    return { pageSeq: c.pageSeq, type: 'features', body, t0S: audioTimeS, t1S: audioTimeS + (c.frameCount - 1) * this.hopS, counts, featureFrames: c.frameCount, final };
  }
}
