/**
 * Notes from the log: MIDI note-on/note-off pairs, and notes detected from
 * the audio, as start/end spans. Shared by the .mid export and the session
 * browser's piano roll.
 *
 * Which lane a MIDI message belongs to is read from its record: messages in
 * are the performer's; messages out are the plugin's own (`generated`) unless
 * their source is `thru`, the copy of an input message MIDI thru re-emits.
 * Every session the plugin has recorded stamps thru copies that way, so older
 * sessions read the same.
 */
import type { LogRecord, MidiRecord } from './records.ts';

/**
 * Where a note came from: the performer (MIDI in), the plugin (MIDI out it
 * generated), MIDI thru (out, a copy of the performer's input), or audio
 * analysis.
 */
export type NoteLane = 'performer' | 'generated' | 'thru' | 'detected';

/** The lanes a MIDI message can be on. */
export type MidiLane = Exclude<NoteLane, 'detected'>;

/** Every lane, in drawing and track order. */
export const NOTE_LANES: readonly NoteLane[] = ['performer', 'generated', 'thru', 'detected'];

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

/** The lane of a MIDI message: in is the performer's, out is generated, except thru copies. */
export function midiLane(record: Pick<MidiRecord, 'direction' | 'source'>): MidiLane {
  if (record.direction === 'in') return 'performer';
  return record.source === 'thru' ? 'thru' : 'generated';
}

const LANE_KEYS: Record<MidiLane, number> = { performer: 0, generated: 1, thru: 2 };

/**
 * Pairs note-ons with their note-offs (a note-on with velocity 0 is a
 * note-off; a repeated note-on ends the sounding note first), lane by lane
 * and channel by channel, and adds the detected notes. Notes still sounding
 * at `endS` end there.
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
    const lane = midiLane(r);
    const channel = r.bytes[0] & 0x0f;
    const pitch = r.bytes[1] & 0x7f;
    const velocity = r.bytes[2] & 0x7f;
    const key = LANE_KEYS[lane] * 2048 + channel * 128 + pitch;
    const sounding = open.get(key);
    if (sounding) {
      sounding.endS = r.audioTimeS;
      out.push(sounding);
      open.delete(key);
    }
    if (type === 0x90 && velocity > 0) {
      open.set(key, { lane, channel, pitch, velocity, startS: r.audioTimeS, endS: r.audioTimeS });
    }
  }
  for (const note of open.values()) {
    note.endS = Math.max(note.startS, endS);
    out.push(note);
  }
  return out.sort((a, b) => a.startS - b.startS || a.pitch - b.pitch);
}
