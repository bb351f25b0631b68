/**
 * `MidiDragController`: lets each session in the list be dragged out of the
 * browser as a `.mid` file (a lit ReactiveController).
 *
 * A drag must carry its data the moment it starts, but exporting is
 * asynchronous, so the file is made ahead: when the pointer enters a row or
 * the row gets focus, {@link prepare} exports the session's notes and keeps
 * the file (a `File` and an object URL), remade when the session has grown.
 * On `dragstart` {@link start} puts it on the drag as a file item and as
 * Chromium's `DownloadURL` (`<mime>:<name>:<url>`, which a drop on the
 * desktop or a file manager saves), plus its URL; a drag that starts before
 * the file is ready is refused with a message, and the file keeps coming.
 *
 * Object URLs are revoked when a file is replaced and when the host
 * disconnects.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ExportedFile, SessionSummary } from '../../plugin/gui-api.ts';

/** A prepared file. */
export interface PreparedMidi {
  file: File;
  /** Object URL of `file`. */
  url: string;
  /** What the session looked like when it was exported (it is remade when this changes). */
  version: string;
}

/** What identifies a session's content: a recording session grows, so its file goes stale. */
export function sessionVersion(summary: Pick<SessionSummary, 'durationS' | 'counts' | 'name'>): string {
  return `${summary.name}|${summary.durationS}|${summary.counts.midi}|${summary.counts.note}|${summary.counts.marker}`;
}

/** Chromium's `DownloadURL` drag format: `<mime type>:<file name>:<absolute URL>`. */
export function downloadUrl(mimeType: string, fileName: string, url: string): string {
  return `${mimeType}:${fileName.replace(/:/g, '-')}:${url}`;
}

export class MidiDragController implements ReactiveController {
  private readonly prepared = new Map<string, PreparedMidi>();
  private readonly pending = new Map<string, Promise<PreparedMidi>>();
  private connected = true;

  /**
   * @param exportMidi makes a session's .mid file (the browser's API export).
   */
  constructor(host: ReactiveControllerHost, private readonly exportMidi: (sessionId: string) => Promise<ExportedFile>) {
    host.addController(this);
  }

  /** The file ready for a session, if it is still current. */
  ready(summary: SessionSummary): PreparedMidi | undefined {
    const p = this.prepared.get(summary.id);
    return p && p.version === sessionVersion(summary) ? p : undefined;
  }

  /**
   * Makes (or reuses) the session's .mid file.
   * @throws Error when the export fails (the caller shows it).
   */
  prepare(summary: SessionSummary): Promise<PreparedMidi> {
    const current = this.ready(summary);
    if (current) return Promise.resolve(current);
    const version = sessionVersion(summary);
    const key = `${summary.id}\n${version}`;
    const running = this.pending.get(key);
    if (running) return running;
    const made = this.exportMidi(summary.id).then((exported) => {
      const file = new File([exported.bytes as Uint8Array<ArrayBuffer>], exported.fileName, { type: exported.mimeType });
      const prepared: PreparedMidi = { file, url: URL.createObjectURL(file), version };
      if (!this.connected) {
        URL.revokeObjectURL(prepared.url);
        return prepared;
      }
      const old = this.prepared.get(summary.id);
      if (old) URL.revokeObjectURL(old.url);
      this.prepared.set(summary.id, prepared);
      return prepared;
    }).finally(() => this.pending.delete(key));
    this.pending.set(key, made);
    return made;
  }

  /**
   * Fills a starting drag with the session's file.
   * @returns the file put on the drag, or undefined when it is not ready (the drag is then cancelled).
   */
  start(event: DragEvent, summary: SessionSummary): PreparedMidi | undefined {
    const transfer = event.dataTransfer;
    const prepared = this.ready(summary);
    if (!transfer || !prepared) {
      event.preventDefault();
      return undefined;
    }
    transfer.effectAllowed = 'copy';
    transfer.setData('DownloadURL', downloadUrl(prepared.file.type, prepared.file.name, prepared.url));
    transfer.setData('text/uri-list', prepared.url);
    transfer.setData('text/plain', prepared.file.name);
    transfer.items.add(prepared.file);
    return prepared;
  }

  /** How many object URLs are alive (for tests that check they are released). */
  get liveUrls(): number {
    return this.prepared.size;
  }

  hostConnected(): void {
    this.connected = true;
  }

  hostDisconnected(): void {
    this.connected = false;
    for (const p of this.prepared.values()) URL.revokeObjectURL(p.url);
    this.prepared.clear();
  }
}
