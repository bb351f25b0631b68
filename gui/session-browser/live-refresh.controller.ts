/**
 * `LiveRefreshController`: while a session in the list is recording, lists
 * again every {@link LIVE_REFRESH_MS}, so its duration and counts keep up
 * (and the list shows it closed, with its final length, once it stops). A
 * lit ReactiveController; its timer stops when the host disconnects.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** How often the list is read again while a session records, milliseconds. */
export const LIVE_REFRESH_MS = 1000;

export class LiveRefreshController implements ReactiveController {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private connected = false;

  /** @param refresh lists again (never rejects); called at most once per {@link LIVE_REFRESH_MS}. */
  constructor(host: ReactiveControllerHost, private readonly refresh: () => Promise<void>) {
    host.addController(this);
  }

  /** Call after each listing: keeps refreshing while `recording`, stops otherwise. */
  follow(recording: boolean): void {
    this.cancel();
    if (!recording || !this.connected) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.refresh();
    }, LIVE_REFRESH_MS);
  }

  /** True while a refresh is scheduled. */
  get active(): boolean {
    return this.timer !== null;
  }

  hostConnected(): void {
    this.connected = true;
  }

  hostDisconnected(): void {
    this.connected = false;
    this.cancel();
  }

  private cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
