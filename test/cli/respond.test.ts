/**
 * `deep-improv respond`: windows at the file's tempo with the half-step
 * look-back, each answered by the worker's own responder at its window's
 * position, deterministic for a seed, `--set` validated against the
 * parameter table (exit 2). Uses the shipped weights; the fixtures are made here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run as respond } from '../../cli/respond.ts';
import { midiToPhrases, phrasesToMidi } from '../../models/midi/io.ts';
import { cutWindows } from '../../models/midi/windows.ts';
import { eventsToNotes, liveUpdates, requestSeed, WindowAnswerer } from '../../models/respond/answer-windows.ts';
import { Responder } from '../../models/respond/responder.ts';
import { loadModelFromDir } from '../../models/runtime/node.ts';
import type { Phrase, PhraseNote } from '../../protocol/phrase.ts';

const dir = mkdtempSync(join(tmpdir(), 'di-respond-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

/** 6 bars of a groove at 96 BPM; the kick on the downbeat of bar 3 is played 0.05 beats early. */
function groove(): Phrase {
  const notes: PhraseNote[] = [];
  for (let beat = 0; beat < 24; beat++) {
    const early = beat === 8 ? -0.05 : 0;
    notes.push({ pitch: beat % 2 === 0 ? 36 : 38, velocity: 90 + (beat % 3) * 10, startBeats: beat + early, durationBeats: 0.125 });
    notes.push({ pitch: 42, velocity: 60, startBeats: beat, durationBeats: 0.125 });
    notes.push({ pitch: 42, velocity: 40, startBeats: beat + 0.55, durationBeats: 0.125 });
  }
  notes.sort((a, b) => a.startBeats - b.startBeats || a.pitch - b.pitch);
  return { source: 'file', notes, lengthBeats: 24, tempoBpm: 96, beatsPerBar: 4 };
}

const callsMid = join(dir, 'calls.mid');
writeFileSync(callsMid, phrasesToMidi([groove()], 'drums'));
const read = (path: string): Phrase => midiToPhrases(new Uint8Array(readFileSync(path)), 'drums')[0]!;

test('respond answers each 2-bar window at its own position, as the worker responder answers its request', async () => {
  const out = join(dir, 'answers.mid');
  assert.equal(await respond(['--model', 'drums', '--in', callsMid, '--out', out]), 0);
  const answers = read(out);
  assert.ok(Math.abs(answers.tempoBpm - 96) < 1e-3, 'written at the calls\' tempo');
  const model = await loadModelFromDir('models/weights/drums');
  const windows = cutWindows(read(callsMid)).map((w) => w.phrase);
  assert.equal(windows.length, 3);
  // The same phrase updates and request the live loop sends, answered by a fresh worker responder.
  const responder = new Responder({ drums: model });
  for (let k = 0; k < windows.length; k++) {
    const w = windows[k]!;
    for (const update of liveUpdates(w, 'drums')) responder.update(update);
    const request = new WindowAnswerer(model).request(w);
    request.id = k + 1;
    request.settings.seed = requestSeed(0x5eed, k + 1);
    const expected = eventsToNotes(responder.respond(request).events!).filter((n) => n.startBeats < 8);
    const got = answers.notes.filter((n) => n.startBeats >= 8 * k - 1e-6 && n.startBeats < 8 * (k + 1) - 1e-6);
    assert.ok(expected.length > 0, `window ${k} has an answer`);
    assert.equal(got.length, expected.length, `window ${k}: as many notes as the responder's answer`);
    got.forEach((n, i) => {
      assert.equal(n.pitch, expected[i]!.pitch);
      assert.ok(Math.abs(n.startBeats - 8 * k - expected[i]!.startBeats) < 2 / 480, `window ${k} note ${i} at its window's position`);
    });
  }
  model.dispose();
});

test('respond is deterministic for a seed and differs between seeds', async () => {
  const a = join(dir, 'a.mid');
  const b = join(dir, 'b.mid');
  const c = join(dir, 'c.mid');
  await respond(['--model', 'drums', '--in', callsMid, '--out', a, '--seed', '7']);
  await respond(['--model', 'drums', '--in', callsMid, '--out', b, '--seed', '7']);
  await respond(['--model', 'drums', '--in', callsMid, '--out', c, '--seed', '8']);
  assert.deepEqual(readFileSync(a), readFileSync(b));
  assert.notDeepEqual(readFileSync(a), readFileSync(c));
});

