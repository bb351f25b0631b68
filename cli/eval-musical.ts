/**
 * `deep-improv eval --musical --model <name|dir>[,…] --data <dir|file> [--split S] [--limit N] [--mode call-response|continue] [--reply variation|continuation|contrast] [--seed N] [--json]`
 * Answers up to `--limit` held-out 2-bar calls (default 100) as the plugin
 * does, with default parameters, and prints the musical statistics of the
 * answers beside the calls' and the baselines' (models/respond/musical-eval.ts).
 */
import { defaultParameterValues, REPLY_STRATEGIES } from '../protocol/parameters.ts';
import { ANSWER_MODES, DEFAULT_PRESET_SEED } from '../models/respond/answer-windows.ts';
import { evaluateAnswers, formatMusicalTable, loadCallSequences, type MusicalReport } from '../models/respond/musical-eval.ts';
import { loadModelFromDir } from '../models/runtime/node.ts';
import { numberOption, parseChoice, type Args } from '../models/training/args.ts';
import { resolveModelDir } from '../models/training/files.ts';

/** Runs the musical evaluation for parsed `eval` arguments; resolves to the exit code. */
export async function runMusical(args: Args, names: readonly string[], dataPath: string, split: string): Promise<number> {
  const limit = numberOption(args, 'limit', 100, 1, 1e6, true);
  const seed = numberOption(args, 'seed', DEFAULT_PRESET_SEED, 0, 2 ** 32 - 1, true);
  const mode = parseChoice(args.mode ?? 'call-response', ANSWER_MODES, '--mode');
  const reply = parseChoice(args.reply ?? 'variation', REPLY_STRATEGIES, '--reply');
  // The plugin's `reply` parameter, with the other parameters at their defaults.
  const values = { ...defaultParameterValues(), reply: REPLY_STRATEGIES.indexOf(reply) };
  const report: Record<string, MusicalReport> = {};
  for (const name of names) {
    const model = await loadModelFromDir(resolveModelDir(name));
    try {
      report[name] = evaluateAnswers(model, loadCallSequences(model.kind, dataPath, split), { limit, seed, mode, values });
    } finally {
      model.dispose();
    }
    if (!args.json) console.log(`${formatMusicalTable(name, report[name]!)}\n`);
  }
  if (args.json) console.log(JSON.stringify({ data: dataPath, split, mode, reply, limit, seed, music: report }));
  return 0;
}
