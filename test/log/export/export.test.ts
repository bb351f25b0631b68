// Unit tests of the CSV and .mid exports and of note pairing (pure code, run in Node).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tonejsMidi from '@tonejs/midi';
import { csvField, featuresToCsv, formatFloat32 } from '../../../log/export/csv.ts';
import { sessionToMidi } from '../../../log/export/midi.ts';
import { spanNotes } from '../../../log/notes.ts';
import { normaliseSessionMeta } from '../../../log/session-meta.ts';
import type { LogRecord } from '../../../log/records.ts';

const Midi: typeof tonejsMidi.Midi = tonejsMidi.Midi ?? (tonejsMidi as unknown as { default: typeof tonejsMidi }).default.Midi;

const meta = normaliseSessionMeta({
  wallStartMs: 0, audioStartTimeS: 10, sampleRateHz: 48000, pluginVersion: 't', name: 'm',
  features: { names: ['rms', 'centroid_hz', 'a,"b"'], hopSamples: 480 },
});
const at = (audioTimeS: number) => ({ audioTimeS, frame: Math.round(audioTimeS * 48000), wallTimeMs: audioTimeS * 1000 });
const midi = (direction: 'in' | 'out', t: number, ...bytes: number[]): LogRecord => ({ kind: 'midi', direction, source: 'host', bytes: Uint8Array.from(bytes), ...at(t) });

test('formatFloat32 writes the fewest digits that read back as the same float32', () => {
  for (const v of [0.1, 1 / 3, 123456.789, 1e-7, -2.5, 0, 3.4e38, 1.17549435e-38]) {
    const f = Math.fround(v);
    const text = formatFloat32(f);
    assert.equal(Math.fround(Number(text)), f, `${v} → ${text}`);
    assert.ok(text.replace(/^-|\.|e.*$/g, '').length <= 9, `${text} is too long`);
  }
  assert.equal(formatFloat32(Math.fround(0.1)), '0.1');
  assert.equal(formatFloat32(NaN), 'NaN');
  assert.equal(formatFloat32(-Infinity), '-Infinity');
});

test('the CSV has time_s and quoted names, session-relative times and one row per frame', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,"b"'), '"a,""b"""');
  const values = Float32Array.from([0.5, 440, 1, 0.25, 880, NaN]);
  const csv = featuresToCsv(meta, [{ kind: 'features', ...at(10.01), frame: 480480, audioTimeS: 10.01, firstHopIndex: 1, frameCount: 2, featureCount: 3, values }]);
  assert.equal(csv, 'time_s,rms,centroid_hz,"a,""b"""\n0.01,0.5,440,1\n0.02,0.25,880,NaN\n');
});

test('note pairing handles note-off, note-on velocity 0, retriggers, channels and notes left sounding', () => {
  const records: LogRecord[] = [
    midi('in', 11, 0x90, 60, 100),
    midi('in', 11.5, 0x80, 60, 0),
    midi('in', 12, 0x90, 62, 90),
    midi('in', 12.25, 0x90, 62, 80), // retrigger: ends the first 62
    midi('in', 12.5, 0x90, 62, 0), // velocity 0 ends the second
    midi('out', 12, 0x95, 62, 70), // same pitch, other direction and channel: independent
    midi('out', 13, 0x95, 64, 70), // never released
    { kind: 'note', source: 'audio-drums', pitch: 36, velocity: 100, durationS: 0.1, ...at(11.2) },
    midi('in', 12.6, 0xb0, 1, 64), // not a note
  ];
  assert.deepEqual(spanNotes(records, 20), [
    { lane: 'performer', channel: 0, pitch: 60, velocity: 100, startS: 11, endS: 11.5 },
    { lane: 'detected', channel: 9, pitch: 36, velocity: 100, startS: 11.2, endS: 11.2 + 0.1 },
    { lane: 'performer', channel: 0, pitch: 62, velocity: 90, startS: 12, endS: 12.25 },
    { lane: 'generated', channel: 5, pitch: 62, velocity: 70, startS: 12, endS: 20 },
    { lane: 'performer', channel: 0, pitch: 62, velocity: 80, startS: 12.25, endS: 12.5 },
    { lane: 'generated', channel: 5, pitch: 64, velocity: 70, startS: 13, endS: 20 },
  ]);
});

