/**
 * A session's notes as a Standard MIDI File (format 1, through @tonejs/midi):
 * one track per source and channel — `Performer` (MIDI in), `Generated` (the
 * plugin's own MIDI out) and, only when asked, `MIDI thru` (the copies of the
 * input MIDI thru re-emitted), with ` ch N` added when a source used several
 * channels — a `Detected from audio` track for notes found by audio analysis,
 * control changes and pitch bends on their track, and the session's markers
 * as marker meta events. Which source a message is comes from its record
 * (see notes.ts).
 *
 * Time zero is the session's start (see `SessionCatalog.timeOriginS`). The file carries one tempo: the
 * first transport tempo logged, else 120 BPM; event times in seconds are
 * exact to one tick (480 ticks per beat). The file is built as a @tonejs/midi
 * `Midi` and written by smf-writer.ts (linear time; see there why).
 */
import * as tonejsMidi from '@tonejs/midi';
import { midiLane, NOTE_LANES, spanNotes, type NoteLane } from '../notes.ts';
import { encodeSmf } from './smf-writer.ts';
import type { LogRecord } from '../records.ts';
import type { SessionMeta } from '../session-meta.ts';
import type { SessionCatalog } from '../catalog.ts';

// @tonejs/midi is CommonJS in Node (named export on `default`) and ESM in bundles.
const Midi: typeof tonejsMidi.Midi = tonejsMidi.Midi ?? (tonejsMidi as unknown as { default: typeof tonejsMidi }).default.Midi;
type MidiTrack = ReturnType<InstanceType<typeof Midi>['addTrack']>;

/** MIME type used for downloads. */
export const MIDI_MIME_TYPE = 'audio/midi';

/** Options of {@link sessionToMidi}. */
export interface MidiExportOptions {
  /** Add the notes detected from audio as a track (default true). */
  includeDetected?: boolean;
  /** Add the MIDI thru copies of the input as a track of their own (default false: they repeat the performer's track). */
  includeThru?: boolean;
}

/** Track names per lane (` ch N` is added when a lane used several channels). */
export const MIDI_TRACK_NAMES: Readonly<Record<NoteLane, string>> = { performer: 'Performer', generated: 'Generated', thru: 'MIDI thru', detected: 'Detected from audio' };

/**
 * Builds the .mid bytes.
 * @param records the session's records in time order.
 * @param endAudioTimeS where notes still sounding end (the session's end), audio seconds.
 * @param originS audio time that becomes time zero (default `meta.audioStartTimeS`); nothing before it is cut, it is placed at 0.
 */
export function sessionToMidi(
  meta: SessionMeta, records: readonly LogRecord[], endAudioTimeS: number, options: MidiExportOptions = {}, originS: number = meta.audioStartTimeS,
): Uint8Array {
  const midi = new Midi();
  const transport = records.find((r) => r.kind === 'transport');
  const bpm = transport && transport.kind === 'transport' && transport.tempoBpm > 0 ? transport.tempoBpm : 120;
  midi.header.setTempo(bpm);
  midi.header.name = meta.name ?? '';
  const time = (audioTimeS: number): number => Math.max(0, audioTimeS - originS);
  const wanted = (lane: NoteLane): boolean =>
    lane === 'detected' ? options.includeDetected !== false : lane === 'thru' ? options.includeThru === true : true;

  const notes = spanNotes(records, endAudioTimeS).filter((n) => wanted(n.lane));
  const channelsByLane = new Map<NoteLane, Set<number>>();
  const addChannel = (lane: NoteLane, channel: number): void => {
    const set = channelsByLane.get(lane) ?? new Set();
    set.add(channel);
    channelsByLane.set(lane, set);
  };
  for (const n of notes) addChannel(n.lane, n.channel);
  for (const r of records) {
    if (r.kind === 'midi' && r.bytes.length >= 3 && ((r.bytes[0] & 0xf0) === 0xb0 || (r.bytes[0] & 0xf0) === 0xe0)) {
      const lane = midiLane(r);
      if (wanted(lane)) addChannel(lane, r.bytes[0] & 0x0f);
    }
  }
  const tracks = new Map<string, MidiTrack>();
  for (const lane of NOTE_LANES) {
    const channels = [...(channelsByLane.get(lane) ?? [])].sort((a, b) => a - b);
    for (const channel of channels) {
      const track = midi.addTrack();
      track.name = channels.length > 1 ? `${MIDI_TRACK_NAMES[lane]} ch ${channel + 1}` : MIDI_TRACK_NAMES[lane];
      track.channel = channel;
      tracks.set(`${lane}:${channel}`, track);
    }
  }
  for (const n of notes) {
    const start = time(n.startS);
    tracks.get(`${n.lane}:${n.channel}`)?.addNote({
      midi: n.pitch, time: start, duration: Math.max(0, time(n.endS) - start), velocity: Math.min(127, Math.max(1, n.velocity)) / 127,
    });
  }
  for (const r of records) {
    if (r.kind === 'marker') {
      midi.header.meta.push({ type: 'marker', text: r.label, ticks: Math.round(midi.header.secondsToTicks(time(r.audioTimeS))) });
      continue;
    }
    if (r.kind !== 'midi' || r.bytes.length < 3) continue;
    const type = r.bytes[0] & 0xf0;
    const track = tracks.get(`${midiLane(r)}:${r.bytes[0] & 0x0f}`);
    if (!track) continue;
    if (type === 0xb0) {
      track.addCC({ number: r.bytes[1] & 0x7f, value: (r.bytes[2] & 0x7f) / 127, time: time(r.audioTimeS) });
    } else if (type === 0xe0) {
      const raw = ((r.bytes[2] & 0x7f) << 7) | (r.bytes[1] & 0x7f);
      track.addPitchBend({ value: (raw - 8192) / 8192, time: time(r.audioTimeS) });
    }
  }
  midi.header.meta.sort((a, b) => a.ticks - b.ticks);
  return encodeSmf(midi);
}

/**
 * A stored session's notes as .mid bytes.
 * @throws Error when the session does not exist or a page is corrupt.
 */
export async function exportMidi(catalog: SessionCatalog, sessionId: string, options: MidiExportOptions = {}): Promise<Uint8Array> {
  const row = await catalog.require(sessionId);
  const meta = await catalog.meta(sessionId);
  const records = await catalog.readRecords(sessionId, { kinds: ['midi', 'note', 'marker', 'transport'] });
  return sessionToMidi(meta, records, row.endAudioTimeS, options, await catalog.timeOriginS(sessionId));
}
