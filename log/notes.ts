/**
 * Notes from the log: MIDI note-on/note-off pairs, and notes detected from
 * the audio, as start/end spans. Shared by the .mid export and the session
 * browser's piano roll.
 */
import type { LogRecord } from './records.ts';

/** Where a note came from: MIDI in, MIDI out, or audio analysis. */
export type NoteLane = 'in' | 'out' | 'detected';

/** A note with a start and an end on the audio clock. */
export interface SpanNote {
  lane: NoteLane;
  /** MIDI channel 0–15 (detected notes: 9 for drums, else 0). */
  channel: number;
  pitch: number;
  /** MIDI velocity 1–127. */
  velocity: number;
  /** Audio-clock start and end, seconds. */
  startS: number;
  endS: number;
}

/**
 * Pairs note-ons with their note-offs (a note-on with velocity 0 is a
 * note-off; a repeated note-on ends the sounding note first) and adds the
 * detected notes. Notes still sounding at `endS` end there.
 * @param records records in time order (as the catalog returns them).
 * @returns notes sorted by start, then pitch.
 */
export function spanNotes(records: readonly LogRecord[], endS: number): SpanNote[] {
  const out: SpanNote[] = [];
  const open = new Map<number, SpanNote>();
  for (const r of records) {
    if (r.kind === 'note') {
      out.push({
        lane: 'detected', channel: r.source.includes('drum') ? 9 : 0, pitch: r.pitch, velocity: r.velocity,
        startS: r.audioTimeS, endS: r.audioTimeS + Math.max(0, r.durationS),
      });
      continue;
    }
    if (r.kind !== 'midi' || r.bytes.length < 3) continue;
    const type = r.bytes[0] & 0xf0;
    if (type !== 0x90 && type !== 0x80) continue;
    const channel = r.bytes[0] & 0x0f;
    const pitch = r.bytes[1] & 0x7f;
    const velocity = r.bytes[2] & 0x7f;
    const key = (r.direction === 'out' ? 4096 : 0) + channel * 128 + pitch;
    const sounding = open.get(key);
    if (sounding) {
      sounding.endS = r.audioTimeS;
      out.push(sounding);
      open.delete(key);
    }
    if (type === 0x90 && velocity > 0) {
      open.set(key, { lane: r.direction, channel, pitch, velocity, startS: r.audioTimeS, endS: r.audioTimeS });
    }
  }
  for (const note of open.values()) {
    note.endS = Math.max(note.startS, endS);
    out.push(note);
  }
  return out.sort((a, b) => a.startS - b.startS || a.pitch - b.pitch);
}