test('the .mid export puts performer, generated and detected notes on separate tracks, with CCs, bends, markers and the session tempo', () => {
  const records: LogRecord[] = [
    { kind: 'transport', playing: true, tempoBpm: 100, timeSigNumerator: 3, timeSigDenominator: 4, currentBar: 1, currentBarStartedS: 10, ...at(10) },
    midi('in', 11, 0x90, 60, 127),
    midi('in', 11.5, 0x80, 60, 0),
    midi('in', 11.25, 0xb0, 7, 127),
    midi('in', 11.3, 0xe0, 0, 0x40), // centre
    midi('in', 11.4, 0xe0, 0, 0x60), // raw 12288: +0.5
    midi('in', 11.45, 0xe0, 0, 0x00), // raw 0: -1
    midi('out', 12, 0x91, 67, 64),
    midi('out', 12.75, 0x91, 67, 0),
    midi('out', 13, 0x93, 48, 30), // a second output channel
    midi('out', 13.5, 0x83, 48, 0),
    { kind: 'note', source: 'audio-notes', pitch: 72, velocity: 50, durationS: 0.4, ...at(14) },
    { kind: 'marker', label: 'verse', ...at(12) },
  ];
  const parsed = new Midi(sessionToMidi(meta, records, 20));
  assert.deepEqual(parsed.tracks.map((t) => [t.name, t.channel, t.notes.length]), [
    ['Performer', 0, 1], ['Generated ch 2', 1, 1], ['Generated ch 4', 3, 1], ['Detected from audio', 0, 1],
  ]);
  assert.equal(Math.round(parsed.header.tempos[0].bpm), 100);
  const tick = 60 / 100 / 480;
  const check = (track: number, pitch: number, time: number, duration: number, velocity: number) => {
    const n = parsed.tracks[track].notes[0];
    assert.equal(n.midi, pitch);
    assert.ok(Math.abs(n.time - time) <= tick, `start ${n.time} vs ${time}`);
    assert.ok(Math.abs(n.duration - duration) <= 2 * tick, `duration ${n.duration} vs ${duration}`);
    assert.equal(Math.round(n.velocity * 127), velocity);
  };
  check(0, 60, 1, 0.5, 127);
  check(1, 67, 2, 0.75, 64);
  check(2, 48, 3, 0.5, 30);
  check(3, 72, 4, 0.4, 50);
  assert.equal(parsed.tracks[0].controlChanges[7][0].value, 1);
  assert.deepEqual(parsed.tracks[0].pitchBends.map((b) => b.value), [0, 0.5, -1]);
  const marker = parsed.header.meta.find((m) => m.type === 'marker');
  assert.equal(marker?.text, 'verse');
  assert.ok(Math.abs(parsed.header.ticksToSeconds(marker?.ticks ?? -1) - 2) <= tick);
  const withoutDetected = new Midi(sessionToMidi(meta, records, 20, { includeDetected: false }));
  assert.equal(withoutDetected.tracks.length, 3);
});

test('the .mid writer puts a note-off before a note-on at the same tick, so a retriggered note stays two notes', () => {
  const records: LogRecord[] = [
    midi('in', 11, 0x90, 62, 90),
    midi('in', 11.5, 0x90, 62, 80), // retrigger at the same instant the first one ends
    midi('in', 12, 0x80, 62, 0),
  ];
  const parsed = new Midi(sessionToMidi(meta, records, 20));
  const notes = parsed.tracks[0].notes.map((n) => [n.midi, Number(n.time.toFixed(4)), Number(n.duration.toFixed(4)), Math.round(n.velocity * 127)]);
  assert.deepEqual(notes, [[62, 1, 0.5, 90], [62, 1.5, 0.5, 80]]);
});
