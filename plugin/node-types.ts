/**
 * The types of the node's public API (its status, its events, its debug
 * report and the model operations it serves; `plugin/node.ts` re-exports
 * them), and how the worker's own status becomes the plugin's.
 */
import type {
  FeatureBatch, MusicRequestedReport, MusicUnansweredReport, PerformerNotesReport, PhraseReport, PlannedReport, ProcessorCounters,
  TransportReport,
} from '../protocol/node-processor.ts';
import type { LogStatusReport, WorkerStatus } from '../protocol/node-worker.ts';
import { MODEL_NAMES } from '../protocol/parameters.ts';

/** The model operations the worker serves. */
export type ModelOp = 'encode' | 'decode' | 'interpolate' | 'sample' | 'similar' | 'continue';

/**
 * Readiness of one part of the plugin: `warning` means it runs but not fully
 * (the worker is up but some models could not be loaded).
 */
export type PartStatus = 'loading' | 'ready' | 'warning' | 'error';

/** What the GUI's status line shows. */
export interface PluginStatus {
  processor: PartStatus;
  /** `warning` as soon as the worker is up with models missing (see `missingModels`); `error` when it failed or crashed. */
  worker: PartStatus;
  /** Models that could not be loaded, by name, with the reason; empty when every model loaded. */
  missingModels: Record<string, string>;
  /** The last problem, if any, in words for the user. */
  message: string;
}

/** What {@link DeepImprovNode.debugInfo} reports (for tests and diagnostics). */
export interface DebugInfo {
  /** Processors of this plugin version alive in the audio context. */
  liveProcessors: number;
  queuedEvents: number;
  counters: ProcessorCounters;
  /** Request-to-reply times of the latest music requests (audio clock, ms, one-block resolution). */
  replyLatenciesMs: number[];
  /** Own keys Object.prototype gained in the audio scope since the processor loaded (empty unless something polluted it). */
  addedPrototypeKeys: string[];
  /** The processor's beat clock when it answered (tempo, beat, the next bar line's frame). */
  transport: TransportReport;
}

/** Every event the node sends, with its payload. */
export interface NodeEvents {
  /** The status changed. */
  status: PluginStatus;
  /** The session log's status changed. */
  logStatus: LogStatusReport;
  /** The processor scheduled a response. */
  planned: PlannedReport;
  /** The performer finished a phrase. */
  phrase: PhraseReport;
  /** The performer's notes as they are played (about 30 Hz, only when there are any). */
  performerNotes: PerformerNotesReport;
  /** The processor asked the worker for music. */
  musicRequested: MusicRequestedReport;
  /** A music request will not be planned (the worker failed, or the reply was stale). */
  musicUnanswered: MusicUnansweredReport;
  /** A batch of feature frames (about 30 Hz); its arrays are valid only during the call. */
  features: FeatureBatch;
  /** Scheduled output was cancelled (stop, mode change, disarm, panic). */
  cancel: undefined;
  /** The processor reported its counters (refused events, errors absorbed). */
  counters: ProcessorCounters;
}

/**
 * The plugin status once the worker is up: `ready`, or a `warning` naming
 * every model that could not be loaded (in the parameter table's order, so
 * the words do not depend on which load failed first) with the reasons.
 */
export function workerStatusChange(status: WorkerStatus): Pick<PluginStatus, 'worker' | 'missingModels' | 'message'> {
  const missingModels: Record<string, string> = {};
  for (const name of [...MODEL_NAMES, ...Object.keys(status.modelErrors)]) {
    const why = status.modelErrors[name];
    if (why !== undefined) missingModels[name] = why;
  }
  const missing = Object.entries(missingModels).map(([name, why]) => `${name}: ${why}`);
  return {
    worker: missing.length ? 'warning' : 'ready',
    missingModels,
    message: missing.length ? `Some models could not be loaded (${missing.join('; ')})` : '',
  };
}
