// The .mid export keeps the performer's notes apart from the plugin's: MIDI thru copies are not generated notes (Node).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tonejsMidi from '@tonejs/midi';
import { sessionToMidi } from '../../../log/export/midi.ts';
import { midiLane, spanNotes } from '../../../log/notes.ts';
import { normaliseSessionMeta } from '../../../log/session-meta.ts';
import type { LogRecord, MidiSource } from '../../../log/records.ts';

const Midi: typeof tonejsMidi.Midi = tonejsMidi.Midi ?? (tonejsMidi as unknown as { default: typeof tonejsMidi }).default.Midi;

const meta = normaliseSessionMeta({ wallStartMs: 0, audioStartTimeS: 5, sampleRateHz: 48000, pluginVersion: 't' });
const at = (audioTimeS: number) => ({ audioTimeS, frame: Math.round(audioTimeS * 48000), wallTimeMs: audioTimeS * 1000 });
const midi = (direction: 'in' | 'out', source: MidiSource, t: number, ...bytes: number[]): LogRecord =>
  ({ kind: 'midi', direction, source, bytes: Uint8Array.from(bytes), ...at(t) });

/**
 * What the plugin logs when MIDI thru is on and it answers: each performer note in, its thru copy out at the same
 * instant and on the same channel, and the plugin's own notes out (24 performer notes, 20 generated, as a user heard them).
 */
function thruSession(): LogRecord[] {
  const records: LogRecord[] = [];
  for (let i = 0; i < 24; i++) {
    const t = 5.5 + i * 0.25;
    for (const [direction, source] of [['in', 'host'], ['out', 'thru']] as const) {
      records.push(midi(direction, source, t, 0x90, 60 + (i % 12), 100), midi(direction, source, t + 0.2, 0x80, 60 + (i % 12), 0));
    }
    if (i % 6 === 0) records.push(midi('in', 'host', t + 0.1, 0xb0, 1, 64), midi('out', 'thru', t + 0.1, 0xb0, 1, 64));
  }
  for (let i = 0; i < 20; i++) {
    const t = 12 + i * 0.3;
    records.push(midi('out', 'generated', t, 0x90, 72 + (i % 5), 90), midi('out', 'generated', t + 0.25, 0x80, 72 + (i % 5), 0));
  }
  return records.sort((a, b) => a.audioTimeS - b.audioTimeS);
}

test('a MIDI message is the performer\'s when it came in, generated when the plugin made it, thru when it is the copy', () => {
  assert.equal(midiLane({ direction: 'in', source: 'host' }), 'performer');
  assert.equal(midiLane({ direction: 'in', source: 'webmidi' }), 'performer');
  assert.equal(midiLane({ direction: 'out', source: 'generated' }), 'generated');
  assert.equal(midiLane({ direction: 'out', source: 'thru' }), 'thru');
  assert.equal(midiLane({ direction: 'out', source: 'host' }), 'generated', 'any other output source is the plugin\'s');
});

test('thru copies pair on their own lane, so a performer note and its copy are two notes, not one retriggered', () => {
  const notes = spanNotes(thruSession(), 30);
  const count = (lane: string) => notes.filter((n) => n.lane === lane).length;
  assert.deepEqual({ performer: count('performer'), thru: count('thru'), generated: count('generated') }, { performer: 24, thru: 24, generated: 20 });
  const first = notes.filter((n) => n.startS === 5.5);
  assert.deepEqual(first.map((n) => [n.lane, n.endS]), [['performer', 5.7], ['thru', 5.7]]);
});

test('the .mid export has a performer and a generated track with the right notes; thru copies are left out', () => {
  const parsed = new Midi(sessionToMidi(meta, thruSession(), 30));
  assert.deepEqual(parsed.tracks.map((t) => [t.name, t.notes.length]), [['Performer', 24], ['Generated', 20]]);
  const [performer, generated] = parsed.tracks;
  assert.ok(performer.notes.every((n) => n.midi >= 60 && n.midi < 72 && Math.round(n.velocity * 127) === 100));
  assert.ok(generated.notes.every((n) => n.midi >= 72 && Math.round(n.velocity * 127) === 90));
  assert.ok(Math.abs(performer.notes[0].time - 0.5) < 1e-3, 'time counts from the session start');
  assert.equal(performer.controlChanges[1]?.length, 4, 'the performer\'s controller moves, once');
  assert.equal(generated.controlChanges[1], undefined, 'no thru controller copies on the generated track');
});

test('with includeThru the copies get a track of their own', () => {
  const parsed = new Midi(sessionToMidi(meta, thruSession(), 30, { includeThru: true }));
  assert.deepEqual(parsed.tracks.map((t) => [t.name, t.notes.length]), [['Performer', 24], ['Generated', 20], ['MIDI thru', 24]]);
  assert.equal(parsed.tracks[2].controlChanges[1]?.length, 4);
});

test('a time origin before the session start moves time zero there', () => {
  const parsed = new Midi(sessionToMidi(meta, thruSession(), 30, {}, 5.25));
  assert.ok(Math.abs(parsed.tracks[0].notes[0].time - 0.25) < 1e-3, "5.5 s is 0.25 s after 5.25 s");
});
