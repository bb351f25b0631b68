/**
 * The bridge page's WebSocket: connects to the native plugin, decodes every
 * binary message with the protocol codec, counts what it must ignore
 * (malformed, unknown types, text frames), reconnects with a growing pause
 * when the socket drops, and can hold every outgoing message for a fixed
 * extra delay (the `?delay=<ms>` test option that simulates a slow socket).
 */
import { decodeBridgeMessage, encodeBridgeMessage, type BridgeMessage } from '../../protocol/bridge.ts';

/** Where the connection stands. */
export type ConnectionState = 'connecting' | 'open' | 'closed';

/** Counters of messages the socket ignored. */
export interface SocketCounters {
  received: number;
  sent: number;
  malformed: number;
  unknown: number;
  text: number;
  reconnects: number;
}

/** Options of {@link BridgeSocket}. */
export interface BridgeSocketOptions {
  url: string;
  /** Called with each decoded message and the moment it arrived (`performance.now()`, ms). */
  onMessage: (message: BridgeMessage, arrivalMs: number) => void;
  onState: (state: ConnectionState) => void;
  /** Extra delay before each outgoing message, ms (default 0). */
  sendDelayMs?: number;
  /** First reconnect pause, ms (default 250); doubles up to `maxRetryMs`. */
  retryMs?: number;
  /** Longest reconnect pause, ms (default 2000). */
  maxRetryMs?: number;
}

export class BridgeSocket {
  private readonly options: Required<BridgeSocketOptions>;
  private socket: WebSocket | null = null;
  private retry: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  private stateValue: ConnectionState = 'closed';
  readonly counters: SocketCounters = { received: 0, sent: 0, malformed: 0, unknown: 0, text: 0, reconnects: 0 };

  constructor(options: BridgeSocketOptions) {
    this.options = { sendDelayMs: 0, retryMs: 250, maxRetryMs: 2000, ...options };
    this.retry = this.options.retryMs;
  }

  /** Extra delay before each outgoing message, ms. */
  get sendDelayMs(): number {
    return this.options.sendDelayMs;
  }

  set sendDelayMs(ms: number) {
    this.options.sendDelayMs = Number.isFinite(ms) && ms > 0 ? ms : 0;
  }

  /** The connection state. */
  get state(): ConnectionState {
    return this.stateValue;
  }

  /** Opens the connection (and keeps reopening it until {@link dispose}). */
  connect(): void {
    if (this.disposed || this.socket) return;
    this.setState('connecting');
    const ws = new WebSocket(this.options.url);
    ws.binaryType = 'arraybuffer';
    this.socket = ws;
    ws.onopen = () => {
      this.retry = this.options.retryMs;
      this.setState('open');
    };
    ws.onmessage = (event: MessageEvent) => {
      const arrival = performance.now();
      if (typeof event.data === 'string') {
        this.counters.text++;
        return;
      }
      const result = decodeBridgeMessage(event.data as ArrayBuffer);
      if (!result.ok) {
        if (result.error === 'unknown') this.counters.unknown++;
        else this.counters.malformed++;
        return;
      }
      this.counters.received++;
      this.options.onMessage(result.message, arrival);
    };
    ws.onclose = () => {
      if (this.socket !== ws) return;
      this.socket = null;
      this.setState('closed');
      if (this.disposed) return;
      this.timer = setTimeout(() => {
        this.counters.reconnects++;
        this.connect();
      }, this.retry);
      this.retry = Math.min(this.options.maxRetryMs, this.retry * 2);
    };
    ws.onerror = () => {
      // onclose follows and schedules the reconnect.
    };
  }

  /**
   * Sends one message (after the extra delay, if any). Dropped silently when
   * the socket is not open: the native side ends notes on disconnect and
   * resends what it needs on reconnect.
   * @throws RangeError when the message cannot be encoded (see encodeBridgeMessage).
   */
  send(message: BridgeMessage): void {
    const bytes = encodeBridgeMessage(message);
    const ws = this.socket;
    if (!ws) return;
    const write = (): void => {
      if (ws.readyState !== WebSocket.OPEN || this.socket !== ws) return;
      ws.send(bytes);
      this.counters.sent++;
    };
    if (this.options.sendDelayMs > 0) setTimeout(write, this.options.sendDelayMs);
    else write();
  }

  /** Closes the connection for good. Safe to call twice. */
  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    const ws = this.socket;
    this.socket = null;
    if (ws) ws.close();
    this.setState('closed');
  }

  private setState(state: ConnectionState): void {
    if (state === this.stateValue) return;
    this.stateValue = state;
    this.options.onState(state);
  }
}
