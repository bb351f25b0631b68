/**
 * Reads parameter values from untrusted input against the parameter table
 * (`protocol/parameters.ts`): every id gets a value, missing ones their default,
 * unknown ids ignored. A value outside its parameter's range, a fraction for
 * an int, boolean or choice parameter, or a name that is not one of its
 * choices is rejected, never clamped: a state that loads is the state that
 * was saved.
 */
import { PARAMETERS, type ParameterSpec, type ParameterValues } from '../../protocol/parameters.ts';
import { at, describe } from './reader.ts';
import { StateError } from './state-error.ts';

/**
 * What a parameter accepts, in words, e.g. `a number from 0.05 to 2`,
 * `an integer 1–16`, `an integer 0–3 (listen, call-response, accompany, latent-pad)`
 * or `0 or 1 (or false/true)`.
 */
export function parameterExpectation(spec: ParameterSpec): string {
  switch (spec.type) {
    case 'float': return `a number from ${spec.minValue} to ${spec.maxValue}`;
    case 'int': return `an integer ${spec.minValue}–${spec.maxValue}`;
    case 'boolean': return '0 or 1 (or false/true)';
    case 'choice': return `an integer ${spec.minValue}–${spec.maxValue} (${(spec.choices ?? []).join(', ')})`;
  }
}

/** True when `value` is a number the parameter takes as it is: finite, in range, whole unless the parameter is a float. */
export function isParameterValue(spec: ParameterSpec, value: number): boolean {
  return Number.isFinite(value) && value >= spec.minValue && value <= spec.maxValue && (spec.type === 'float' || Number.isInteger(value));
}

/**
 * One parameter value, in the parameter's plain unit. Accepts a number the
 * parameter takes as it is ({@link isParameterValue}), `true`/`false` for a
 * boolean parameter, and a choice's name (e.g. `"latent-pad"`) for a choice
 * parameter, so hand-written preset files read naturally.
 * @throws StateError for anything else, e.g.
 *   `parameters.mode: expected an integer 0–3 (listen, call-response, accompany, latent-pad), got 1e308`.
 */
export function readParameterValue(spec: ParameterSpec, value: unknown, path: string): number {
  if (typeof value === 'number' && isParameterValue(spec, value)) return value;
  if (spec.type === 'boolean' && typeof value === 'boolean') return value ? 1 : 0;
  if (spec.type === 'choice' && spec.choices && typeof value === 'string') {
    const index = spec.choices.indexOf(value);
    if (index >= 0) return index;
    const names = spec.choices.map((c) => JSON.stringify(c)).join(', ');
    throw new StateError(path, `expected a choice index from 0 to ${spec.choices.length - 1} or one of ${names}, got ${describe(value)}`);
  }
  throw new StateError(path, `expected ${parameterExpectation(spec)}, got ${describe(value)}`);
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
