/**
 * `deep-improv reconstruct --model <name|dir> --in <a.mid> --out <b.mid> [--refine-steps N]`
 * Cuts a MIDI file into 2-bar windows at the file's tempo (the windows that
 * hold notes: a silent stretch stays silent), encodes each and decodes it
 * deterministically, and writes each window back where it was, at the same
 * tempo and time signature. The latent is the posterior mean (the contract
 * of DESIGN.md), or with `--refine-steps N` the mean refined by N gradient
 * steps as the plugin encodes a performer's phrase (40 there). Files past
 * the limits of models/midi/io.ts are refused.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { phrasesToMidi, readMidi } from '../models/midi/io.ts';
import { cutWindows } from '../models/midi/windows.ts';
import { loadModelFromDir } from '../models/runtime/node.ts';
import { numberOption, parseArgs, requireString } from '../models/training/args.ts';
import { resolveModelDir } from '../models/training/files.ts';

/** Runs the command; resolves to the exit code. */
export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['model', 'in', 'out', 'refine-steps']);
  const refineSteps = numberOption(args, 'refine-steps', 0, 0, 10000, true);
  const model = await loadModelFromDir(resolveModelDir(requireString(args, 'model', 'a model name or folder')));
  const input = requireString(args, 'in', 'the MIDI file to reconstruct');
  const output = requireString(args, 'out', 'the MIDI file to write');
  try {
    let file;
    try {
      file = readMidi(new Uint8Array(readFileSync(input)), model.kind);
    } catch (error) {
      throw new Error(`${input}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (file.phrases.length === 0) throw new Error(`${input}: no ${model.kind === 'drums' ? 'drum' : 'melody'} notes found`);
    // Melody files may hold several tracks: the first non-drum track with notes is reconstructed.
    const phrase = file.phrases[0]!;
    const windows = cutWindows(phrase);
    const out = windows.map((w) => ({ ...model.decode(model.encode(w.phrase, { refineSteps }), { temperature: 0, tempoBpm: phrase.tempoBpm }), source: 'generated' as const }));
    writeFileSync(output, phrasesToMidi(out, model.kind, { timeSignature: file.timeSignature, startsBeats: windows.map((w) => w.startBeats) }));
    console.error(`reconstruct: ${out.length} windows of 2 bars at ${phrase.tempoBpm.toFixed(1)} BPM -> ${output}`);
    return 0;
  } finally {
    model.dispose();
  }
}
