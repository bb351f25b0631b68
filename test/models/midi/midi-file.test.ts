/**
 * Reading MIDI files at the boundary: files whose length or note count is
 * past the limits are refused before any window is cut, windows are cut only
 * where there are notes, and damaged files (header only, truncated, tempo 0)
 * get errors that say what is wrong. The time signature survives
 * reconstruct and generate.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run as reconstruct } from '../../../cli/reconstruct.ts';
import { run as generate } from '../../../cli/generate.ts';
import { MAX_MIDI_BEATS, MAX_MIDI_NOTES, midiToPhrases, phrasesToMidi, readMidi } from '../../../models/midi/io.ts';
import { cutWindows } from '../../../models/midi/windows.ts';
import { loadWindows } from '../../../models/training/data.ts';
import { writeModelDir } from '../../../models/training/files.ts';
import { grooveNotes, phraseOf, randomWeights, scaleNotes, tinyConfig } from '../../helpers/models.ts';

const dir = mkdtempSync(join(tmpdir(), 'di-midi-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const drumsModel = join(dir, 'drums-model');
const melodyModel = join(dir, 'melody-model');
writeModelDir(drumsModel, randomWeights(tinyConfig('drums'), 3, 0.6));
writeModelDir(melodyModel, randomWeights(tinyConfig('melody'), 4, 0.6));

/** A 52-byte type-0 file at 480 ticks per quarter: two notes on channel 1, 0x0FFFFFFF ticks (559 240 beats) apart. */
function farApartMidi(): Uint8Array {
  const events = [
    ...[0x00, 0xff, 0x51, 0x03, 0x07, 0xa1, 0x20], // tempo 500 000 µs
    ...[0x00, 0x90, 0x3c, 0x64], // note on C4
    ...[0x60, 0x80, 0x3c, 0x00], // note off 96 ticks later
    ...[0xff, 0xff, 0xff, 0x7f, 0x90, 0x3e, 0x64], // 0x0FFFFFFF ticks later, note on D4
    ...[0x60, 0x80, 0x3e, 0x00],
    ...[0x00, 0xff, 0x2f, 0x00], // end of track
  ];
  const header = [0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, 0x01, 0xe0];
  const track = [0x4d, 0x54, 0x72, 0x6b, 0, 0, 0, events.length];
  return Uint8Array.from([...header, ...track, ...events]);
}

test('a 52-byte file with two notes 0x0FFFFFFF ticks apart is refused by reconstruct and train, for both parts', async () => {
  const bytes = farApartMidi();
  assert.equal(bytes.length, 52);
  const path = join(dir, 'far.mid');
  writeFileSync(path, bytes);
  const tooLong = new RegExp(`ends after 559241 beats, longer than the ${MAX_MIDI_BEATS} beats`);
  assert.throws(() => midiToPhrases(bytes, 'drums'), tooLong);
  assert.throws(() => midiToPhrases(bytes, 'melody'), tooLong);
  await assert.rejects(reconstruct(['--model', drumsModel, '--in', path, '--out', join(dir, 'far-out.mid')]), tooLong);
  await assert.rejects(reconstruct(['--model', melodyModel, '--in', path, '--out', join(dir, 'far-out.mid')]), tooLong);
  assert.throws(() => loadWindows('drums', path), (e: Error) => e.message.startsWith(`${path}: `) && tooLong.test(e.message));
  assert.throws(() => loadWindows('melody', path), tooLong);
});

test(`a part with more than ${MAX_MIDI_NOTES} notes is refused`, () => {
  const notes = Array.from({ length: MAX_MIDI_NOTES + 1 }, (_, i) => ({ pitch: 36, velocity: 90, startBeats: i / 8, durationBeats: 0.1 }));
  const bytes = phrasesToMidi([phraseOf(notes, notes.length / 8)], 'drums');
  assert.throws(() => midiToPhrases(bytes, 'drums'), new RegExp(`holds ${MAX_MIDI_NOTES + 1} notes, more than the ${MAX_MIDI_NOTES}`));
});

test('windows are cut only where there are notes, each keeping its start', () => {
  const notes = [...grooveNotes(1), ...grooveNotes(1).map((n) => ({ ...n, startBeats: n.startBeats + 1000 }))];
  const windows = cutWindows(phraseOf(notes, 1004));
  assert.deepEqual(windows.map((w) => w.startBeats), [0, 1000]);
  assert.ok(windows.every((w) => w.phrase.lengthBeats === 8 && w.phrase.notes.every((n) => n.startBeats >= -0.125 && n.startBeats < 8)));
});

