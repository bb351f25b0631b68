/**
 * What the Deep Improv node tells its listeners (the GUI, a host page): the
 * plugin's status, the session log's state, the processor's counters and the
 * processor's reports (planned output, phrases, performer notes, requests,
 * features, cancellations). {@link DeepImprovNode} (plugin/node.ts) feeds it;
 * every `on…` call returns the function that removes its listener.
 */
import { WamNode } from '@webaudiomodules/sdk';
import type {
  FeatureBatch, MusicRequestedReport, MusicUnansweredReport, PerformerNotesReport, PhraseReport, PlannedReport, ProcessorCounters,
} from '../protocol/node-processor.ts';
import type { LogStatusReport } from '../protocol/node-worker.ts';
import { Emitter, type Listener } from './emitter.ts';
import type { NodeEvents, PluginStatus } from './node-types.ts';

/** The listening half of the node. */
export abstract class NodeEventsBase extends WamNode {
  protected readonly events = new Emitter<NodeEvents>();
  private currentStatus: PluginStatus = { processor: 'loading', worker: 'loading', missingModels: {}, message: '' };
  private logStatusValue: LogStatusReport = { state: 'off', message: '', sessionId: undefined };
  /** The processor's latest counters (problems absorbed on the audio thread), for the status line. */
  private countersValue: ProcessorCounters | null = null;

  /** The current status. */
  get status(): PluginStatus {
    return { ...this.currentStatus, missingModels: { ...this.currentStatus.missingModels } };
  }

  /** Calls `listener` with the status now and on every change; returns the function that removes it. */
  onStatus(listener: Listener<PluginStatus>): () => void {
    const remove = this.events.on('status', listener);
    listener(this.status);
    return remove;
  }

  /** The session log's state: 'ok', 'degraded-memory' (storage full or failing: newest data kept in memory), 'failed', or 'off'. */
  get logStatus(): LogStatusReport {
    return { ...this.logStatusValue };
  }

  /** Calls `listener` with the log status now and on every change; returns the remover. */
  onLogStatus(listener: Listener<LogStatusReport>): () => void {
    const remove = this.events.on('logStatus', listener);
    listener(this.logStatus);
    return remove;
  }

  /** The processor's latest counters (refused events, late output, errors absorbed), or null before the first report. */
  get processorCounters(): ProcessorCounters | null {
    return this.countersValue ? structuredClone(this.countersValue) : null;
  }

  /** Calls `listener` whenever the processor reports its counters (at most about twice a second); returns the remover. */
  onProcessorCounters(listener: Listener<ProcessorCounters>): () => void {
    const remove = this.events.on('counters', listener);
    if (this.countersValue) listener(structuredClone(this.countersValue));
    return remove;
  }

  /** Keeps the processor's latest counters and tells the listeners. */
  protected updateCounters(counters: ProcessorCounters): void {
    this.countersValue = counters;
    this.events.emit('counters', structuredClone(counters));
  }

  /** Calls `listener` with every response the processor schedules; returns the remover. */
  onPlanned(listener: Listener<PlannedReport>): () => void {
    return this.events.on('planned', listener);
  }

  /** Calls `listener` with every finished performer phrase; returns the remover. */
  onPhrase(listener: Listener<PhraseReport>): () => void {
    return this.events.on('phrase', listener);
  }

  /** Calls `listener` with the performer's note-ons and note-offs as they are played (about 30 Hz); returns the remover. */
  onPerformerNotes(listener: Listener<PerformerNotesReport>): () => void {
    return this.events.on('performerNotes', listener);
  }

  /** Calls `listener` when the processor asks the worker for music, and when a request will not be planned; returns the remover. */
  onMusicRequest(listener: Listener<MusicRequestedReport | MusicUnansweredReport>): () => void {
    const removeRequested = this.events.on('musicRequested', listener);
    const removeUnanswered = this.events.on('musicUnanswered', listener);
    return () => { removeRequested(); removeUnanswered(); };
  }

  /**
   * Calls `listener` with every feature batch (about 30 Hz). The batch's arrays
   * are only valid during the call: copy what you keep. Returns the remover.
   */
  onFeatures(listener: Listener<FeatureBatch>): () => void {
    return this.events.on('features', listener);
  }

  /** Calls `listener` whenever scheduled output is cancelled (stop, mode change, disarm, panic); returns the remover. */
  onCancel(listener: () => void): () => void {
    return this.events.on('cancel', listener);
  }

  /** How many listeners are registered (of one event kind, or all together): for tests that check the GUI lets go. */
  listenerCount(type?: keyof NodeEvents): number {
    return this.events.listenerCount(type);
  }

  /** Merges `change` into the status and tells the listeners. */
  protected updateStatus(change: Partial<PluginStatus>): void {
    this.currentStatus = { ...this.currentStatus, ...change };
    this.events.emit('status', this.status);
  }

  /** True once the worker is up and serving (with or without every model). */
  protected workerRunning(): boolean {
    return this.currentStatus.worker === 'ready' || this.currentStatus.worker === 'warning';
  }

  /** Keeps the session log's latest state and tells the listeners. */
  protected updateLogStatus(status: LogStatusReport): void {
    this.logStatusValue = status;
    this.events.emit('logStatus', this.logStatus);
  }
}
