/**
 * `deep-improv respond --model <name|dir> --in calls.mid --out answers.mid [--mode call-response|continue] [--seed N] [--set name=value …] [--reply variation|continuation|contrast]`
 * Cuts the input into consecutive 2-bar windows at its tempo (a note up to
 * half a 16th step before a window's start belongs to that window, as in
 * training and `reconstruct`), answers each window as the plugin's worker
 * does in that mode (default parameters, or those given with `--set`,
 * validated against the parameter table), and writes each answer at its
 * window's own position. Deterministic for a seed (the preset seed, default
 * the plugin's). Exit code 2 for a bad `--set`. `--reply` chooses how answers
 * relate to their call (models/respond/reply.ts; default `variation`): it is
 * the plugin's `reply` parameter, so `--reply contrast` and
 * `--set reply=contrast` answer alike (both at once must agree, else exit 2).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { phrasesToMidi, readMidi } from '../models/midi/io.ts';
import { cutWindows } from '../models/midi/windows.ts';
import { ANSWER_MODES, DEFAULT_PRESET_SEED, WindowAnswerer } from '../models/respond/answer-windows.ts';
import { applyOverrides, ParameterOverrideError } from '../models/respond/overrides.ts';
import { REPLY_STRATEGIES } from '../protocol/parameters.ts';
import { loadModelFromDir } from '../models/runtime/node.ts';
import { numberOption, parseArgs, parseChoice, requireString } from '../models/training/args.ts';
import { resolveModelDir } from '../models/training/files.ts';

/** Exit code of a `--set` that names no parameter or gives a value out of its range. */
export const EXIT_BAD_PARAMETER = 2;

/** Splits the repeatable `--set name=value` pairs from the other options. */
function takeSets(argv: readonly string[]): { sets: string[]; rest: string[] } {
  const sets: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--set') {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new ParameterOverrideError("option '--set' needs a value (name=value)");
      sets.push(value);
      i++;
    } else rest.push(argv[i]!);
  }
  return { sets, rest };
}

/** Runs the command; resolves to the exit code. */
export async function run(argv: string[]): Promise<number> {
  let values;
  let sets: string[];
  let rest: string[];
  try {
    ({ sets, rest } = takeSets(argv));
    values = applyOverrides(sets);
  } catch (error) {
    if (!(error instanceof ParameterOverrideError)) throw error;
    console.error(`deep-improv respond: ${error.message}`);
    return EXIT_BAD_PARAMETER;
  }
  const args = parseArgs(rest, ['model', 'in', 'out', 'mode', 'seed', 'reply']);
  const mode = parseChoice(args.mode ?? 'call-response', ANSWER_MODES, '--mode');
  if (args.reply !== undefined) {
    const reply = REPLY_STRATEGIES.indexOf(parseChoice(args.reply, REPLY_STRATEGIES, '--reply'));
    if (sets.some((a) => a.slice(0, a.indexOf('=')).trim() === 'reply') && values.reply !== reply) {
      console.error(`deep-improv respond: --reply ${args.reply} disagrees with --set reply=${REPLY_STRATEGIES[values.reply!]}`);
      return EXIT_BAD_PARAMETER;
    }
    values = { ...values, reply };
  }
  const seed = numberOption(args, 'seed', DEFAULT_PRESET_SEED, 0, 2 ** 32 - 1, true);
  const input = requireString(args, 'in', 'the MIDI file of calls');
  const output = requireString(args, 'out', 'the MIDI file of answers to write');
  const model = await loadModelFromDir(resolveModelDir(requireString(args, 'model', 'a model name or folder')));
  try {
    const file = readMidi(new Uint8Array(readFileSync(input)), model.kind);
    const phrases = file.phrases;
    if (phrases.length === 0) throw new Error(`${input}: no ${model.kind === 'drums' ? 'drum' : 'melody'} notes found`);
    // Melody files may hold several tracks: the first non-drum track with notes is answered.
    const phrase = phrases[0]!;
    const answerer = new WindowAnswerer(model, { mode, seed, values });
    const windows = cutWindows(phrase);
    const answers = windows.map((w) => answerer.answer(w.phrase));
    writeFileSync(output, phrasesToMidi(answers, model.kind, { timeSignature: file.timeSignature, startsBeats: windows.map((w) => w.startBeats) }));
    console.error(`respond: ${answers.length} windows of 2 bars at ${phrase.tempoBpm.toFixed(1)} BPM answered (${mode}) -> ${output}`);
    return 0;
  } finally {
    model.dispose();
  }
}
