/**
 * Command-line parsing for the model commands: `node:util` `parseArgs` with
 * `--name value` options only, its errors reworded to list every option, and
 * typed readers for the values.
 */
import { parseArgs as parseNodeArgs } from 'node:util';

/** Parsed arguments: option values by name (without `--`), `true` for bare flags. */
export type Args = Record<string, string | true>;

/**
 * Parses `--name value` options and bare `--flag`s (also `--name=value`);
 * a repeated option keeps its last value.
 * @param allowed every accepted name.
 * @param bare names that take no value.
 * @throws Error on an unknown option, a missing value or a positional argument.
 */
export function parseArgs(argv: readonly string[], allowed: readonly string[], bare: readonly string[] = []): Args {
  const options = Object.fromEntries(allowed.map((name) => [name, { type: bare.includes(name) ? ('boolean' as const) : ('string' as const) }]));
  const list = allowed.map((a) => `--${a}`).join(' ');
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseNodeArgs({ args: [...argv], options, strict: true, allowPositionals: false }));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const quoted = /'([^']*)'/.exec((error as Error).message)?.[1] ?? '';
    const name = quoted.split(' ')[0];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new Error(`unknown option '${name}' (expected one of ${list})`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      if (bare.includes(name!.replace(/^--/, ''))) throw new Error(`option '${name}' takes no value`);
      const dash = /ambiguous/.test((error as Error).message) ? ` (write a value starting with '-' as ${name}=-1)` : '';
      throw new Error(`option '${name}' needs a value${dash}`);
    }
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw new Error(`unexpected argument '${quoted}' (expected --name value; options: ${list})`);
    throw error;
  }
  const out: Args = {};
  for (const [name, value] of Object.entries(values)) if (value !== undefined && value !== false) out[name] = value === true ? true : value;
  return out;
}

/** A required string option. @throws Error when missing. */
export function requireString(args: Args, name: string, what: string): string {
  const v = args[name];
  if (typeof v !== 'string') throw new Error(`missing --${name} (${what})`);
  return v;
}

/**
 * `value` when it is one of `choices`.
 * @param option the name the error gives, e.g. `--flat-context`.
 * @throws Error naming the option and every choice otherwise.
 */
export function parseChoice<T extends string>(value: unknown, choices: readonly T[], option: string): T {
  if ((choices as readonly unknown[]).includes(value)) return value as T;
  const quoted = choices.map((c) => `'${c}'`);
  throw new Error(`${option} must be ${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}, got '${String(value)}'`);
}

/** A numeric option or its default. @throws Error when not a number within [min, max]. */
export function numberOption(args: Args, name: string, fallback: number, min = -Infinity, max = Infinity, integer = false): number {
  const v = args[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new Error(`--${name} must be ${integer ? 'an integer' : 'a number'} in ${min}…${max}, got '${String(v)}'`);
  }
  return n;
}
