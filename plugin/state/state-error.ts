/**
 * The one error type that leaves the state validator, the preset file parser
 * and the share-string decoder. Its message names where the problem is, what
 * was expected and what arrived, e.g.
 * `parameters.temperature: expected a number from 0.05 to 2, got "hot"`.
 */
export class StateError extends Error {
  /** Where the problem is, e.g. `parameters.temperature` or `anchors[2].phrase.notes[17].pitch`; `state` for the whole input. */
  readonly path: string;

  /**
   * @param path Where the problem is (see {@link StateError.path}).
   * @param problem What was wrong, e.g. `expected a number from 0.05 to 2, got "hot"`.
   */
  constructor(path: string, problem: string) {
    super(`${path}: ${problem}`);
    this.name = 'StateError';
    this.path = path;
  }
}
