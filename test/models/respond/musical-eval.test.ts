/**
 * The musical evaluation answers calls as the plugin does and measures the
 * calls and baselines beside the answers (shipped weights, calls made here).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateAnswers } from '../../../models/respond/musical-eval.ts';
import { WindowAnswerer } from '../../../models/respond/answer-windows.ts';
import { musicalStats } from '../../../models/eval/musical.ts';
import { loadModelFromDir } from '../../../models/runtime/node.ts';
import type { Phrase, PhraseNote } from '../../../protocol/phrase.ts';

function groove(accent: number): Phrase {
  const notes: PhraseNote[] = [];
  for (let step = 0; step < 32; step += 2) {
    notes.push({ pitch: 42, velocity: step % 4 === 0 ? accent : 50, startBeats: step / 4 + (step % 4 === 2 ? 0.03 : 0), durationBeats: 0.125 });
    if (step % 8 === 0) notes.push({ pitch: 36, velocity: 110, startBeats: step / 4, durationBeats: 0.125 });
    if (step % 8 === 4) notes.push({ pitch: 38, velocity: 100, startBeats: step / 4 + 0.02, durationBeats: 0.125 });
  }
  return { source: 'file', notes: notes.sort((a, b) => a.startBeats - b.startBeats), lengthBeats: 8, tempoBpm: 100, beatsPerBar: 4 };
}

test('evaluateAnswers measures the answers the window answerer gives, the calls and the baselines', async () => {
  const model = await loadModelFromDir('models/weights/drums');
  const empty: Phrase = { ...groove(90), notes: [] };
  const sequences = [[groove(90), groove(120), empty], [groove(70), groove(100)]];
  const report = evaluateAnswers(model, sequences, { limit: 10 });
  assert.equal(report.answers.windows, 4, 'the empty window is not a call');
  assert.equal(report.calls.f1_to_call, 1);
  assert.deepEqual(report.baselines.echo, report.calls);
  assert.ok(report.calls.repeat_f1! > 0.9, 'the calls repeat the same groove');
  // The answers are those of one answerer per sequence, in order.
  const first = new WindowAnswerer(model);
  const second = new WindowAnswerer(model);
  const expected = musicalStats([
    { call: sequences[0]![0]!, answer: first.answer(sequences[0]![0]!), next: sequences[0]![1]! },
    { call: sequences[0]![1]!, answer: first.answer(sequences[0]![1]!), next: empty },
    { call: sequences[1]![0]!, answer: second.answer(sequences[1]![0]!), next: sequences[1]![1]! },
    { call: sequences[1]![1]!, answer: second.answer(sequences[1]![1]!), next: null },
  ], true);
  assert.deepEqual(report.answers, expected);
  assert.deepEqual(evaluateAnswers(model, sequences, { limit: 10 }), report, 'deterministic');
  assert.equal(evaluateAnswers(model, sequences, { limit: 2 }).answers.windows, 2);
  model.dispose();
});

test('eval --musical --json prints the answers\' statistics beside the calls\' and baselines\' for a folder of MIDI files', async () => {
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { phrasesToMidi } = await import('../../../models/midi/io.ts');
  const { run } = await import('../../../cli/eval.ts');
  const dir = mkdtempSync(join(tmpdir(), 'di-musical-'));
  try {
    writeFileSync(join(dir, 'a.mid'), phrasesToMidi([groove(90), groove(110)], 'drums'));
    const lines: string[] = [];
    const original = console.log;
    console.log = (line: unknown) => { lines.push(String(line)); };
    let code: number;
    try {
      code = await run(['--musical', '--model', 'drums', '--data', dir, '--limit', '2', '--json']);
    } finally {
      console.log = original;
    }
    assert.equal(code, 0);
    const report = JSON.parse(lines.at(-1)!) as { music: Record<string, { answers: { windows: number }; calls: { f1_to_call: number }; baselines: Record<string, unknown> }> };
    assert.equal(report.music.drums!.answers.windows, 2);
    assert.equal(report.music.drums!.calls.f1_to_call, 1);
    assert.deepEqual(Object.keys(report.music.drums!.baselines).sort(), ['echo', 'markov', 'prior']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