test('a hit played just before a window\'s start belongs to that window, on its first step', async () => {
  const model = await loadModelFromDir('models/weights/drums');
  const windows = cutWindows(read(callsMid)).map((w) => w.phrase);
  const request = new WindowAnswerer(model).request(windows[1]!);
  const starts: number[] = [];
  for (let i = 0; i < request.notes.length; i += 4) if (request.notes[i] === 36) starts.push(request.notes[i + 2]!);
  assert.ok(starts.some((s) => Math.abs(s + 0.05) < 1e-3), `the early kick opens window 2 (kick starts ${starts.join(', ')})`);
  assert.ok(!cutWindows(read(callsMid))[0]!.phrase.notes.some((n) => n.pitch === 36 && n.startBeats > 7.5), 'and is not in window 1');
  model.dispose();
});

test('--set applies a parameter: humanise 0 puts every answer note on the 16th grid', async () => {
  const out = join(dir, 'quantised.mid');
  assert.equal(await respond(['--model', 'drums', '--in', callsMid, '--out', out, '--set', 'humanize=0', '--set', 'density=0.5']), 0);
  const notes = read(out).notes;
  assert.ok(notes.length > 0);
  for (const n of notes) assert.ok(Math.abs(n.startBeats * 4 - Math.round(n.startBeats * 4)) < 0.02, `on the grid: ${n.startBeats}`);
  const free = read(join(dir, 'answers.mid')).notes;
  assert.ok(free.some((n) => Math.abs(n.startBeats * 4 - Math.round(n.startBeats * 4)) > 0.02), 'the default answer is not quantised, so this test can fail');
});

test('an unknown parameter or an out-of-range value exits 2 with a clear error', async () => {
  const out = join(dir, 'bad.mid');
  const errors: string[] = [];
  const original = console.error;
  console.error = (...parts: unknown[]) => { errors.push(parts.join(' ')); };
  try {
    assert.equal(await respond(['--model', 'drums', '--in', callsMid, '--out', out, '--set', 'loudness=3']), 2);
    assert.match(errors.at(-1)!, /unknown parameter 'loudness'.*temperature/);
    assert.equal(await respond(['--model', 'drums', '--in', callsMid, '--out', out, '--set', 'temperature=9']), 2);
    assert.match(errors.at(-1)!, /'temperature' must be a number in 0\.05…2, got '9'/);
    assert.equal(await respond(['--model', 'drums', '--in', callsMid, '--out', out, '--set', 'pitchLow=40.5']), 2);
    assert.match(errors.at(-1)!, /integer/);
    assert.equal(await respond(['--model', 'drums', '--in', callsMid, '--out', out, '--set', 'humanize']), 2);
    assert.match(errors.at(-1)!, /name=value/);
    assert.equal(await respond(['--model', 'drums', '--in', callsMid, '--out', out, '--set', 'scale=minor', '--set', 'keyLock=set']), 0, 'choices by name');
  } finally {
    console.error = original;
  }
  await assert.rejects(respond(['--model', 'drums', '--in', callsMid, '--out', out, '--mode', 'echo']), /--mode must be 'call-response' or 'continue'/);
  await assert.rejects(respond(['--model', 'drums', '--in', callsMid, '--out', out, '--reply', 'echo']), /--reply must be 'variation', 'continuation' or 'contrast'/);
});

test('--reply contrast answers differently from the default variation, and alike with --set reply=contrast (the plugin\'s parameter)', async () => {
  const out = join(dir, 'contrast.mid');
  assert.equal(await respond(['--model', 'drums', '--in', callsMid, '--out', out, '--reply', 'contrast']), 0);
  assert.notDeepEqual(readFileSync(out), readFileSync(join(dir, 'answers.mid')));
  const set = join(dir, 'contrast-set.mid');
  assert.equal(await respond(['--model', 'drums', '--in', callsMid, '--out', set, '--set', 'reply=contrast']), 0);
  assert.deepEqual(readFileSync(set), readFileSync(out), '--set reply=contrast is --reply contrast');
  const byIndex = join(dir, 'contrast-index.mid');
  assert.equal(await respond(['--model', 'drums', '--in', callsMid, '--out', byIndex, '--set', 'reply=2', '--reply', 'contrast']), 0, 'both, agreeing');
  assert.deepEqual(readFileSync(byIndex), readFileSync(out));
  const errors: string[] = [];
  const original = console.error;
  console.error = (...parts: unknown[]) => { errors.push(parts.join(' ')); };
  try {
    assert.equal(await respond(['--model', 'drums', '--in', callsMid, '--out', join(dir, 'clash.mid'), '--set', 'reply=variation', '--reply', 'contrast']), 2);
    assert.match(errors.at(-1)!, /--reply contrast disagrees with --set reply=variation/);
    assert.equal(await respond(['--model', 'drums', '--in', callsMid, '--out', join(dir, 'bad-reply.mid'), '--set', 'reply=echo']), 2);
    assert.match(errors.at(-1)!, /'reply' must be one of variation, continuation, contrast/);
  } finally {
    console.error = original;
  }
});
