/**
 * Starts and owns the model worker. A Worker cannot be started from a
 * cross-origin URL, and hosts load plugins from other origins, so it is
 * started from a same-origin Blob whose only line imports the absolute URL
 * of dist/worker.js. Requests are matched to replies by id.
 */
import type { NodeToWorker, WorkerInit, WorkerRequest, WorkerResults, WorkerStatus, WorkerToNode } from '../protocol/node-worker.ts';

/** Options for {@link WorkerClient}. */
export interface WorkerClientOptions {
  /** Absolute URL of dist/worker.js. */
  workerUrl: URL;
  /** Milliseconds a request may wait for its reply. Default 30 000. */
  requestTimeoutMs: number;
  /** Called when the worker reports an error or crashes. */
  onError: (message: string) => void;
  /** Called with every message that is not a reply (status reports, log status). */
  onMessage: (message: WorkerToNode) => void;
  /** Milliseconds the worker may take to flush and close after dispose() before it is terminated. Default 2000. */
  closeGraceMs: number;
}

/** Owns one worker: start, typed requests, idempotent dispose. */
export class WorkerClient {
  private worker: Worker | null = null;
  private blobUrl: string | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>();
  private readyResolve: ((status: WorkerStatus) => void) | null = null;
  private readyReject: ((error: Error) => void) | null = null;
  /** Resolves once the worker has loaded and shaken hands with the processor. */
  readonly ready: Promise<WorkerStatus>;
  private readonly options: WorkerClientOptions;

  constructor(options: Partial<WorkerClientOptions> & Pick<WorkerClientOptions, 'workerUrl'>) {
    this.options = { requestTimeoutMs: 30_000, onError: () => {}, onMessage: () => {}, closeGraceMs: 2000, ...options };
    this.ready = new Promise<WorkerStatus>((resolve, reject) => {
      this.readyResolve = resolve;
      this.readyReject = reject;
    });
    // A rejected ready promise that nobody awaited must not surface as an unhandled rejection.
    this.ready.catch(() => {});
  }

  /** Starts the worker and sends it its init message (transferring the processor port). */
  start(init: WorkerInit): void {
    if (this.worker) throw new Error('WorkerClient.start: already started');
    const source = `import ${JSON.stringify(this.options.workerUrl.href)};\n`;
    this.blobUrl = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    const worker = new Worker(this.blobUrl, { type: 'module', name: 'deep-improv-models' });
    this.worker = worker;
    worker.onmessage = (event: MessageEvent<WorkerToNode>) => this.onMessage(event.data);
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this.fail(`model worker crashed: ${event.message || 'failed to load'}`);
    };
    worker.onmessageerror = () => this.fail('model worker sent a message that could not be read');
    this.send({ type: 'init', init }, [init.processorPort]);
  }

  /** Sends a request and resolves with its typed result. */
  request<K extends WorkerRequest['op']>(request: Extract<WorkerRequest, { op: K }>): Promise<WorkerResults[K]> {
    if (!this.worker) return Promise.reject(new Error('model worker is not running'));
    const id = this.nextId++;
    return new Promise<WorkerResults[K]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`model worker did not answer '${request.op}' within ${this.options.requestTimeoutMs} ms`));
      }, this.options.requestTimeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.send({ type: 'request', id, request });
    });
  }

  private send(message: NodeToWorker, transfer: Transferable[] = []): void {
    this.worker?.postMessage(message, transfer);
  }

  private onMessage(message: WorkerToNode): void {
    switch (message.type) {
      case 'ready':
        this.readyResolve?.(message.status);
        break;
      case 'reply': {
        const entry = this.pending.get(message.id);
        if (!entry) return;
        this.pending.delete(message.id);
        clearTimeout(entry.timer);
        if (message.ok) entry.resolve(message.result);
        else entry.reject(new Error(message.error));
        break;
      }
      case 'error':
        this.options.onError(message.message);
        break;
      default:
        this.options.onMessage(message);
        break;
    }
  }

  private fail(message: string): void {
    this.readyReject?.(new Error(message));
    for (const entry of this.pending.values()) {
      clearTimeout(entry.timer);
      entry.reject(new Error(message));
    }
    this.pending.clear();
    this.options.onError(message);
  }

  /**
   * Stops the worker: it flushes its session log and closes itself; it is
   * terminated once it says so, or after `closeGraceMs`. Rejects pending
   * requests and frees the Blob URL. Safe to call twice.
   */
  dispose(): void {
    if (!this.worker && !this.blobUrl) return;
    const worker = this.worker;
    if (worker) {
      this.send({ type: 'dispose' });
      this.worker = null;
      const timer = setTimeout(() => worker.terminate(), this.options.closeGraceMs);
      worker.onerror = null;
      worker.onmessageerror = null;
      worker.onmessage = (event: MessageEvent<WorkerToNode>) => {
        if (event.data?.type !== 'closed') return;
        clearTimeout(timer);
        worker.onmessage = null;
        worker.terminate();
      };
    }
    if (this.blobUrl) URL.revokeObjectURL(this.blobUrl);
    this.blobUrl = null;
    this.readyReject?.(new Error('model worker disposed'));
    for (const entry of this.pending.values()) {
      clearTimeout(entry.timer);
      entry.reject(new Error('model worker disposed'));
    }
    this.pending.clear();
  }
}
