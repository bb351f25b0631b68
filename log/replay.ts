/**
 * Replay: a stored session's records, in time order (audio time, then append
 * order), as an async iterator that loads pages only as it needs them. The
 * worker feeds these back through the loop at whatever pace it chooses.
 */
import { compareSequenced, pagesFor, recordWanted, type ReadOptions, type SessionCatalog } from './catalog.ts';
import { decodePage } from './codec/page.ts';
import type { SequencedRecord } from './codec/event-page.ts';
import type { LogRecord } from './records.ts';

/** A binary min-heap of records ordered by {@link compareSequenced}. */
class RecordHeap {
  private readonly items: SequencedRecord[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): SequencedRecord | undefined {
    return this.items[0];
  }

  push(item: SequencedRecord): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (compareSequenced(a[parent], a[i]) <= 0) break;
      [a[parent], a[i]] = [a[i], a[parent]];
      i = parent;
    }
  }

  pop(): SequencedRecord | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && compareSequenced(a[l], a[m]) < 0) m = l;
        if (r < a.length && compareSequenced(a[r], a[m]) < 0) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}

/**
 * Yields a stored session's records in time order. Pages are read lazily: a
 * page is loaded once the replay reaches its earliest time, so memory stays
 * around a few pages however long the session is.
 * @param options which kinds and which time range (audio seconds) to replay.
 * @throws Error (on the first `next()`) when the session does not exist or a page is corrupt.
 */
export async function* replay(catalog: SessionCatalog, sessionId: string, options: ReadOptions = {}): AsyncGenerator<LogRecord, void, undefined> {
  const meta = await catalog.meta(sessionId);
  const hopS = meta.features.hopSamples / meta.features.sampleRateHz;
  const pages = pagesFor(await catalog.pages(sessionId), options, hopS).sort((a, b) => a.t0S - b.t0S || a.pageSeq - b.pageSeq);
  const heap = new RecordHeap();
  let next = 0;
  while (next < pages.length || heap.size > 0) {
    // Every record of an unloaded page is at or after that page's t0S, so anything earlier is safe to emit.
    const horizon = next < pages.length ? pages[next].t0S : Infinity;
    const top = heap.peek();
    if (top && top.record.audioTimeS < horizon) {
      heap.pop();
      yield top.record;
      continue;
    }
    const page = pages[next++];
    const decoded = await decodePage(await catalog.pageBytes(sessionId, page.pageSeq), `session ${sessionId} page ${page.pageSeq}`);
    for (const s of decoded.records) if (recordWanted(s.record, options, hopS)) heap.push(s);
  }
}
