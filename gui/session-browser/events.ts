/**
 * Events `<di-session-browser>` dispatches (bubbling and composed, so they
 * cross shadow roots). The host handles replay; the others are for a parent
 * that wants to follow what the user did.
 */

/** The user asked to replay a session: the host feeds it back through the loop. */
export const SESSION_REPLAY_EVENT = 'di-session-replay';
/** Detail of {@link SESSION_REPLAY_EVENT}. */
export interface SessionReplayDetail {
  sessionId: string;
}

/** A session was exported and its download started. */
export const SESSION_EXPORTED_EVENT = 'di-session-exported';
/** Detail of {@link SESSION_EXPORTED_EVENT}. */
export interface SessionExportedDetail {
  sessionId: string;
  format: 'bundle' | 'csv' | 'midi';
  fileName: string;
  byteLength: number;
}

/** An action failed (the browser also shows the message). */
export const SESSION_ERROR_EVENT = 'di-session-error';
/** Detail of {@link SESSION_ERROR_EVENT}. */
export interface SessionErrorDetail {
  action: string;
  message: string;
}

declare global {
  interface HTMLElementEventMap {
    [SESSION_REPLAY_EVENT]: CustomEvent<SessionReplayDetail>;
    [SESSION_EXPORTED_EVENT]: CustomEvent<SessionExportedDetail>;
    [SESSION_ERROR_EVENT]: CustomEvent<SessionErrorDetail>;
  }
}
