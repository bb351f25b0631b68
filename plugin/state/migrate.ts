/**
 * Migrations from older state schemas to the current one.
 *
 * Version 1, the 0.0.x shell's state, is the WAM SDK's default `getState()`
 * shape: `{ version: 1, parameterValues: { [id]: { id, value, normalized } } }`
 * (the SDK itself omits `version`). It carried parameters only, so the
 * migrated state has default anchors, devices and seed. Plain values are
 * checked as in the current schema (out of range is rejected, not clamped).
 */
import type { ParameterSpec } from '../../protocol/parameters.ts';
import { defaultState } from './defaults.ts';
import { readParameters } from './read-parameters.ts';
import { at, expectRecord, fail, isRecord, own } from './reader.ts';
import type { PluginState } from './schema.ts';

/**
 * Turns a normalised WAM value (0–1) into the parameter's plain unit. Our
 * parameters are linear (no WAM exponent), so this is the linear map onto
 * [minValue, maxValue]. The normalised form cannot carry an int's value
 * exactly (0.1 + 0.2 ≠ 0.3), so the result is rounded to the nearest whole
 * number for int, boolean and choice parameters, and kept inside the range
 * against rounding at its ends; the normalised number itself must be in [0, 1].
 */
function denormalize(spec: ParameterSpec, normalized: number): number {
  const plain = spec.minValue + normalized * (spec.maxValue - spec.minValue);
  const whole = spec.type === 'float' ? plain : Math.round(plain);
  return Math.min(spec.maxValue, Math.max(spec.minValue, whole));
}

/**
 * The plain value of one v1 `parameterValues` entry: a `{ id, value,
 * normalized }` record (the SDK's `WamParameterData`) or a bare number.
 */
function readV1Entry(spec: ParameterSpec, entry: unknown, path: string): unknown {
  if (!isRecord(entry)) return entry; // a bare value: checked by readParameters
  const value = own(entry, 'value', path);
  if (value === undefined) fail(at(path, 'value'), 'a finite number', value);
  const normalized = own(entry, 'normalized', path);
  if (normalized !== undefined && typeof normalized !== 'boolean') fail(at(path, 'normalized'), 'a boolean', normalized);
  if (normalized === true) {
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) fail(at(path, 'value'), 'a normalised number from 0 to 1', value);
    return denormalize(spec, value);
  }
  return value;
}

/**
 * Migrates a version-1 state (already known to be a record) to the current
 * schema. Unknown parameter ids are ignored; missing ones take their defaults.
 * @throws StateError naming the v1 path (e.g. `parameterValues.temperature.value`) of a bad value.
 */
export function migrateV1(input: object): PluginState {
  const state = defaultState();
  const raw = own(input, 'parameterValues', 'state');
  if (raw === undefined || raw === null) return state;
  const values = expectRecord(raw, 'parameterValues');
  const entryPath = (id: string): string => at('parameterValues', id);
  // A record entry's number sits under `.value`; a bare number is the entry itself.
  const valuePath = (id: string): string => (isRecord(own(values, id, 'parameterValues')) ? at(entryPath(id), 'value') : entryPath(id));
  state.parameters = readParameters((spec) => {
    const entry = own(values, spec.id, 'parameterValues');
    return entry === undefined ? undefined : readV1Entry(spec, entry, entryPath(spec.id));
  }, valuePath);
  return state;
}
