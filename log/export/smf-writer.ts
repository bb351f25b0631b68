/**
 * Writes a @tonejs/midi `Midi` object as Standard MIDI File bytes (format 1:
 * a conductor track with the header's name, tempos, time signatures and
 * meta events, then one track per `Midi` track), in time linear in the
 * number of events.
 *
 * It replaces `Midi.toArray()` for the session export because that writer
 * (midi-file's) grows its output with `Array.concat` for every variable-length
 * number, which is quadratic: an hour of a session took over 30 s. It also
 * writes velocities rounded (not floored) and pitch bends scaled back from
 * the -1…1 range @tonejs/midi reads them in.
 *
 * Reference: Standard MIDI Files 1.0 (MIDI Manufacturers Association):
 * `MThd` and `MTrk` chunks, delta times as variable-length quantities.
 */
import type * as tonejsMidi from '@tonejs/midi';

type Midi = InstanceType<typeof tonejsMidi.Midi>;

/** An event at an absolute tick; `order` breaks ties (note-offs before other events before note-ons). */
interface TimedEvent {
  tick: number;
  order: number;
  bytes: number[];
}

const encoder = new TextEncoder();

function varLength(value: number, out: number[]): void {
  let v = Math.max(0, Math.round(value));
  const stack = [v & 0x7f];
  v = Math.floor(v / 128);
  while (v > 0) {
    stack.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  for (let i = stack.length - 1; i >= 0; i--) out.push(stack[i]);
}

function metaEvent(type: number, data: ArrayLike<number>): number[] {
  const out = [0xff, type];
  varLength(data.length, out);
  for (let i = 0; i < data.length; i++) out.push(data[i]);
  return out;
}

const textMeta = (type: number, text: string): number[] => metaEvent(type, encoder.encode(text));

const META_TEXT_TYPES: Record<string, number> = {
  text: 0x01, copyrightNotice: 0x02, trackName: 0x03, instrumentName: 0x04, lyrics: 0x05, marker: 0x06, cuePoint: 0x07,
};

const clamp7 = (v: number): number => Math.min(127, Math.max(0, Math.round(v)));

/** Serialises one track's events: sorted by tick (stable, ties by `order`), delta-timed, with end-of-track. */
function trackChunk(events: TimedEvent[]): Uint8Array {
  events.sort((a, b) => a.tick - b.tick || a.order - b.order);
  const body: number[] = [];
  let last = 0;
  for (const e of events) {
    varLength(e.tick - last, body);
    last = e.tick;
    for (const b of e.bytes) body.push(b);
  }
  body.push(0x00, 0xff, 0x2f, 0x00);
  const out = new Uint8Array(8 + body.length);
  out.set([0x4d, 0x54, 0x72, 0x6b], 0);
  new DataView(out.buffer).setUint32(4, body.length);
  out.set(body, 8);
  return out;
}

/** The SMF bytes of `midi`. */
export function encodeSmf(midi: Midi): Uint8Array {
  const header = midi.header;
  const conductor: TimedEvent[] = [{ tick: 0, order: 0, bytes: textMeta(0x03, header.name ?? '') }];
  for (const tempo of header.tempos) {
    const microsecondsPerBeat = Math.floor(60_000_000 / tempo.bpm);
    conductor.push({ tick: tempo.ticks, order: 1, bytes: metaEvent(0x51, [(microsecondsPerBeat >> 16) & 0xff, (microsecondsPerBeat >> 8) & 0xff, microsecondsPerBeat & 0xff]) });
  }
  for (const ts of header.timeSignatures) {
    const [numerator, denominator] = ts.timeSignature;
    conductor.push({ tick: ts.ticks, order: 1, bytes: metaEvent(0x58, [numerator, Math.round(Math.log2(denominator)), 24, 8]) });
  }
  for (const meta of header.meta) {
    const type = META_TEXT_TYPES[meta.type];
    if (type !== undefined) conductor.push({ tick: meta.ticks, order: 2, bytes: textMeta(type, meta.text) });
  }
  const chunks = [trackChunk(conductor)];
  for (const track of midi.tracks) {
    const ch = track.channel & 0x0f;
    const events: TimedEvent[] = [
      { tick: 0, order: 0, bytes: textMeta(0x03, track.name) },
      { tick: 0, order: 0, bytes: [0xc0 | ch, clamp7(track.instrument.number)] },
    ];
    for (const note of track.notes) {
      events.push({ tick: note.ticks, order: 2, bytes: [0x90 | ch, clamp7(note.midi), Math.max(1, clamp7(note.velocity * 127))] });
      events.push({ tick: note.ticks + note.durationTicks, order: 0, bytes: [0x80 | ch, clamp7(note.midi), clamp7(note.noteOffVelocity * 127)] });
    }
    for (const [number, list] of Object.entries(track.controlChanges)) {
      for (const cc of list as { ticks: number; value: number }[]) {
        events.push({ tick: cc.ticks, order: 1, bytes: [0xb0 | ch, clamp7(Number(number)), clamp7(cc.value * 127)] });
      }
    }
    for (const bend of track.pitchBends) {
      const raw = Math.min(16383, Math.max(0, Math.round(bend.value * 8192) + 8192));
      events.push({ tick: bend.ticks, order: 1, bytes: [0xe0 | ch, raw & 0x7f, raw >> 7] });
    }
    chunks.push(trackChunk(events));
  }
  const head = new Uint8Array(14);
  head.set([0x4d, 0x54, 0x68, 0x64], 0);
  const view = new DataView(head.buffer);
  view.setUint32(4, 6);
  view.setUint16(8, 1);
  view.setUint16(10, chunks.length);
  view.setUint16(12, header.ppq);
  const out = new Uint8Array(head.length + chunks.reduce((n, c) => n + c.length, 0));
  out.set(head, 0);
  let offset = head.length;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}
