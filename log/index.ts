/**
 * The session log's public entry: the writer (runs in the worker), the
 * catalog, export, import, replay, and the API the session browser uses.
 * See docs/session-log.md.
 */
export { SessionLog, defaultSessionName, type SessionLogStats } from './session-log.ts';
export { defaultSessionLogOptions, resolveSessionLogOptions, type SessionLogOptions, type RetentionSettings } from './options.ts';
export type { LogState, LogStatus, LogStatusListener } from './status.ts';
export * from './records.ts';
export { normaliseSessionMeta, featureFramesPerSecond, type SessionMeta, type SessionMetaInput, type FeatureLayout } from './session-meta.ts';
export { recordProblem, isLogRecord } from './validate-record.ts';
export { SessionCatalog, summarise, rowHasMusic, STALE_RECORDING_MS, type SessionSummary, type ReadOptions } from './catalog.ts';
export { DEFAULT_DB_NAME, openLogDb, type SessionRow, type PageMetaRow } from './db.ts';
export { replay } from './replay.ts';
export { planRetention, applyRetention, describeRetention, retainedSinceWallMs } from './retention.ts';
export { logLimits, MAX_SESSION_NAME_LENGTH, MAX_IMPORT_BYTES, MAX_PAGE_BODY_BYTES, MAX_RECORD_BYTES, type LogLimits } from './limits.ts';
export { importBundle, type ImportOptions, type ImportResult } from './import.ts';
export { featureOverview, type FeatureOverview } from './overview.ts';
export { spanNotes, type SpanNote, type NoteLane } from './notes.ts';
export {
  encodeBundle, parseBundle, exportBundle, BundleError, BUNDLE_MARKER, BUNDLE_VERSION, BUNDLE_FORMAT, BUNDLE_EXTENSION, BUNDLE_MIME_TYPE,
  type BundleHeader, type ParsedBundle,
} from './export/bundle.ts';
export { featuresToCsv, exportCsv, formatFloat32 } from './export/csv.ts';
export { sessionToMidi, exportMidi, type MidiExportOptions } from './export/midi.ts';
export { LocalSessionLogApi, fileStem, type SessionLogApi, type ExportFormat, type ExportedFile, type SessionDetail } from './api.ts';
export { quantisationError, type FeatureEncoding } from './codec/feature-page.ts';
