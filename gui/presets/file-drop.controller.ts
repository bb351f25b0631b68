/**
 * `FileDropController`: lets the user drop a file on a lit element (a
 * ReactiveController). While files are dragged over the host, `dragging` is
 * true (the host shows a drop zone); a drop hands the first file to `onFile`.
 * Its listeners live on the host from connect to disconnect.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** The host: a lit element. */
export type FileDropHost = ReactiveControllerHost & HTMLElement;

export class FileDropController implements ReactiveController {
  /** True while files are dragged over the host. */
  dragging = false;
  private readonly host: FileDropHost;
  private readonly onFile: (file: File) => void;
  /** Nesting count of dragenter/dragleave, which fire for every child crossed. */
  private depth = 0;

  /** @param onFile Called with the first file of each drop. */
  constructor(host: FileDropHost, onFile: (file: File) => void) {
    this.host = host;
    this.onFile = onFile;
    host.addController(this);
  }

  hostConnected(): void {
    this.host.addEventListener('dragenter', this.onDragEnter);
    this.host.addEventListener('dragover', this.onDragOver);
    this.host.addEventListener('dragleave', this.onDragLeave);
    this.host.addEventListener('drop', this.onDrop);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('dragenter', this.onDragEnter);
    this.host.removeEventListener('dragover', this.onDragOver);
    this.host.removeEventListener('dragleave', this.onDragLeave);
    this.host.removeEventListener('drop', this.onDrop);
    this.setDragging(false);
  }

  private setDragging(dragging: boolean): void {
    if (!dragging) this.depth = 0;
    if (this.dragging === dragging) return;
    this.dragging = dragging;
    this.host.requestUpdate();
  }

  private readonly onDragEnter = (event: DragEvent): void => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    this.depth++;
    this.setDragging(true);
  };

  private readonly onDragOver = (event: DragEvent): void => {
    if (!hasFiles(event)) return;
    event.preventDefault(); // allows the drop
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  };

  private readonly onDragLeave = (): void => {
    this.depth = Math.max(0, this.depth - 1);
    if (this.depth === 0) this.setDragging(false);
  };

  private readonly onDrop = (event: DragEvent): void => {
    this.setDragging(false);
    const file = event.dataTransfer?.files?.[0];
    if (!file) return;
    event.preventDefault();
    this.onFile(file);
  };
}

/** True when a drag carries files. */
function hasFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}
