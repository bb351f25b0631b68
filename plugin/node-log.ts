/**
 * The node's session-log side (main thread): markers and flushes go to the
 * worker that writes the log, the stored sessions are read straight from
 * IndexedDB, and a stored performance can be replayed through the node. The
 * log is flushed when the page is hidden or left, so a crash loses at most
 * about a second. The node's session-log methods delegate here.
 */
import type { SessionLogApi } from '../log/api.ts';
import { replaySession, type ReplayHandle, type ReplayTarget } from './replay.ts';
import type { WorkerClient } from './worker-client.ts';

/** What the session-log side needs of the node. */
export interface NodeLogHost extends ReplayTarget {
  /** True while the worker is up and serving. */
  workerRunning(): boolean;
}

export class NodeSessionLog {
  private readonly worker: Pick<WorkerClient, 'request'>;
  private readonly host: NodeLogHost;
  private watching = false;
  private disposed = false;
  /** Flushes the log when the page is hidden or left. */
  private readonly flushOnHide = (): void => {
    if (this.disposed || !this.host.workerRunning()) return;
    this.worker.request({ op: 'flush-log' }).catch(() => {});
  };

  constructor(worker: Pick<WorkerClient, 'request'>, host: NodeLogHost) {
    this.worker = worker;
    this.host = host;
  }

  /** Starts flushing on `pagehide` and on visibility changes (in a page; nothing elsewhere). */
  watchPage(): void {
    if (this.watching || this.disposed || typeof window === 'undefined') return;
    this.watching = true;
    window.addEventListener('pagehide', this.flushOnHide);
    document.addEventListener('visibilitychange', this.flushOnHide);
  }

  /** Adds a marker to the session log at `audioTimeS` (seconds on the audio context's clock). */
  addMarker(label: string, audioTimeS: number): Promise<void> {
    return this.worker.request({ op: 'marker', label, audioTimeS }).then(() => undefined);
  }

  /** The stored sessions, read straight from IndexedDB; the module is loaded on first use. */
  async open(): Promise<SessionLogApi> {
    const { LocalSessionLogApi } = await import('../log/api.ts');
    return LocalSessionLogApi.open();
  }

  /** Plays a stored session's performance back through the node, from now. */
  replay(sessionId: string): ReplayHandle {
    return replaySession(this.host, sessionId);
  }

  /** Writes everything the session log holds to IndexedDB now. */
  flush(): Promise<void> {
    return this.worker.request({ op: 'flush-log' }).then(() => undefined);
  }

  /** Stops watching the page. Safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (!this.watching) return;
    window.removeEventListener('pagehide', this.flushOnHide);
    document.removeEventListener('visibilitychange', this.flushOnHide);
  }
}
