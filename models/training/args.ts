/**
 * A small `--flag value` parser for the model commands, with clear errors.
 */

/** Parsed arguments: flags by name (without `--`), `true` for bare flags. */
export type Args = Record<string, string | true>;

/**
 * Parses `--name value` pairs and bare `--flag`s.
 * @param bare names that take no value.
 * @param allowed every accepted name.
 * @throws Error on an unknown flag, a missing value or a stray argument.
 */
export function parseArgs(argv: readonly string[], allowed: readonly string[], bare: readonly string[] = []): Args {
  const out: Args = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument '${arg}' (expected --name value; options: ${allowed.map((a) => '--' + a).join(' ')})`);
    const name = arg.slice(2);
    if (!allowed.includes(name)) throw new Error(`unknown option '${arg}' (expected one of ${allowed.map((a) => '--' + a).join(' ')})`);
    if (bare.includes(name)) {
      out[name] = true;
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new Error(`option '${arg}' needs a value`);
    out[name] = value;
    i++;
  }
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
 * @param option the name the error gives, e.g. `--flat-ends`.
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
  if (typeof v !== 'string' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new Error(`--${name} must be ${integer ? 'an integer' : 'a number'} in ${min}…${max}, got '${String(v)}'`);
  }
  return n;
}
