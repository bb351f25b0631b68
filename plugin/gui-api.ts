/**
 * The plugin's public API as the GUI sees it: the node and its status, the
 * presets service and its types, and the session log's reading side. gui/
 * imports the plugin only through this module (and protocol/ for the
 * message payloads); ESLint holds it to that (eslint.config.js).
 */
export type { DeepImprovNode, PartStatus, PluginStatus } from './node.ts';
export { PRESET_FILE_EXTENSION } from './presets/file.ts';
export type { Preset } from './presets/preset.ts';
export type { PresetService } from './presets/service.ts';
export type { UserPreset } from './presets/user-store.ts';
export type { PluginState } from './state/schema.ts';
export type { ExportedFile, ExportFormat, SessionLogApi } from '../log/api.ts';
export type { SessionSummary } from '../log/catalog.ts';
export type { FeatureOverview } from '../log/overview.ts';
export { spanNotes, type NoteLane, type SpanNote } from '../log/notes.ts';
export type { SessionMeta } from '../log/session-meta.ts';
export type { LogLimits } from '../log/limits.ts';
export { phraseToMidi, PHRASE_MIDI_MIME_TYPE } from './phrase-midi.ts';
