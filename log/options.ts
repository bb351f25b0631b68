/**
 * The writer's options: the one place their defaults live.
 */
import { DEFAULT_DB_NAME } from './db.ts';
import type { FeatureEncoding } from './codec/feature-page.ts';

/** How many old sessions to keep. Applied when a session starts, to closed sessions, oldest first. */
export interface RetentionSettings {
  /** Sessions kept, including the new one (default 50, at least 1). */
  maxSessions: number;
  /** Stored bytes kept across all sessions (default 512 MiB). */
  maxBytes: number;
}

/** Options of `SessionLog.open`. */
export interface SessionLogOptions {
  /** IndexedDB database name (default `deep-improv-log`). */
  dbName: string;
  /** How often closed pages are written, in ms (default 250). */
  flushIntervalMs: number;
  /**
   * How much a crash may lose, in ms (default 1000): an open page is written early once its oldest
   * unsaved record is `maxLossMs - 2 * flushIntervalMs` old. Smaller means more rewrites of open pages.
   */
  maxLossMs: number;
  /** Audio time one feature chunk covers, in seconds (default 1); the events page closes with each chunk. */
  pageSeconds: number;
  /** An events page also closes when its encoded records reach this many bytes (default 256 KiB, at most 16 MiB; e.g. sysex floods). */
  maxPageBytes: number;
  /**
   * How feature values are stored: `u12` (default, 1.5 bytes a value, error ≤ 1/8184 of each feature's range within
   * its chunk), `u16` (2 bytes, ≤ 1/131064), or `f32` (4 bytes, exact). See codec/feature-page.ts.
   */
  featureEncoding: FeatureEncoding;
  /** Deflate pages before storing them (default true; ignored where CompressionStream is missing). */
  compress: boolean;
  /** Most bytes held in memory while IndexedDB cannot be written (default 32 MiB); the oldest pages go first. 0 keeps nothing. */
  maxMemoryBytes: number;
  /** How often a degraded writer tries IndexedDB again, in ms (default 5000). */
  retryIntervalMs: number;
  /** An idle recording session's row is rewritten this often, in ms (default 5000), so readers can tell it is alive. */
  heartbeatMs: number;
  /** Retention of old sessions. */
  retention: RetentionSettings;
  /**
   * Most bytes this writer stores for one session (default Infinity). Writes that would pass it fail as
   * if the disk were full (a `QuotaExceededError`): a cap for small devices and the way tests exhaust the quota.
   */
  quotaBytes: number;
}

/** The defaults of every option. */
export function defaultSessionLogOptions(): SessionLogOptions {
  return {
    dbName: DEFAULT_DB_NAME,
    flushIntervalMs: 250,
    maxLossMs: 1000,
    pageSeconds: 1,
    maxPageBytes: 256 * 1024,
    featureEncoding: 'u12',
    compress: true,
    maxMemoryBytes: 32 * 1024 * 1024,
    retryIntervalMs: 5000,
    heartbeatMs: 5000,
    retention: { maxSessions: 50, maxBytes: 512 * 1024 * 1024 },
    quotaBytes: Infinity,
  };
}

/** Merges partial options over the defaults, clamping numbers into their valid ranges. */
export function resolveSessionLogOptions(options: Partial<SessionLogOptions> = {}): SessionLogOptions {
  const d = defaultSessionLogOptions();
  const num = (value: unknown, fallback: number, min: number): number =>
    typeof value === 'number' && !Number.isNaN(value) ? Math.max(min, value) : fallback;
  return {
    dbName: typeof options.dbName === 'string' && options.dbName !== '' ? options.dbName : d.dbName,
    flushIntervalMs: num(options.flushIntervalMs, d.flushIntervalMs, 10),
    maxLossMs: num(options.maxLossMs, d.maxLossMs, 0),
    pageSeconds: num(options.pageSeconds, d.pageSeconds, 0.01),
    maxPageBytes: Math.min(16 * 1024 * 1024, num(options.maxPageBytes, d.maxPageBytes, 1024)),
    featureEncoding: options.featureEncoding === 'f32' || options.featureEncoding === 'u16' || options.featureEncoding === 'u12' ? options.featureEncoding : d.featureEncoding,
    compress: typeof options.compress === 'boolean' ? options.compress : d.compress,
    maxMemoryBytes: num(options.maxMemoryBytes, d.maxMemoryBytes, 0),
    retryIntervalMs: num(options.retryIntervalMs, d.retryIntervalMs, 10),
    heartbeatMs: num(options.heartbeatMs, d.heartbeatMs, 10),
    retention: {
      maxSessions: Math.round(num(options.retention?.maxSessions, d.retention.maxSessions, 1)),
      maxBytes: num(options.retention?.maxBytes, d.retention.maxBytes, 0),
    },
    quotaBytes: num(options.quotaBytes, d.quotaBytes, 0),
  };
}
