/**
 * An error in how a command was called (exit code 2, as POSIX utilities
 * report usage errors), as opposed to a failure while it ran (exit code 1).
 */

/** Thrown by a command for a bad command line; `main` prints it and exits with 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
