/**
 * A small typed event emitter: one listener set per event name, the payload
 * type checked per name. The node uses one for every event it sends
 * (status, log status, planned responses, phrases, features, cancels).
 */

/** A listener of one event kind. */
export type Listener<T> = (payload: T) => void;

/**
 * Typed events: `Events` maps each event name to its payload type (use
 * `undefined` for an event without one).
 *
 * A listener that throws does not stop the others: its error is reported
 * with `reportError` (as an uncaught error would be) and emitting goes on.
 * Listeners added or removed during an emit take effect from the next one.
 */
export class Emitter<Events extends { [K in keyof Events]: unknown }> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  /**
   * Adds a listener of `type` (adding the same function twice keeps one).
   * @returns The function that removes it (safe to call more than once).
   */
  on<K extends keyof Events>(type: K, listener: Listener<Events[K]>): () => void {
    let set = this.listeners.get(type);
    if (!set) {
      set = new Set();
      this.listeners.set(type, set);
    }
    set.add(listener as Listener<never>);
    return () => {
      this.listeners.get(type)?.delete(listener as Listener<never>);
    };
  }

  /** Calls every listener of `type` with `payload`, in the order they were added. */
  emit<K extends keyof Events>(type: K, payload: Events[K]): void {
    const set = this.listeners.get(type);
    if (!set || set.size === 0) return;
    for (const listener of [...set] as Listener<Events[K]>[]) {
      try {
        listener(payload);
      } catch (error) {
        report(error);
      }
    }
  }

  /** How many listeners `type` has (every type's together when omitted). */
  listenerCount(type?: keyof Events): number {
    if (type !== undefined) return this.listeners.get(type)?.size ?? 0;
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }

  /** Removes every listener of every type. */
  clear(): void {
    this.listeners.clear();
  }
}

/** Reports a listener's error without stopping the emit (`reportError` where it exists, else a later throw). */
function report(error: unknown): void {
  if (typeof globalThis.reportError === 'function') globalThis.reportError(error);
  else setTimeout(() => { throw error; });
}
