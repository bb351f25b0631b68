/**
 * Retention: which old sessions to delete so the log stays within its
 * limits. Live sessions (this writer's, and any other instance's that is
 * still recording) are never chosen.
 */
import type { SessionCatalog, SessionSummary } from './catalog.ts';
import type { RetentionSettings } from './options.ts';

/**
 * The ids to delete, oldest first, so at most `maxSessions` sessions and
 * `maxBytes` stored bytes remain (as far as deleting non-live sessions can
 * get there).
 * @param keep ids never to delete (e.g. the session being recorded).
 */
export function planRetention(sessions: readonly SessionSummary[], settings: RetentionSettings, keep: ReadonlySet<string>): string[] {
  let count = sessions.length;
  let bytes = sessions.reduce((sum, s) => sum + s.storedBytes, 0);
  const candidates = sessions
    .filter((s) => !keep.has(s.id) && s.state !== 'recording')
    .sort((a, b) => a.startWallMs - b.startWallMs || a.id.localeCompare(b.id));
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
