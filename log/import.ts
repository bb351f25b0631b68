/**
 * Importing a session bundle: the file is checked completely first (see
 * export/bundle.ts), then written in one IndexedDB transaction, so a bad,
 * truncated or corrupt file changes nothing and a failed write leaves no
 * partial session behind.
 */
import { parseBundle } from './export/bundle.ts';
import { newSessionId } from './session-id.ts';
import type { SessionCatalog } from './catalog.ts';
import type { SessionRow } from './db.ts';
import { describeWriteError } from './storage-error.ts';
import { checkSessionName } from './session-meta.ts';

/** Options of {@link importBundle}. */
export interface ImportOptions {
  /** Name for the imported session (default: the name in the bundle), at most `MAX_SESSION_NAME_LENGTH` (200) characters. */
  name?: string;
}

/** What an import did. */
export interface ImportResult {
  /** The id of the imported session: the bundle's own, or a new one when that id is already in the log. */
  sessionId: string;
  /** True when the bundle's id was taken and a new one was given. */
  newId: boolean;
  /** Records imported (a features record is one chunk of frames). */
  records: number;
}

/**
 * Checks a bundle and adds its session to the log.
 * @throws BundleError when the file is not a valid bundle (nothing is written).
 * @throws TypeError or RangeError when `options.name` is not a string or is too long (nothing is read).
 * @throws Error when the write fails (nothing is written), saying why (e.g. `storage is full (…): delete or export
 *   old sessions and try again`).
 */
export async function importBundle(catalog: SessionCatalog, data: Uint8Array, options: ImportOptions = {}): Promise<ImportResult> {
  const name = options.name === undefined ? '' : checkSessionName(options.name, 'import');
  const { header, pages, musicRecords } = await parseBundle(data);
  const original = header.session;
  const db = catalog.db;
  const tx = db.transaction(['sessions', 'sessionMeta', 'pageMeta', 'pageData'], 'readwrite');
  try {
    const taken = (await tx.objectStore('sessions').getKey(original.id)) !== undefined;
    const sessionId = taken ? newSessionId(original.startWallMs) : original.id;
    const row: SessionRow = {
      ...original,
      id: sessionId,
      name: name !== '' ? name : original.name,
      state: 'closed',
      musicRecords,
      // Retention counts an imported session from now: a re-imported old session is new to this log.
      importedWallMs: Date.now(),
    };
    const requests: Promise<unknown>[] = [tx.objectStore('sessions').add(row), tx.objectStore('sessionMeta').put(header.meta, sessionId)];
    for (const page of pages) {
      requests.push(tx.objectStore('pageMeta').add({ ...page.meta, sessionId }));
      // A copy: the page is a view into the whole file, and storing the view would store the file.
      requests.push(tx.objectStore('pageData').add(page.bytes.slice(), [sessionId, page.meta.pageSeq]));
    }
    requests.push(tx.done);
    await Promise.all(requests);
    return { sessionId, newId: taken, records: pages.reduce((n, p) => n + p.recordCount, 0) };
  } catch (error) {
    // Read before aborting: a commit refused for quota leaves its reason on the transaction, not on the requests.
    let transactionError: unknown;
    try {
      transactionError = tx.error ?? undefined;
    } catch {
      transactionError = undefined;
    }
    try {
      tx.abort();
    } catch {
      // Already finished or aborted: nothing was committed.
    }
    await tx.done.catch(() => undefined);
    throw new Error(`import failed, nothing was written: ${await describeWriteError(error, transactionError)}`, { cause: error });
  }
}
