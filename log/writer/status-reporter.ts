/**
 * Tells listeners about the writer's health: holds the current
 * {@link LogStatus} and calls every listener when its state, message or
 * session changes (not when only the counts move). A listener that throws
 * never stops the log.
 */
import type { LogState, LogStatus, LogStatusListener } from '../status.ts';

/** The parts of a status that move on their own (read fresh for every report). */
export type StatusCounts = Pick<LogStatus, 'bufferedBytes' | 'droppedRecords' | 'retention'>;

const formatMb = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** The state and message for a writer whose writes fail for `reason`, given its memory bound. */
export function degradedStatus(reason: string, maxMemoryBytes: number): { state: LogState; message: string } {
  return maxMemoryBytes <= 0
    ? { state: 'failed', message: `${reason}. The session is not being saved.` }
    : { state: 'degraded-memory', message: `${reason}. Keeping the newest ${formatMb(maxMemoryBytes)} in memory and retrying; the plugin keeps playing.` };
}

/** Why a write failed, for the status message. */
export function writeFailureReason(quota: boolean, storedBytes: number, error: string): string {
  return quota
    ? `Storage is full (${formatMb(storedBytes)} stored for this session): delete or export old sessions`
    : `Could not write the session log (${error})`;
}

/** Holds the status and reports changes. */
export class StatusReporter {
  private readonly listeners = new Set<LogStatusListener>();
  private state: LogState = 'ok';
  private message = 'Session log ready.';
  private sessionId: string | undefined;

  /** @param counts reads the moving parts of the status. */
  constructor(private readonly counts: () => StatusCounts) {}

  /** The current status. */
  get status(): LogStatus {
    return { state: this.state, message: this.message, sessionId: this.sessionId, ...this.counts() };
  }

  /** The current state. */
  get currentState(): LogState {
    return this.state;
  }

  /** The current message. */
  get currentMessage(): string {
    return this.message;
  }

  /**
   * Calls `listener` now and on every status change.
   * @returns a function that removes the listener.
   */
  add(listener: LogStatusListener): () => void {
    this.listeners.add(listener);
    this.call(listener, this.status);
    return () => this.listeners.delete(listener);
  }

  /**
   * Sets the state, message and session; listeners hear of it when one of them changed.
   * @param sessionId the session being recorded (reported until the next call).
   */
  set(state: LogState, message: string, sessionId: string | undefined): void {
    const changed = state !== this.state || message !== this.message || sessionId !== this.sessionId;
    this.state = state;
    this.message = message;
    this.sessionId = sessionId;
    if (!changed) return;
    for (const listener of this.listeners) this.call(listener, this.status);
  }

  private call(listener: LogStatusListener, status: LogStatus): void {
    try {
      listener(status);
    } catch {
      // A listener's bug must not stop the log.
    }
  }
}
