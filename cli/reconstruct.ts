/**
 * `deep-improv reconstruct --model <name|dir> --in <a.mid> --out <b.mid> [--refine-steps N]`
 * Cuts a MIDI file into consecutive 2-bar windows at the file's tempo,
 * encodes each and decodes it deterministically, and writes the windows back
 * in order, at the same tempo. The latent is the posterior mean (the
 * contract of DESIGN.md), or with `--refine-steps N` the mean refined by N
 * gradient steps as the plugin encodes a performer's phrase (40 there).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { midiToPhrases, phrasesToMidi } from '../models/midi/io.ts';
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
    const phrases = midiToPhrases(new Uint8Array(readFileSync(input)), model.kind);
    if (phrases.length === 0) throw new Error(`${input}: no ${model.kind === 'drums' ? 'drum' : 'melody'} notes found`);
    // Melody files may hold several tracks: the first non-drum track with notes is reconstructed.
    const phrase = phrases[0]!;
    const out = cutWindows(phrase).map((w) => ({ ...model.decode(model.encode(w, { refineSteps }), { temperature: 0, tempoBpm: phrase.tempoBpm }), source: 'generated' as const }));
    writeFileSync(output, phrasesToMidi(out, model.kind));
    console.error(`reconstruct: ${out.length} windows of 2 bars at ${phrase.tempoBpm.toFixed(1)} BPM -> ${output}`);
    return 0;
  } finally {
    model.dispose();
  }
}
