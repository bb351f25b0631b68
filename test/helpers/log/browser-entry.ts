/**
 * The page-side half of the log's browser tests and benchmark: bundled with
 * esbuild and loaded into Chromium, it puts the log library and a few helpers
 * on `window.logKit`, so tests drive real IndexedDB through `page.evaluate`.
 */
import * as log from '../../../log/index.ts';
import { SyntheticSession } from './synthetic-session.ts';
import { Midi } from '@tonejs/midi';

/** Writes `seconds` of a synthetic session into an open writer, features in ~30 Hz batches like the processor sends them. */
export async function writeSynthetic(writer: log.SessionLog, synth: SyntheticSession, fromSecond: number, seconds: number, yieldEverySeconds = 5): Promise<void> {
  const f = synth.options.featureNames.length;
  for (let s = fromSecond; s < fromSecond + seconds; s++) {
    const second = synth.second(s);
    let e = 0;
    for (let b = 0; b < 30; b++) {
      const from = Math.floor((b * second.frameCount) / 30);
      const to = Math.floor(((b + 1) * second.frameCount) / 30);
      const limitS = second.events.length > 0 ? synth.options.audioStartTimeS + s + (b + 1) / 30 : 0;
      while (e < second.events.length && (b === 29 || second.events[e].audioTimeS < limitS)) writer.append(second.events[e++]);
      if (to > from) writer.appendFeatures(second.firstHopIndex + from, second.features.subarray(from * f, to * f), to - from);
    }
    // Let the flush timer and IndexedDB run, as they would between audio callbacks.
    if ((s + 1) % yieldEverySeconds === 0) await new Promise((r) => setTimeout(r, 0));
  }
}

/** The first difference between two values (path and both sides), or undefined when deeply equal (numbers by Object.is). */
function firstDifference(a: unknown, b: unknown, path = '$'): string | undefined {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) ? undefined : `${path}: ${a} !== ${b}`;
  if (a === b) return undefined;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return `${path}: ${String(a)} !== ${String(b)}`;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || a.constructor !== b.constructor) return `${path}: typed array types differ`;
    const x = a as unknown as ArrayLike<number>;
    const y = b as unknown as ArrayLike<number>;
    if (x.length !== y.length) return `${path}: length ${x.length} !== ${y.length}`;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return `${path}[${i}]: ${x[i]} !== ${y[i]}`;
    return undefined;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: array vs object`;
  const ka = Object.keys(a as object).sort();
  const kb = Object.keys(b as object).sort();
  if (ka.join() !== kb.join()) return `${path}: keys [${ka}] !== [${kb}]`;
  for (const k of ka) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    if (d) return d;
  }
  return undefined;
}

/** Deletes a database, failing instead of hanging if it stays blocked. */
function deleteDatabase(name: string): Promise<void> {
  return new Promise((ok, fail) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => ok();
    request.onerror = () => fail(request.error);
    request.onblocked = () => setTimeout(() => fail(new Error(`deleting ${name} stayed blocked`)), 5000);
  });
}

// tsx compiles the tests with esbuild's keepNames, so functions passed to page.evaluate call __name(); give the page one.
(globalThis as unknown as { __name: <T>(fn: T) => T }).__name ??= (fn) => fn;

const kit = { log, SyntheticSession, writeSynthetic, firstDifference, deleteDatabase, Midi };
/** What `window.logKit` holds. */
export type LogKit = typeof kit;
(globalThis as unknown as { logKit: LogKit }).logKit = kit;
