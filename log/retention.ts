/**
 * Retention: which old sessions to delete so the log stays within its
 * limits (`RetentionSettings`: at most `maxSessions` sessions and `maxBytes`
 * stored bytes, checked when a session starts). Nothing else is ever deleted
 * without the user asking.
 *
 * - Sessions without music (a plugin start with nothing played: features of
 *   silence, transport, parameters) go first, oldest first; only then the
 *   oldest sessions with music. Empty sessions are kept rather than not
 *   written at all: an audio-only take with no detected note still has its
 *   features, and the user may want it until the limit needs the room.
 * - A session's age counts from when it came into this log: its start, or
 *   its import for an imported one (a re-imported old session is new here).
 * - Live sessions (this writer's, and any other instance's that is still
 *   recording) are never chosen; an interrupted one (its writer silent for
 *   30 s: a crash or a closed tab) may be.
 */
import type { SessionCatalog, SessionSummary } from './catalog.ts';
import type { RetentionSettings } from './options.ts';

/** When a session came into this log, ms since epoch: its import time, else its start. */
export function retainedSinceWallMs(s: Pick<SessionSummary, 'startWallMs' | 'importedWallMs'>): number {
  return s.importedWallMs ?? s.startWallMs;
}

/**
 * The ids to delete, in deletion order (sessions without music, oldest
 * first, then the oldest with music), so at most `maxSessions` sessions and
 * `maxBytes` stored bytes remain (as far as deleting non-live sessions can
 * get there).
 * @param keep ids never to delete (e.g. the session being recorded).
 */
export function planRetention(sessions: readonly SessionSummary[], settings: RetentionSettings, keep: ReadonlySet<string>): string[] {
  let count = sessions.length;
  let bytes = sessions.reduce((sum, s) => sum + s.storedBytes, 0);
  const candidates = sessions
    .filter((s) => !keep.has(s.id) && s.state !== 'recording')
    .sort((a, b) => Number(a.hasMusic) - Number(b.hasMusic) || retainedSinceWallMs(a) - retainedSinceWallMs(b) || a.id.localeCompare(b.id));
  const doomed: string[] = [];
  for (const s of candidates) {
    if (count <= settings.maxSessions && bytes <= settings.maxBytes) break;
    doomed.push(s.id);
    count--;
    bytes -= s.storedBytes;
  }
  return doomed;
}

/** Deletes what {@link planRetention} chooses; returns the deleted ids. */
export async function applyRetention(catalog: SessionCatalog, settings: RetentionSettings, keep: ReadonlySet<string>): Promise<string[]> {
  const doomed = planRetention(await catalog.list(), settings, keep);
  for (const id of doomed) await catalog.delete(id);
  return doomed;
}

/** The limit in words for the user, e.g. `keeps the newest 50 sessions and 512 MiB; sessions without music go first`. */
export function describeRetention(settings: RetentionSettings): string {
  const bytes = Number.isFinite(settings.maxBytes) ? ` and ${Math.round(settings.maxBytes / (1024 * 1024))} MiB` : '';
  return `keeps the newest ${settings.maxSessions} session${settings.maxSessions === 1 ? '' : 's'}${bytes}; sessions without music go first`;
}
