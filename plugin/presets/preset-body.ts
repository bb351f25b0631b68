/**
 * The body of a preset from outside (a preset file, a share string): a whole
 * state that must carry its parameters. A state without a `parameters` object
 * is a valid `setState()` argument (every parameter takes its default), but a
 * preset without one is broken: loading it would silently reset everything.
 */
import { own } from '../state/reader.ts';
import type { PluginState } from '../state/schema.ts';
import { StateError, validateState } from '../state/validate.ts';

/**
 * Validates a preset body (already known to be a record) and checks that it
 * has its parameters: `parameters`, or a version-1 body's `parameterValues`.
 * @param record The parsed JSON object.
 * @param what What it came from, for messages (`preset file`, `share string`).
 * @throws StateError when the state is invalid (checked first, so a newer
 *   schema version is reported as such) or has no parameters object.
 */
export function readPresetBody(record: object, what: string): PluginState {
  const state = validateState(record);
  const key = own(record, 'parameters', what) === undefined && own(record, 'parameterValues', what) !== undefined ? 'parameterValues' : 'parameters';
  if (own(record, key, what) === undefined) {
    throw new StateError(key, 'expected the preset\'s parameters object (a preset without one would reset every parameter to its default), got nothing');
  }
  return state;
}
