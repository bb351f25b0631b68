/**
 * Saying why IndexedDB refused a write, in words a user can act on. A full
 * disk reaches the code in several shapes: a `QuotaExceededError` on the
 * transaction (its message often empty), an `AbortError` on each request of
 * the aborted transaction, or our own quota cap; all read as "storage is full".
 */

/** True when `error` (or the transaction error beside it) says the storage is full. */
export function isQuotaError(error: unknown, transactionError?: unknown): boolean {
  return nameOf(error) === 'QuotaExceededError' || nameOf(transactionError) === 'QuotaExceededError';
}

function nameOf(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | null | undefined)?.name;
  return typeof name === 'string' ? name : undefined;
}

/** `Name: message` of an Error or DOMException (`Name` alone when the message is empty), else `String(error)`. */
export function errorText(error: unknown): string {
  if (error instanceof Error || (typeof DOMException !== 'undefined' && error instanceof DOMException)) {
    const e = error as Error;
    return e.message ? `${e.name}: ${e.message}` : e.name;
  }
  return String(error);
}

const kB = (bytes: number): string => `${Math.round(bytes / 1000)} kB`;

/** The origin's storage usage as `198 kB of 200 kB used`, or undefined where the browser does not say. */
export async function storageUsage(): Promise<string | undefined> {
  try {
    const estimate = await (globalThis.navigator as NavigatorStorage | undefined)?.storage?.estimate?.();
    if (!estimate || typeof estimate.usage !== 'number' || typeof estimate.quota !== 'number') return undefined;
    return `${kB(estimate.usage)} of ${kB(estimate.quota)} used`;
  } catch {
    return undefined;
  }
}

/**
 * Why a write failed, for the user: `storage is full (QuotaExceededError; 198 kB of 200 kB used): delete or
 * export old sessions and try again`, or the error's name and message (`no reason given` when both are empty).
 * @param transactionError the transaction's own `error`, which names the cause when the requests only say `AbortError`.
 */
export async function describeWriteError(error: unknown, transactionError?: unknown): Promise<string> {
  if (isQuotaError(error, transactionError)) {
    const quota = nameOf(error) === 'QuotaExceededError' ? error : transactionError;
    const detail = (quota as { message?: unknown } | null)?.message;
    const usage = await storageUsage();
    const why = ['QuotaExceededError' + (typeof detail === 'string' && detail ? `: ${detail}` : ''), usage].filter(Boolean).join('; ');
    return `storage is full (${why}): delete or export old sessions and try again`;
  }
  const cause = transactionError ?? error;
  const text = errorText(cause);
  return text === '' || text === 'Error' ? 'no reason given' : text;
}
