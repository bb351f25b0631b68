/**
 * The node's requests to its processor that wait for an answer (main
 * thread): `debug` (counters and instance counts) and `flush` (send the
 * streams it still holds). Each request carries an id; the reply finds its
 * caller by it. Once disposed, pending and new debug requests reject with
 * {@link DESTROYED} and flushes resolve at once (nothing is left to flush).
 */
import type { NodeToProcessor } from '../protocol/node-processor.ts';
import type { DebugInfo } from './node-types.ts';

/** The error pending `debugInfo()` calls reject with when the node is destroyed. */
export const DESTROYED = 'DeepImprovNode destroyed before the processor answered';

export class ProcessorRequests {
  private readonly send: (message: NodeToProcessor) => void;
  /** Debug requests waiting for the processor, by request id. */
  private readonly debugReplies = new Map<number, { resolve: (info: DebugInfo) => void; reject: (error: Error) => void }>();
  /** Flush requests waiting for the processor, by request id. */
  private readonly flushReplies = new Map<number, () => void>();
  private nextId = 1;
  private disposed = false;

  /** @param send posts one message to the processor. */
  constructor(send: (message: NodeToProcessor) => void) {
    this.send = send;
  }

  /** Asks for the debug report. @throws Error (the promise rejects) once disposed. */
  debug(): Promise<DebugInfo> {
    if (this.disposed) return Promise.reject(new Error(DESTROYED));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.debugReplies.set(id, { resolve, reject });
      this.send({ type: 'debug', id });
    });
  }

  /** Asks the processor to send what it holds; resolves at once when disposed. */
  flush(): Promise<void> {
    if (this.disposed) return Promise.resolve();
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.flushReplies.set(id, resolve);
      this.send({ type: 'flush', id });
    });
  }

  /** Settles debug request `id` (an unknown id is ignored). */
  debugAnswered(id: number, info: DebugInfo): void {
    const pending = this.debugReplies.get(id);
    this.debugReplies.delete(id);
    pending?.resolve(info);
  }

  /** Settles flush request `id` (an unknown id is ignored). */
  flushAnswered(id: number): void {
    const resolve = this.flushReplies.get(id);
    this.flushReplies.delete(id);
    resolve?.();
  }

  /** Rejects pending debug requests, resolves pending flushes. Safe to call twice. */
  dispose(): void {
    this.disposed = true;
    for (const { reject } of this.debugReplies.values()) reject(new Error(DESTROYED));
    this.debugReplies.clear();
    for (const resolve of this.flushReplies.values()) resolve();
    this.flushReplies.clear();
  }
}
