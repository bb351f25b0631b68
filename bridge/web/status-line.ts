/**
 * The bridge status line's text: connection, DAW, round trip, clock map and
 * the native side's counters, in one line (docs/bridge.md explains each).
 */
import type { BridgeStatus } from './bridge-host.ts';

const ms = (v: number, digits = 1): string => (Number.isFinite(v) ? `${v.toFixed(digits)} ms` : '–');

/** The status line for a status. */
export function formatStatus(s: BridgeStatus): string {
  const connection = s.connection === 'open' ? `connected to ${s.host || 'the DAW'}` : s.connection === 'connecting' ? 'connecting…' : 'disconnected (retrying)';
  const parts = [
    connection,
    `round trip ${ms(s.roundTripMs)}`,
    `clock offset ${ms(s.offsetMs)}, drift ${Number.isFinite(s.driftPpm) ? `${s.driftPpm.toFixed(0)} ppm` : '–'}, jitter ${ms(s.jitterMs)}, lag ${ms(s.lagMs)}`,
    `events exact ${s.exact}, late ${s.late}, dropped ${s.dropped}${s.overflow ? `, overflow ${s.overflow}` : ''}`,
  ];
  if (s.movedAnswers > 0) parts.push(`answers moved a bar ${s.movedAnswers}`);
  if (s.wam !== 'ready') parts.push(s.wam === 'loading' ? 'plugin loading…' : 'plugin failed');
  if (s.audio === 'suspended') parts.push('audio suspended');
  if (s.message) parts.push(s.message);
  return parts.join(' · ');
}
