/**
 * The audio-file controls of the demo page bound to a {@link FilePlayer}:
 * the file picker, Play/Stop, Loop, and a seek bar with a position readout
 * that moves while the file plays.
 */
import { FilePlayer, formatSeconds } from './file-player.ts';

/** The page elements the transport drives (ids in demo/public/index.html). */
export interface FileTransportElements {
  picker: HTMLInputElement;
  play: HTMLButtonElement;
  loop: HTMLInputElement;
  seek: HTMLInputElement;
  time: HTMLElement;
}

/** Binds the controls to a player; {@link dispose} unbinds them and stops the player. */
export class FileTransport {
  readonly player: FilePlayer;
  private readonly el: FileTransportElements;
  private readonly context: BaseAudioContext;
  private readonly log: (text: string) => void;
  private frame = 0;
  /** True while the user drags the seek bar, so the readout does not fight the drag. */
  private dragging = false;
  private readonly abort = new AbortController();

  constructor(context: BaseAudioContext, destination: AudioNode, elements: FileTransportElements, log: (text: string) => void) {
    this.context = context;
    this.el = elements;
    this.log = log;
    this.player = new FilePlayer(context, destination);
    const signal = this.abort.signal;
    this.player.onChange(() => this.render());
    elements.picker.addEventListener('change', () => {
      const file = elements.picker.files?.[0];
      if (file) this.open(file).catch((error) => this.log(`Audio file: ${error instanceof Error ? error.message : String(error)}`));
    }, { signal });
    elements.play.addEventListener('click', () => {
      if (this.player.snapshot().playing) this.player.stop(); else this.player.play();
    }, { signal });
    elements.loop.addEventListener('change', () => this.player.setLoop(elements.loop.checked), { signal });
    elements.seek.addEventListener('input', () => {
      this.dragging = true;
      elements.time.textContent = this.readout(Number(elements.seek.value));
    }, { signal });
    elements.seek.addEventListener('change', () => {
      this.dragging = false;
      this.player.seek(Number(elements.seek.value));
    }, { signal });
    elements.picker.disabled = false;
    this.player.setLoop(elements.loop.checked);
    this.render();
  }

  /**
   * Decodes `file` and plays it in place of the file before.
   * @throws Error (from `decodeAudioData`) when the file is not audio the browser can decode; the file before keeps playing.
   */
  async open(file: File): Promise<void> {
    const buffer = await this.context.decodeAudioData(await file.arrayBuffer());
    this.player.load(buffer, file.name);
    this.log(`Playing ${file.name} into the plugin${this.player.snapshot().loop ? ' (looped)' : ''}.`);
  }

  /** Stops the file, removes the listeners. Idempotent. */
  dispose(): void {
    this.abort.abort();
    cancelAnimationFrame(this.frame);
    this.player.dispose();
  }

  private readout(position: number): string {
    return `${formatSeconds(position)} / ${formatSeconds(this.player.snapshot().duration)}`;
  }

  /** Shows the state; while playing, again on every animation frame so the position moves. */
  private render(): void {
    cancelAnimationFrame(this.frame);
    const s = this.player.snapshot();
    const loaded = s.duration > 0;
    this.el.play.disabled = !loaded;
    this.el.play.textContent = s.playing ? 'Stop file' : 'Play file';
    this.el.play.setAttribute('aria-pressed', String(s.playing));
    this.el.seek.disabled = !loaded;
    this.el.seek.max = String(s.duration);
    if (!this.dragging) {
      this.el.seek.value = String(s.position);
      this.el.time.textContent = loaded ? this.readout(s.position) : 'no file';
    }
    this.el.loop.checked = s.loop;
    if (s.playing) this.frame = requestAnimationFrame(() => this.render());
  }
}
