/**
 * `deep-improv generate --model M --mode interpolate --seed a.mid --to b.mid --steps N --out DIR`
 * writes DIR/000.mid … one file per evenly spaced point on the straight line
 * between the latents of the first 2 bars of each input, in the first input's
 * time signature.
 * `deep-improv generate --model M --mode sample [--count N] [--temperature T] [--seed-number S] [--tempo BPM] --out DIR`
 * writes N prior samples.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Phrase } from '../protocol/phrase.ts';
import { phrasesToMidi, readMidi, type TimeSignature } from '../models/midi/io.ts';
import { loadModelFromDir } from '../models/runtime/node.ts';
import type { ModelRuntime } from '../models/runtime/index.ts';
import { numberOption, parseArgs, requireString } from '../models/training/args.ts';
import { resolveModelDir } from '../models/training/files.ts';

const OPTIONS = ['model', 'mode', 'seed', 'to', 'steps', 'out', 'count', 'temperature', 'seed-number', 'tempo'];

/** Runs the command; resolves to the exit code. */
export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, OPTIONS);
  const mode = requireString(args, 'mode', 'interpolate or sample');
  if (mode !== 'interpolate' && mode !== 'sample') throw new Error(`--mode must be 'interpolate' or 'sample', got '${mode}'`);
  const outDir = requireString(args, 'out', 'the folder to write MIDI files to');
  const temperature = numberOption(args, 'temperature', 0, 0, 10);
  const model = await loadModelFromDir(resolveModelDir(requireString(args, 'model', 'a model name or folder')), { seed: numberOption(args, 'seed-number', 0, 0, 2 ** 32 - 1, true) });
  try {
    mkdirSync(outDir, { recursive: true });
    const write = (i: number, phrase: Phrase, timeSignature?: TimeSignature): void =>
      writeFileSync(join(outDir, `${String(i).padStart(3, '0')}.mid`), phrasesToMidi([phrase], model.kind, { timeSignature }));
    if (mode === 'sample') {
      const count = numberOption(args, 'count', 8, 1, 10000, true);
      const tempoBpm = numberOption(args, 'tempo', 120, 20, 400);
      for (let i = 0; i < count; i++) write(i, model.sample({ temperature, tempoBpm }).phrase);
      console.error(`generate: ${count} samples -> ${outDir}`);
      return 0;
    }
    const { phrase: a, timeSignature } = firstPhrase(model, requireString(args, 'seed', 'the MIDI file the interpolation starts from'));
    const { phrase: b } = firstPhrase(model, requireString(args, 'to', 'the MIDI file the interpolation ends at'));
    const steps = numberOption(args, 'steps', 11, 2, 10000, true);
    const tempoBpm = numberOption(args, 'tempo', a.tempoBpm, 20, 400);
    const za = model.encode(a);
    const zb = model.encode(b);
    for (let i = 0; i < steps; i++) write(i, model.decode(model.interpolate(za, zb, i / (steps - 1)), { temperature, tempoBpm }), timeSignature);
    console.error(`generate: ${steps} interpolation points -> ${outDir}`);
    return 0;
  } finally {
    model.dispose();
  }
}

/** The first phrase of a MIDI file and the file's time signature, which the interpolation's files keep. */
function firstPhrase(model: ModelRuntime, path: string): { phrase: Phrase; timeSignature: TimeSignature } {
  let file;
  try {
    file = readMidi(new Uint8Array(readFileSync(path)), model.kind);
  } catch (error) {
    throw new Error(`${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (file.phrases.length === 0) throw new Error(`${path}: no ${model.kind === 'drums' ? 'drum' : 'melody'} notes found`);
  return { phrase: file.phrases[0]!, timeSignature: file.timeSignature };
}
