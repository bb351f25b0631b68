/**
 * `SessionLogApi`: everything the session browser (and any other GUI) needs
 * from the log, as one async interface. `LocalSessionLogApi` implements it
 * directly on IndexedDB in the calling thread; the plugin backs it with the
 * worker instead (each method is one request/reply), so the GUI code is the
 * same either way.
 */
import { SessionCatalog, summarise, type ReadOptions, type SessionSummary } from './catalog.ts';
import { featureOverview, type FeatureOverview } from './overview.ts';
import { BUNDLE_EXTENSION, BUNDLE_MIME_TYPE, exportBundle } from './export/bundle.ts';
import { CSV_MIME_TYPE, exportCsv } from './export/csv.ts';
import { MIDI_MIME_TYPE, exportMidi, type MidiExportOptions } from './export/midi.ts';
import { importBundle, type ImportOptions, type ImportResult } from './import.ts';
import type { LogRecord } from './records.ts';
import type { SessionMeta } from './session-meta.ts';
import { logLimits, type LogLimits } from './limits.ts';
import { defaultSessionLogOptions, type RetentionSettings } from './options.ts';

/** Export formats: the lossless bundle, features as CSV, notes as a Standard MIDI File. */
export type ExportFormat = 'bundle' | 'csv' | 'midi';

/** Options of {@link SessionLogApi.export}: for `midi`, which tracks the file has (default: performer, generated and detected notes; no MIDI thru copies). */
export type ExportOptions = MidiExportOptions;

/** A file ready to download. */
export interface ExportedFile {
  fileName: string;
  mimeType: string;
  bytes: Uint8Array;
}

/** A session opened for display. */
export interface SessionDetail {
  summary: SessionSummary;
  meta: SessionMeta;
  /** The records asked for, in time order. */
  records: LogRecord[];
}

/** What the session browser talks to. Every method rejects with an Error whose message can be shown to the user. */
export interface SessionLogApi {
  /** Every session, newest first. */
  list(): Promise<SessionSummary[]>;
  /** A session's summary, meta and records (filtered by `options`). */
  read(sessionId: string, options?: ReadOptions): Promise<SessionDetail>;
  /** Per-bucket feature statistics for plotting (default 600 buckets). */
  overview(sessionId: string, buckets?: number): Promise<FeatureOverview>;
  /** A session as a file (`options` shape the `.mid`; the other formats ignore them). */
  export(sessionId: string, format: ExportFormat, options?: ExportOptions): Promise<ExportedFile>;
  /** Adds a bundle's session (checked first; a bad file changes nothing). */
  import(bytes: Uint8Array, options?: ImportOptions): Promise<ImportResult>;
  rename(sessionId: string, name: string): Promise<void>;
  delete(sessionId: string): Promise<void>;
  /** The limits the user may run into: what retention keeps, the largest importable file, the longest name. */
  limits(): Promise<LogLimits>;
}

/** A file-name-safe version of a session name. */
export function fileStem(name: string): string {
  const stem = name.trim().replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  return `deep-improv-${stem || 'session'}`;
}

/** {@link SessionLogApi} on IndexedDB, in this thread. */
export class LocalSessionLogApi implements SessionLogApi {
  private constructor(private readonly catalog: SessionCatalog, private readonly retention: RetentionSettings) {}

  /**
   * Opens the log database.
   * @param retention what the writers of this database keep (default the writer's default), for {@link limits}.
   * @throws Error when IndexedDB is unavailable.
   */
  static async open(dbName?: string, retention: RetentionSettings = defaultSessionLogOptions().retention): Promise<LocalSessionLogApi> {
    return new LocalSessionLogApi(await SessionCatalog.open(dbName), retention);
  }

  /** Wraps an already open catalog. */
  static fromCatalog(catalog: SessionCatalog, retention: RetentionSettings = defaultSessionLogOptions().retention): LocalSessionLogApi {
    return new LocalSessionLogApi(catalog, retention);
  }

  list(): Promise<SessionSummary[]> {
    return this.catalog.list();
  }

  async read(sessionId: string, options: ReadOptions = {}): Promise<SessionDetail> {
    const row = await this.catalog.require(sessionId);
    const meta = await this.catalog.meta(sessionId);
    const records = await this.catalog.readRecords(sessionId, options);
    return { summary: summarise(row), meta, records };
  }

  overview(sessionId: string, buckets?: number): Promise<FeatureOverview> {
    return featureOverview(this.catalog, sessionId, buckets);
  }

  async export(sessionId: string, format: ExportFormat, options: ExportOptions = {}): Promise<ExportedFile> {
    const row = await this.catalog.require(sessionId);
    const stem = fileStem(row.name);
    switch (format) {
      case 'bundle': return { fileName: stem + BUNDLE_EXTENSION, mimeType: BUNDLE_MIME_TYPE, bytes: await exportBundle(this.catalog, sessionId) };
      case 'csv': return { fileName: `${stem}-features.csv`, mimeType: CSV_MIME_TYPE, bytes: await exportCsv(this.catalog, sessionId) };
      case 'midi': return { fileName: `${stem}-notes.mid`, mimeType: MIDI_MIME_TYPE, bytes: await exportMidi(this.catalog, sessionId, options) };
      default: throw new Error(`unknown export format ${JSON.stringify(format)} (expected 'bundle', 'csv' or 'midi')`);
    }
  }

  import(bytes: Uint8Array, options?: ImportOptions): Promise<ImportResult> {
    return importBundle(this.catalog, bytes, options);
  }

  rename(sessionId: string, name: string): Promise<void> {
    return this.catalog.rename(sessionId, name);
  }

  delete(sessionId: string): Promise<void> {
    return this.catalog.delete(sessionId);
  }

  limits(): Promise<LogLimits> {
    return Promise.resolve(logLimits(this.retention));
  }

  /** Closes the database connection. Idempotent. */
  close(): void {
    this.catalog.close();
  }
}
