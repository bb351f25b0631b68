import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run as reconstruct } from '../../cli/reconstruct.ts';
import { run as generate } from '../../cli/generate.ts';
import { run as evaluate } from '../../cli/eval.ts';
import { midiToPhrases, phrasesToMidi } from '../../models/midi/io.ts';
import { writeModelDir, resolveModelDir, WEIGHTS_DIR } from '../../models/training/files.ts';
import { grooveNotes, phraseOf, randomWeights, scaleNotes, tinyConfig } from '../helpers/models.ts';

const dir = mkdtempSync(join(tmpdir(), 'di-cli-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const drumsModel = join(dir, 'drums-model');
const melodyModel = join(dir, 'melody-model');
writeModelDir(drumsModel, randomWeights(tinyConfig('drums'), 3, 0.6));
writeModelDir(melodyModel, randomWeights(tinyConfig('melody'), 4, 0.6));
const drumsMid = join(dir, 'groove.mid');
const melodyMid = join(dir, 'scale.mid');
// 5 bars: three 2-bar windows, the last one half empty.
writeFileSync(drumsMid, phrasesToMidi([phraseOf(grooveNotes(5), 20, 93)], 'drums'));
writeFileSync(melodyMid, phrasesToMidi([phraseOf(scaleNotes(2), 8, 100)], 'melody'));


test('model names resolve under models/weights (relative to the module), paths as paths', () => {
  assert.equal(resolveModelDir('drums'), join(WEIGHTS_DIR, 'drums'));
  assert.equal(resolveModelDir('melody-plain'), join(WEIGHTS_DIR, 'melody-plain'));
  assert.equal(resolveModelDir(drumsModel), drumsModel);
});

test('reconstruct writes consecutive 2-bar windows in order at the file tempo', async () => {
  const out = join(dir, 'rec.mid');
  assert.equal(await reconstruct(['--model', drumsModel, '--in', drumsMid, '--out', out]), 0);
  const [phrase] = midiToPhrases(new Uint8Array(readFileSync(out)), 'drums');
  assert.ok(phrase);
  assert.ok(Math.abs(phrase.tempoBpm - 93) < 1e-3);
  assert.ok(phrase.notes.every((n) => n.startBeats >= 0 && n.startBeats < 24.5));
  // Deterministic: a second run writes the same bytes.
  const again = join(dir, 'rec2.mid');
  await reconstruct(['--model', drumsModel, '--in', drumsMid, '--out', again]);
  assert.deepEqual(readFileSync(again), readFileSync(out));
});

test('reconstruct decodes the posterior mean by default (DESIGN.md) and the refined latent with --refine-steps', async () => {
  const { loadModelFromDir } = await import('../../models/runtime/node.ts');
  const { cutWindows } = await import('../../models/midi/windows.ts');
  const model = await loadModelFromDir(resolveModelDir('drums'));
  const [phrase] = midiToPhrases(new Uint8Array(readFileSync(drumsMid)), 'drums');
  const expected = (refineSteps: number): Buffer => Buffer.from(phrasesToMidi(cutWindows(phrase!).map((w) => ({ ...model.decode(model.encode(w.phrase, { refineSteps }), { temperature: 0, tempoBpm: phrase!.tempoBpm }), source: 'generated' as const })), 'drums'));
  const plain = join(dir, 'rec-mean.mid');
  const refined = join(dir, 'rec-refined.mid');
  await reconstruct(['--model', 'drums', '--in', drumsMid, '--out', plain]);
  await reconstruct(['--model', 'drums', '--in', drumsMid, '--out', refined, '--refine-steps', '40']);
  assert.notDeepEqual(expected(0), expected(40), 'the fixture must decode differently from the two latents, or this test could not fail');
  assert.deepEqual(readFileSync(plain), expected(0));
  assert.deepEqual(readFileSync(refined), expected(40));
  await assert.rejects(reconstruct(['--model', 'drums', '--in', drumsMid, '--out', refined, '--refine-steps', '-1']), /refine-steps/);
  model.dispose();
});

test('generate --mode interpolate writes one file per point; the ends decode the two inputs', async () => {
  const outDir = join(dir, 'interp');
  assert.equal(await generate(['--mode', 'interpolate', '--model', melodyModel, '--seed', melodyMid, '--to', melodyMid, '--steps', '5', '--out', outDir]), 0);
  const files = readdirSync(outDir).sort();
  assert.deepEqual(files, ['000.mid', '001.mid', '002.mid', '003.mid', '004.mid']);
  // Interpolating a file with itself gives the same phrase at every point.
  const first = readFileSync(join(outDir, '000.mid'));
  for (const f of files) assert.deepEqual(readFileSync(join(outDir, f)), first);
});

test('generate --mode sample writes N files', async () => {
  const outDir = join(dir, 'samples');
  assert.equal(await generate(['--mode', 'sample', '--model', drumsModel, '--count', '3', '--temperature', '0.5', '--out', outDir]), 0);
  assert.equal(readdirSync(outDir).length, 3);
});

test('eval --json reports reconstruction, interpolation and statistics for several models', async () => {
  const lines: string[] = [];
  const log = console.log;
  console.log = (s: string) => lines.push(s);
  try {
    assert.equal(await evaluate(['--model', `${drumsModel},${drumsModel}`, '--data', drumsMid, '--json', '--pairs', '3', '--samples', '4']), 0);
  } finally {
    console.log = log;
  }
  type Report = { models: Record<string, { reconstruction: { hit_f1: number }; reconstruction_refined?: { hit_f1: number }; interpolation: { soft: { max_over_mean: number } }; interpolation_refined?: { pairs: number }; refine?: { steps: number } }> };
  const report = JSON.parse(lines.at(-1)!) as Report;
  const m = report.models[drumsModel]!;
  assert.ok(m.reconstruction.hit_f1 >= 0 && m.reconstruction.hit_f1 <= 1);
  assert.ok(m.interpolation.soft.max_over_mean >= 1);
  // Refined latents by default (as the plugin encodes), beside the posterior means; --refine-steps 0 leaves them out.
  assert.equal(m.refine?.steps, 40);
  assert.ok(m.reconstruction_refined!.hit_f1 >= 0 && m.reconstruction_refined!.hit_f1 <= 1);
  assert.equal(m.interpolation_refined?.pairs, 3);
  lines.length = 0;
  console.log = (s: string) => lines.push(s);
  try {
    assert.equal(await evaluate(['--model', drumsModel, '--data', drumsMid, '--json', '--pairs', '3', '--samples', '4', '--refine-steps', '0']), 0);
  } finally {
    console.log = log;
  }
  const once = (JSON.parse(lines.at(-1)!) as Report).models[drumsModel]!;
  assert.equal(once.reconstruction_refined, undefined);
  assert.equal(once.reconstruction.hit_f1, m.reconstruction.hit_f1);
});

test('bad arguments give clear errors', async () => {
  await assert.rejects(reconstruct(['--model', join(dir, 'nothing'), '--in', drumsMid, '--out', join(dir, 'x.mid')]), /model\.json/);
  await assert.rejects(generate(['--mode', 'dance', '--model', drumsModel, '--out', dir]), /--mode must be/);
  await assert.rejects(reconstruct(['--model', drumsModel, '--in', drumsMid]), /missing --out/);
  await assert.rejects(reconstruct(['--model', melodyModel, '--in', drumsMid, '--out', join(dir, 'y.mid')]), /no melody notes found/);
});

/** Runs `main` and returns its exit code and what it printed to stderr. */
async function mainCapturing(argv: string[]): Promise<{ code: number; stderr: string }> {
  const { main } = await import('../../cli/main.ts');
  const lines: string[] = [];
  const error = console.error;
  console.error = (s: string) => lines.push(String(s));
  try {
    return { code: await main(argv), stderr: lines.join('\n') };
  } finally {
    console.error = error;
  }
}

test('an unknown command, even one named like an Object property, prints the usage and exits 2', async () => {
  for (const name of ['constructor', 'toString', '__proto__', 'dance']) {
    const { code, stderr } = await mainCapturing([name]);
    assert.equal(code, 2, name);
    assert.match(stderr, new RegExp(`unknown command '${name}'\\nusage: deep-improv <command>`));
  }
});

test('eval refuses an empty model name with exit code 2', async () => {
  for (const models of [',', `${drumsModel},,${drumsModel}`, '']) {
    const { code, stderr } = await mainCapturing(['eval', '--model', models, '--data', drumsMid, '--json']);
    assert.equal(code, 2, `--model '${models}'`);
    assert.match(stderr, /holds an empty name; expected model names or folders separated by commas/);
  }
});
