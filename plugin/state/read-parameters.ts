/**
 * Reads parameter values from untrusted input against the parameter table
 * (`plugin/parameters.ts`): every id gets a value, missing ones their default,
 * out-of-range ones clamped (and rounded) by `coerceParameterValue`, unknown
 * ids ignored.
 */
import { PARAMETERS, coerceParameterValue, type ParameterSpec, type ParameterValues } from '../../protocol/parameters.ts';
import { at, describe, fail } from './reader.ts';
import { StateError } from './state-error.ts';

/**
 * One parameter value, in the parameter's plain unit. Accepts a finite number
 * (clamped into range, rounded for int/boolean/choice), `true`/`false` for a
 * boolean parameter, and a choice's name (e.g. `"latent-pad"`) for a choice
 * parameter, so hand-written preset files read naturally.
 * @throws StateError for anything else (NaN and ±Infinity included).
 */
export function readParameterValue(spec: ParameterSpec, value: unknown, path: string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(path, 'a finite number', value);
    return coerceParameterValue(spec, value);
  }
  if (spec.type === 'boolean' && typeof value === 'boolean') return value ? 1 : 0;
  if (spec.type === 'choice' && spec.choices && typeof value === 'string') {
    const index = spec.choices.indexOf(value);
    if (index >= 0) return index;
    const names = spec.choices.map((c) => JSON.stringify(c)).join(', ');
    throw new StateError(path, `expected a choice index from 0 to ${spec.choices.length - 1} or one of ${names}, got ${describe(value)}`);
  }
  const extra = spec.type === 'boolean' ? ' or a boolean' : spec.type === 'choice' ? ' or a choice name' : '';
  return fail(path, `a finite number${extra}`, value);
}

/**
 * Reads every parameter: `lookup(spec)` returns the raw value for a parameter
 * (or undefined when absent) and `pathOf(id)` its path for messages.
 * @returns A fresh object with one value per parameter id, in table order.
 * @throws StateError naming the first bad value.
 */
export function readParameters(lookup: (spec: ParameterSpec) => unknown, pathOf: (id: string) => string): ParameterValues {
  const values: ParameterValues = {};
  for (const spec of PARAMETERS) {
    const raw = lookup(spec);
    values[spec.id] = raw === undefined ? spec.defaultValue : readParameterValue(spec, raw, pathOf(spec.id));
  }
  return values;
}

/** Path of a parameter under a `parameters` record, e.g. `parameters.temperature`. */
export const parameterPath = (id: string): string => at('parameters', id);
