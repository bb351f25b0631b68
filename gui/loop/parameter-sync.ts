/**
 * Keeps a component's copy of the plugin's parameter values in step with
 * the node: reads them all when the component connects, polls them (for
 * changes a host makes through automation) at most every `pollMs`, and
 * writes the user's changes through `setParameterValues` in plain units.
 *
 * Writes are coalesced: while one is in flight, later changes wait and only
 * the latest value per parameter is sent. A value the user has just changed
 * is not overwritten by a poll for `settleMs`, so a slider being dragged does
 * not jump back to a stale reading.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { coerceParameterValue, defaultParameterValues, parameterSpec, type ParameterValues } from '../../protocol/parameters.ts';
import type { LoopHost, ParameterEntries } from './loop-host.ts';

/** Options of {@link ParameterSync}. */
export interface ParameterSyncOptions {
  /** Milliseconds between polls. Default 250 (4 Hz). */
  pollMs: number;
  /** Milliseconds a local change wins over polled values. Default 600. */
  settleMs: number;
  /** Called with a message when a read or write fails, and with '' when one succeeds again. */
  onError: (message: string) => void;
}

const DEFAULTS: ParameterSyncOptions = { pollMs: 250, settleMs: 600, onError: () => {} };

export class ParameterSync implements ReactiveController {
  /** Current values in plain units (defaults until the first read answers). */
  readonly values: ParameterValues = defaultParameterValues();
  private readonly component: ReactiveControllerHost;
  private readonly getNode: () => LoopHost | null;
  private readonly options: ParameterSyncOptions;
  private timer: ReturnType<typeof setInterval> | null = null;
  /** Bumped on every stop, so answers to requests made before it are dropped. */
  private generation = 0;
  private reading = false;
  private writing = false;
  private pending: ParameterEntries = {};
  private readonly editedAtMs = new Map<string, number>();

  /** Attaches to `component`; `getNode` returns the node to talk to (null: none yet). */
  constructor(component: ReactiveControllerHost, getNode: () => LoopHost | null, options: Partial<ParameterSyncOptions> = {}) {
    this.component = component;
    this.getNode = getNode;
    this.options = { ...DEFAULTS, ...options };
    component.addController(this);
  }

  hostConnected(): void {
    this.start();
  }

  hostDisconnected(): void {
    this.stop();
  }

  /** (Re)starts reading and polling, e.g. after the node changed. */
  start(): void {
    this.stop();
    if (!this.getNode()) return;
    void this.poll(true);
    this.timer = setInterval(() => void this.poll(false), this.options.pollMs);
  }

  /** Stops polling; answers still in flight are ignored. Safe to call twice. */
  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.generation++;
    this.reading = false;
  }

  /** True while polling. */
  get running(): boolean {
    return this.timer !== null;
  }

  /**
   * Sets a parameter (plain units; clamped and rounded to its type) and writes it to the node.
   * @throws Error when `id` is not in the parameter table.
   */
  set(id: string, value: number): void {
    const spec = parameterSpec(id);
    if (!spec) throw new Error(`expected a parameter id from protocol/parameters.ts, got '${id}'`);
    const plain = coerceParameterValue(spec, value);
    this.values[id] = plain;
    this.editedAtMs.set(id, performance.now());
    this.pending[id] = { id, value: plain, normalized: false };
    this.component.requestUpdate();
    // After the current task's other changes (the pad moves x and y together), so they travel in one write.
    queueMicrotask(() => void this.flush());
  }

  private async flush(): Promise<void> {
    const node = this.getNode();
    if (this.writing || !node || Object.keys(this.pending).length === 0) return;
    const batch = this.pending;
    this.pending = {};
    this.writing = true;
    try {
      await node.setParameterValues(batch);
      this.options.onError('');
    } catch (error) {
      this.options.onError(`Could not set ${Object.keys(batch).join(', ')}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.writing = false;
      // Changes made while this write was in flight.
      void this.flush();
    }
  }

  private async poll(first: boolean): Promise<void> {
    const node = this.getNode();
    if (!node || this.reading) return;
    const generation = this.generation;
    this.reading = true;
    let entries: ParameterEntries;
    try {
      entries = await node.getParameterValues(false);
    } catch (error) {
      if (generation === this.generation) {
        this.reading = false;
        this.options.onError(`Could not read the parameters: ${error instanceof Error ? error.message : String(error)}`);
      }
      return;
    }
    if (generation !== this.generation) return;
    this.reading = false;
    const now = performance.now();
    let changed = first;
    for (const entry of Object.values(entries)) {
      const spec = parameterSpec(entry.id);
      if (!spec || !Number.isFinite(entry.value) || entry.normalized) continue;
      const edited = this.editedAtMs.get(entry.id);
      if (entry.id in this.pending || (edited !== undefined && now - edited < this.options.settleMs)) continue;
      const plain = coerceParameterValue(spec, entry.value);
      if (this.values[entry.id] !== plain) {
        this.values[entry.id] = plain;
        changed = true;
      }
    }
    if (changed) this.component.requestUpdate();
  }
}
