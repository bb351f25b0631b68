/**
 * The log's documented limits, in one place (see docs/session-log.md): what
 * it accepts at its boundaries (names, imported files, page sizes) and what
 * it keeps (retention), and {@link LogLimits}, the form the session browser
 * shows them in.
 */
import type { RetentionSettings } from './options.ts';
import { describeRetention } from './retention.ts';

/** Longest session name, in characters (UTF-16 code units) after trimming: 200. */
export const MAX_SESSION_NAME_LENGTH = 200;

/** Largest bundle file `import` accepts: 256 MiB (an hour of a busy session is about 23 MB). */
export const MAX_IMPORT_BYTES = 256 * 1024 * 1024;

/**
 * Largest page body a page envelope may state, 64 MiB: the writer never makes a bigger one (events pages close at
 * `maxPageBytes` ≤ 16 MiB, a record is at most {@link MAX_RECORD_BYTES}, feature chunks are capped at 16 MiB of
 * values), and decoding stops inflating at the stated length, so a crafted page cannot make the reader allocate more.
 */
export const MAX_PAGE_BODY_BYTES = 64 * 1024 * 1024;

/** Largest encoded record, 32 MiB (e.g. a sysex dump); a bigger one is refused and counted as dropped. */
export const MAX_RECORD_BYTES = 32 * 1024 * 1024;

/** Most bytes of feature values one chunk holds before it closes early, 16 MiB. */
export const MAX_CHUNK_VALUE_BYTES = 16 * 1024 * 1024;

/** The limits a user may run into, for display. */
export interface LogLimits {
  /** What retention keeps (it deletes beyond this when a session starts, and never otherwise). */
  retention: RetentionSettings;
  /** The same in words, e.g. `keeps the newest 50 sessions and 512 MiB; sessions without music go first`. */
  retentionText: string;
  /** Largest importable file, bytes. */
  maxImportBytes: number;
  /** Longest session name, characters. */
  maxNameLength: number;
}

/** The limits for a retention setting. */
export function logLimits(retention: RetentionSettings): LogLimits {
  return {
    retention: { ...retention },
    retentionText: describeRetention(retention),
    maxImportBytes: MAX_IMPORT_BYTES,
    maxNameLength: MAX_SESSION_NAME_LENGTH,
  };
}
