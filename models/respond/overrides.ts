/**
 * Parameter values set on the command line (`--set name=value`), validated
 * against the plugin's parameter table (protocol/parameters.ts): the same ids,
 * ranges and choices a preset or a host uses.
 */
import { defaultParameterValues, parameterSpec, PARAMETERS, type ParameterValues } from '../../protocol/parameters.ts';

/** A `--set` that names no parameter, or gives a value the parameter does not take. */
export class ParameterOverrideError extends Error {
  override readonly name = 'ParameterOverrideError';
}

/** Parameters the command chooses itself (with `--model` and `--mode`), so `--set` may not. */
const CHOSEN_BY_OPTIONS: Readonly<Record<string, string>> = { mode: '--mode', model: '--model' };

/**
 * The plugin's default parameter values with `name=value` assignments applied
 * in order. A value is a number in the parameter's unit (an integer for int,
 * boolean and choice parameters), or for a choice parameter one of its choice
 * names.
 * @throws ParameterOverrideError naming the assignment, the parameter's range
 *   or choices, when the name is unknown, the form is not `name=value`, or the
 *   value is out of range or of the wrong type.
 */
export function applyOverrides(assignments: readonly string[], base: ParameterValues = defaultParameterValues()): ParameterValues {
  const values = { ...base };
  for (const assignment of assignments) {
    const eq = assignment.indexOf('=');
    if (eq <= 0) throw new ParameterOverrideError(`--set expects name=value, got '${assignment}'`);
    const name = assignment.slice(0, eq).trim();
    const raw = assignment.slice(eq + 1).trim();
    const spec = parameterSpec(name);
    if (!spec) throw new ParameterOverrideError(`--set ${assignment}: unknown parameter '${name}' (expected one of ${PARAMETERS.map((p) => p.id).join(', ')})`);
    const option = CHOSEN_BY_OPTIONS[name];
    if (option) throw new ParameterOverrideError(`--set ${assignment}: '${name}' is chosen with ${option}`);
    const byName = spec.choices?.indexOf(raw) ?? -1;
    const value = byName >= 0 ? byName : raw === '' ? Number.NaN : Number(raw);
    const range = spec.choices ? `one of ${spec.choices.join(', ')} (or 0…${spec.maxValue})` : `${spec.type === 'float' ? 'a number' : 'an integer'} in ${spec.minValue}…${spec.maxValue}${spec.units ? ` ${spec.units}` : ''}`;
    if (!Number.isFinite(value) || value < spec.minValue || value > spec.maxValue || (spec.type !== 'float' && !Number.isInteger(value))) {
      throw new ParameterOverrideError(`--set ${assignment}: '${name}' must be ${range}, got '${raw}'`);
    }
    values[name] = value;
  }
  return values;
}
