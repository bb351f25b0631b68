/**
 * `TaskStatusController`: the busy flag, the one-line message and the file
 * downloads a component's user actions share (a lit ReactiveController).
 *
 * `run(label, body)` marks the host busy while `body` runs; a failure becomes
 * the error line `<label>: <the error's message>` and is handed to the
 * caller's `onError` (to dispatch the component's own error event). Download
 * links are object URLs kept alive for a while (revoking at once can cancel
 * the download in some browsers) and revoked when the host disconnects.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';

/** A line of feedback. */
export interface TaskMessage {
  kind: 'error' | 'info';
  text: string;
}

/** The host: a lit element (its render root holds the download anchors). */
export type TaskStatusHost = ReactiveControllerHost & { readonly renderRoot: HTMLElement | DocumentFragment };

/** How long an object URL for a download is kept before it is revoked, in milliseconds. */
export const DOWNLOAD_URL_LIFETIME_MS = 10_000;

/** The message of anything thrown. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class TaskStatusController implements ReactiveController {
  /** True while a task runs (components disable their buttons). */
  busy = false;
  /** The line shown under the component, or null. */
  message: TaskMessage | null = null;
  private readonly host: TaskStatusHost;
  private readonly downloads = new Map<ReturnType<typeof setTimeout>, string>();

  constructor(host: TaskStatusHost) {
    this.host = host;
    host.addController(this);
  }

  /**
   * Runs a task with the host marked busy. Never rejects.
   * @param label What failed, as the error line starts (e.g. `Could not save the preset`).
   * @param onError Called with the error line and the error, after it is shown.
   * @returns True when the task succeeded.
   */
  async run(label: string, body: () => Promise<void>, onError?: (text: string, error: unknown) => void): Promise<boolean> {
    this.set({ busy: true });
    try {
      await body();
      return true;
    } catch (error) {
      const text = `${label}: ${errorText(error)}`;
      this.set({ message: { kind: 'error', text } });
      onError?.(text, error);
      return false;
    } finally {
      this.set({ busy: false });
    }
  }

  /** Shows an information line. */
  info(text: string): void {
    this.set({ message: { kind: 'info', text } });
  }

  /** Shows an error line. */
  error(text: string): void {
    this.set({ message: { kind: 'error', text } });
  }

  /** Removes the line. */
  clear(): void {
    this.set({ message: null });
  }

  /** Starts a download of `data` as `fileName` (an anchor with an object URL, revoked after {@link DOWNLOAD_URL_LIFETIME_MS}). */
  download(data: Blob | Uint8Array, fileName: string, mimeType = 'application/octet-stream'): void {
    const blob = data instanceof Blob ? data : new Blob([data as Uint8Array<ArrayBuffer>], { type: mimeType });
    const url = URL.createObjectURL(blob);
    const anchor = document.createElement('a');
    anchor.href = url;
    anchor.download = fileName;
    anchor.style.display = 'none';
    this.host.renderRoot.appendChild(anchor);
    anchor.click();
    anchor.remove();
    const timer = setTimeout(() => {
      URL.revokeObjectURL(url);
      this.downloads.delete(timer);
    }, DOWNLOAD_URL_LIFETIME_MS);
    this.downloads.set(timer, url);
  }

  /** The message line (`.message.error` with role alert, or `.message.info` with role status), or nothing. */
  renderMessage(): TemplateResult | typeof nothing {
    const m = this.message;
    return m ? html`<p class="message ${m.kind}" role=${m.kind === 'error' ? 'alert' : 'status'}>${m.text}</p>` : nothing;
  }

  /** How many download URLs are still alive (for tests that check they are released). */
  get pendingDownloads(): number {
    return this.downloads.size;
  }

  hostDisconnected(): void {
    for (const [timer, url] of this.downloads) {
      clearTimeout(timer);
      URL.revokeObjectURL(url);
    }
    this.downloads.clear();
  }

  private set(change: Partial<Pick<TaskStatusController, 'busy' | 'message'>>): void {
    Object.assign(this, change);
    this.host.requestUpdate();
  }
}
