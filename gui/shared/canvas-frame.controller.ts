/**
 * `CanvasFrameController`: the frame loop of a drawn view, as a lit reactive
 * controller. It owns one requestAnimationFrame callback and one
 * ResizeObserver, starts them once the host is connected and rendered, and
 * cancels the frame and disconnects the observer when the host disconnects,
 * so a removed view costs nothing and a re-attached one starts again.
 *
 * The host draws in its frame callback; the controller only decides when.
 * Sizing the backing store to the device pixel ratio stays with the draw
 * (`fitCanvas` in `./canvas.ts`), which runs in the same callback.
 */
import type { ReactiveController, ReactiveElement } from 'lit';

/**
 * Draws one frame, inside a requestAnimationFrame callback.
 *
 * @param dirty true when {@link CanvasFrameController.requestDraw} (or a
 *   resize, or the loop starting) came since the previous call.
 * @returns true to be called again on the next animation frame (an animation
 *   or a clock to follow), false to sleep until the next draw request.
 */
export type CanvasFrameCallback = (dirty: boolean) => boolean;

/** Options of {@link CanvasFrameController}. */
export interface CanvasFrameOptions {
  /**
   * The element whose size is observed (each resize requests a draw), looked
   * up when the loop starts, after the host's first render. Null observes
   * nothing. Default: the first `<canvas>` in the host's render root.
   */
  resizeTarget: (host: ReactiveElement) => Element | null;
}

/** The defaults of {@link CanvasFrameOptions}, in one place. */
export const CANVAS_FRAME_DEFAULTS: Readonly<CanvasFrameOptions> = {
  resizeTarget: (host) => host.renderRoot.querySelector('canvas'),
};

/**
 * Runs a host's frame callback at most once per animation frame (the
 * display's refresh, typically 60 Hz): once after each burst of
 * {@link requestDraw} calls, once after each resize of the observed element,
 * once when the loop starts, and on every frame for as long as the callback
 * returns true. Requests made before the host's first render, or while it is
 * disconnected, mark the next frame dirty but schedule nothing.
 *
 * Added to its host by the constructor; no other call is needed.
 */
export class CanvasFrameController implements ReactiveController {
  private readonly options: CanvasFrameOptions;
  /** The pending requestAnimationFrame id, or 0. */
  private frame = 0;
  private dirty = false;
  /** True from the first render (or reconnection) to the next disconnection. */
  private running = false;
  private observer: ResizeObserver | null = null;

  /**
   * @param host the view; the controller adds itself to it.
   * @param onFrame draws a frame; see {@link CanvasFrameCallback}.
   * @param options see {@link CanvasFrameOptions}; defaults in {@link CANVAS_FRAME_DEFAULTS}.
   */
  constructor(
    private readonly host: ReactiveElement,
    private readonly onFrame: CanvasFrameCallback,
    options: Partial<CanvasFrameOptions> = {},
  ) {
    this.options = { ...CANVAS_FRAME_DEFAULTS, ...options };
    host.addController(this);
  }

  /** Asks for one frame with `dirty` true. Cheap: any number of calls between two frames make one frame. */
  requestDraw(): void {
    this.dirty = true;
    if (this.running && !this.frame) this.frame = requestAnimationFrame(this.tick);
  }

  hostConnected(): void {
    // Before the first render there is nothing to observe yet: hostUpdated starts the loop then.
    if (this.host.hasUpdated) this.start();
  }

  hostUpdated(): void {
    if (!this.running && this.host.isConnected) this.start();
  }

  hostDisconnected(): void {
    this.running = false;
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.observer?.disconnect();
    this.observer = null;
  }

  private start(): void {
    this.running = true;
    const target = this.options.resizeTarget(this.host);
    if (target && !this.observer) {
      this.observer = new ResizeObserver(() => this.requestDraw());
      this.observer.observe(target);
    }
    this.requestDraw();
  }

  private readonly tick = (): void => {
    this.frame = 0;
    const dirty = this.dirty;
    this.dirty = false;
    const again = this.onFrame(dirty);
    if (again && this.running && !this.frame) this.frame = requestAnimationFrame(this.tick);
  };
}
