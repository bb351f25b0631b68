/**
 * How the session browser writes durations, sizes, dates and counts.
 */
import type { SessionSummary } from '../../plugin/gui-api.ts';

/** `m:ss`, or `h:mm:ss` from an hour on (seconds rounded down). */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.floor(Number.isFinite(seconds) ? seconds : 0));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Bytes as `512 B`, `12.3 kB`, `4.5 MB` (powers of 1000). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${Math.max(0, Math.round(bytes))} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${(bytes / 1e9).toFixed(2)} GB`;
}

/** A wall-clock time as local `YYYY-MM-DD HH:MM`. */
export function formatDate(wallMs: number): string {
  const d = new Date(wallMs);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** A seconds offset as `m:ss.s` (markers). */
export function formatOffset(seconds: number): string {
  const tenths = Math.max(0, Math.round(seconds * 10));
  const m = Math.floor(tenths / 600);
  const s = (tenths % 600) / 10;
  return `${m}:${s.toFixed(1).padStart(4, '0')}`;
}

/** The event counts shown in the list: MIDI messages, detected notes, markers. */
export function formatCounts(summary: Pick<SessionSummary, 'counts'>): string {
  const c = summary.counts;
  return `${c.midi} MIDI · ${c.note} notes · ${c.marker} markers`;
}
