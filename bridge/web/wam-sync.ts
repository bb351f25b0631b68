/**
 * Keeps the hosted WAM's parameters and state in step with the DAW: applies
 * PARAM and STATE_SET from the native side, answers STATE_GET, and polls the
 * node (10 Hz) to send the parameters that changed in the page (PARAM) and
 * to push the state (STATE, request id 0) once it has stopped changing for
 * ≈ 250 ms, so the native side always holds a recent state for the host's
 * `state.save`. Every node operation runs in one queue, so a poll never
 * overlaps an apply (and a value the DAW set is never echoed back).
 */
import type { BridgeMessage } from '../../protocol/bridge.ts';
import { HELD_OFF_PARAMETER, ParamMirror } from './param-mirror.ts';

/** The parts of the WAM node the sync uses. */
export interface SyncedNode {
  getParameterValues(normalized: boolean, ...ids: string[]): Promise<Record<string, { id: string; value: number }>>;
  setParameterValues(values: Record<string, { id: string; value: number; normalized: boolean }>): Promise<void>;
  getState(): Promise<unknown>;
  setState(state: unknown): Promise<void>;
}

/** Options of {@link WamSync}. */
export interface WamSyncOptions {
  node: SyncedNode;
  /** Sends a message to the native side (dropped while disconnected). */
  send: (message: BridgeMessage) => void;
  /** True while the socket is open (polls are skipped otherwise). */
  connected: () => boolean;
  /** A problem (or '' once solved), in words for the status line. */
  onMessage: (message: string) => void;
  /** Poll period, ms (default 100). */
  pollMs?: number;
  /** State push debounce, ms (default 250). */
  debounceMs?: number;
}

export class WamSync {
  private readonly options: Required<WamSyncOptions>;
  private readonly params = new ParamMirror();
  private queue: Promise<unknown> = Promise.resolve();
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private stateTimer: ReturnType<typeof setTimeout> | undefined;
  private lastStateJson = '';
  private pendingStateJson = '';
  private modeValue = 1;

  constructor(options: WamSyncOptions) {
    this.options = { pollMs: 100, debounceMs: 250, ...options };
  }

  /** The WAM's mode index as last polled (1 = call and response). */
  get mode(): number {
    return this.modeValue;
  }

  /** Holds MIDI thru off, takes the current values as known, and starts polling. */
  async start(): Promise<void> {
    const node = this.options.node;
    await node.setParameterValues({ [HELD_OFF_PARAMETER]: { id: HELD_OFF_PARAMETER, value: 0, normalized: false } });
    this.enqueue(async () => this.params.fromWam(await this.values(), true));
    this.pollTimer = setInterval(() => this.poll(), this.options.pollMs);
  }

  /** A new connection: the native side resends its values. */
  reset(): void {
    this.params.reset();
  }

  /** Applies PARAM, STATE_GET or STATE_SET, in order with the other node operations. */
  apply(m: BridgeMessage): void {
    const node = this.options.node;
    switch (m.type) {
      case 'PARAM':
        // Taken in the queue: a poll queued earlier still compares with the value before this one.
        this.enqueue(async () => {
          const change = this.params.fromDaw(m.paramId, m.value);
          if (change) await node.setParameterValues({ [change.id]: { id: change.id, value: change.value, normalized: false } });
        });
        break;
      case 'STATE_GET':
        this.enqueue(async () => this.options.send({ type: 'STATE', requestId: m.requestId, json: await this.stateJson() }));
        break;
      case 'STATE_SET':
        this.enqueue(async () => {
          const text = m.json.trim();
          // `{}` is the native side's marker for "no state yet".
          if (text === '' || text === '{}') return;
          try {
            await node.setState(JSON.parse(text));
            await node.setParameterValues({ [HELD_OFF_PARAMETER]: { id: HELD_OFF_PARAMETER, value: 0, normalized: false } });
            this.params.fromWam(await this.values(), true);
            // The DAW holds this state already: only later changes are pushed.
            this.lastStateJson = await this.stateJson();
            this.options.onMessage('');
          } catch (error) {
            this.options.onMessage(`The DAW's saved state could not be applied: ${error instanceof Error ? error.message : String(error)}`);
          }
        });
        break;
      default:
        break;
    }
  }

  /** Stops polling. Safe to call twice. */
  dispose(): void {
    clearInterval(this.pollTimer);
    clearTimeout(this.stateTimer);
  }

  private enqueue<T>(op: () => Promise<T> | T): Promise<T | undefined> {
    const next = this.queue.then(op).catch((error: unknown) => {
      this.options.onMessage(error instanceof Error ? error.message : String(error));
      return undefined;
    });
    this.queue = next;
    return next;
  }

  private async values(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const [id, entry] of Object.entries(await this.options.node.getParameterValues(false))) out[id] = entry.value;
    return out;
  }

  /** The WAM's state as the DAW should store it (with the DAW's own MIDI-thru value). */
  private async stateJson(): Promise<string> {
    const state = await this.options.node.getState() as { parameters?: Record<string, number> };
    if (state && typeof state === 'object' && state.parameters) state.parameters[HELD_OFF_PARAMETER] = this.params.dawMidiThru;
    return JSON.stringify(state);
  }

  /** Sends changed parameters; pushes the state once it has not changed for the debounce time. */
  private poll(): void {
    if (!this.options.connected()) return;
    this.enqueue(async () => {
      const values = await this.values();
      if (values.mode !== undefined) this.modeValue = values.mode;
      for (const change of this.params.fromWam(values)) this.options.send({ type: 'PARAM', paramId: change.paramId, value: change.value });
      const json = await this.stateJson();
      if (json === this.lastStateJson || json === this.pendingStateJson) return;
      this.pendingStateJson = json;
      clearTimeout(this.stateTimer);
      this.stateTimer = setTimeout(() => this.pushState(), this.options.debounceMs);
    });
  }

  private pushState(): void {
    this.enqueue(async () => {
      const json = await this.stateJson();
      if (json === this.lastStateJson) return;
      this.lastStateJson = json;
      this.pendingStateJson = '';
      this.options.send({ type: 'STATE', requestId: 0, json });
    });
  }
}
