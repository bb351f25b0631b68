/**
 * The `deep-improv` command line: dispatches to one module per command. Each
 * command module exports `run(argv: string[]): Promise<number>` (the exit
 * code) and is loaded lazily, so `analyze` never loads tfjs. Exit codes: 0
 * done, 1 the command failed, 2 a usage error (an unknown command, or a
 * command's {@link UsageError}).
 */
import { UsageError } from './usage-error.ts';

/** A command module. */
export interface Command {
  /** Runs the command with its arguments (without the command name); resolves to the exit code. */
  run(argv: string[]): Promise<number>;
}

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  analyze: { summary: 'analyze <file.wav> [--frame N] [--hop N] [--format csv|jsonl]', load: () => import('./analyze.ts') },
  train: { summary: 'train --kind drums|melody --data <dir|file> --out <dir> [--no-flat]', load: () => import('./train.ts') },
  eval: { summary: 'eval --model <name|dir> --data <dir|file> [--refine-steps N] [--json]', load: () => import('./eval.ts') },
  generate: { summary: 'generate --model <name|dir> --mode sample|interpolate … --out <file|dir>', load: () => import('./generate.ts') },
  reconstruct: { summary: 'reconstruct --model <name|dir> --in <a.mid> --out <b.mid> [--refine-steps N]', load: () => import('./reconstruct.ts') },
  respond: { summary: 'respond --model <name|dir> --in <calls.mid> --out <answers.mid> [--mode call-response|continue] [--seed N] [--set name=value …]', load: () => import('./respond.ts') },
};

function usage(): string {
  return ['usage: deep-improv <command> [options]', '', 'commands:', ...Object.values(COMMANDS).map((c) => `  ${c.summary}`)].join('\n');
}

/** Entry point: runs the command named by `argv[0]`. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(usage());
    return name ? 0 : 1;
  }
  // Own keys only: 'constructor' or 'toString' are not commands.
  if (!Object.hasOwn(COMMANDS, name)) {
    console.error(`deep-improv: unknown command '${name}'\n${usage()}`);
    return 2;
  }
  const command = COMMANDS[name]!;
  try {
    return await (await command.load()).run(rest);
  } catch (error) {
    console.error(`deep-improv ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return error instanceof UsageError ? 2 : 1;
  }
}