test('reconstruct writes each window back where it was, across a long silence', async () => {
  const notes = [...grooveNotes(2), ...grooveNotes(2).map((n) => ({ ...n, startBeats: n.startBeats + 800 }))];
  const input = join(dir, 'gap.mid');
  writeFileSync(input, phrasesToMidi([phraseOf(notes, 808, 100)], 'drums'));
  const output = join(dir, 'gap-out.mid');
  assert.equal(await reconstruct(['--model', drumsModel, '--in', input, '--out', output]), 0);
  const [back] = midiToPhrases(new Uint8Array(readFileSync(output)), 'drums');
  assert.ok(back && back.notes.length > 0);
  assert.ok(back.notes.every((n) => n.startBeats < 8 || (n.startBeats >= 800 && n.startBeats < 808)), 'notes only in the two windows that had notes');
  assert.ok(back.notes.some((n) => n.startBeats >= 800), 'the second window keeps its place');
});

/** A minimal file: header, then the given track chunks (each a list of event bytes). */
function smf(tracks: number[][], announced = tracks.length): Uint8Array {
  const bytes = [0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 1, 0, announced, 0x01, 0xe0];
  for (const t of tracks) bytes.push(0x4d, 0x54, 0x72, 0x6b, 0, 0, t.length >> 8, t.length & 0xff, ...t);
  return Uint8Array.from(bytes);
}
const NOTE = [0x00, 0x90, 0x3c, 0x64, 0x60, 0x80, 0x3c, 0x00, 0x00, 0xff, 0x2f, 0x00];

test('a header-only file says it holds no track', () => {
  assert.throws(() => midiToPhrases(smf([], 1), 'drums'), /holds a header but no track \(no 'MTrk' chunk\); the header announces 1/);
  assert.throws(() => midiToPhrases(smf([], 0), 'melody'), /holds a header but no track/);
});

test('a truncated file is refused, saying where it was cut', () => {
  const whole = smf([NOTE, NOTE]);
  assert.equal(midiToPhrases(whole, 'drums')[0]!.notes.length, 2);
  assert.throws(() => midiToPhrases(whole.subarray(0, whole.length - 3), 'drums'), /truncated Standard MIDI file: chunk 2 \('MTrk'\) declares 12 bytes but only 9 remain/);
  assert.throws(() => midiToPhrases(whole.subarray(0, 14 + 20 + 4), 'drums'), /truncated Standard MIDI file: it ends 4 bytes into a chunk header/);
  assert.throws(() => midiToPhrases(smf([NOTE], 2), 'drums'), /truncated Standard MIDI file: the header announces 2 tracks but the file holds 1/);
});

test('a tempo of 0 µs per quarter note is refused on reading, and cannot be written', () => {
  const zeroTempo = smf([[0x00, 0xff, 0x51, 0x03, 0, 0, 0, ...NOTE]]);
  assert.throws(() => midiToPhrases(zeroTempo, 'drums'), /tempo of 0 µs per quarter note/);
  assert.throws(() => phrasesToMidi([phraseOf(grooveNotes(1), 4, Infinity)], 'drums'), /cannot write a tempo of Infinity BPM/);
});

for (const [numerator, denominator] of [
  [3, 4],
  [7, 8],
] as const) {
  test(`a ${numerator}/${denominator} file keeps its time signature through reconstruct and generate`, async () => {
    const input = join(dir, `meter-${numerator}-${denominator}.mid`);
    writeFileSync(input, phrasesToMidi([phraseOf(scaleNotes(2), 8, 100)], 'melody', { timeSignature: [numerator, denominator] }));
    const read = readMidi(new Uint8Array(readFileSync(input)), 'melody');
    assert.deepEqual(read.timeSignature, [numerator, denominator]);
    assert.equal(read.phrases[0]!.beatsPerBar, (numerator * 4) / denominator);
    const rec = join(dir, `rec-${numerator}-${denominator}.mid`);
    assert.equal(await reconstruct(['--model', melodyModel, '--in', input, '--out', rec]), 0);
    assert.deepEqual(readMidi(new Uint8Array(readFileSync(rec)), 'melody').timeSignature, [numerator, denominator]);
    const outDir = join(dir, `interp-${numerator}-${denominator}`);
    assert.equal(await generate(['--mode', 'interpolate', '--model', melodyModel, '--seed', input, '--to', input, '--steps', '2', '--out', outDir]), 0);
    for (const f of readdirSync(outDir)) assert.deepEqual(readMidi(new Uint8Array(readFileSync(join(outDir, f))), 'melody').timeSignature, [numerator, denominator]);
  });
}
