/**
 * `<di-latent-pad>`: the XY pad of the latent-pad mode. Dragging (pointer)
 * or the arrow keys (Shift for bigger steps) move the point, written as the
 * `padX` and `padY` parameters (0–1, x left to right, y bottom to top). The
 * four corners show the anchors the worker interpolates between (0
 * bottom-left, 1 bottom-right, 2 top-left, 3 top-right, as in
 * `models/respond/responder.ts`), each with a button that captures the
 * performer's last phrase into it. A captured anchor shows how many notes
 * its phrase has, and its mini roll on hover or focus (anchor-peek.ts). The
 * path travelled fades out on a canvas.
 *
 * Events: `di-param-change` for padX/padY, `di-capture-anchor` (`{ index }`).
 * The pointer capture, the trail's animation frame and the resize observer
 * ({@link CanvasFrameController}) are released when the element disconnects.
 */
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { anchorPeek, phraseOrigin, phraseSummary } from './anchor-peek.ts';
import { CAPTURE_ANCHOR_EVENT, dispatchParamChange, type CaptureAnchorDetail } from './events.ts';
import { latentPadStyles } from './latent-pad.styles.ts';
import type { LoopHostAnchor } from './loop-host.ts';
import { PadTrail } from './pad-trail.ts';
import { LOOP_COLOURS, loopTheme } from './theme.ts';
import { fitCanvas } from '../shared/canvas.ts';
import { CanvasFrameController } from '../shared/canvas-frame.controller.ts';
import { styleProps } from '../shared/style-props.ts';

/** Arrow-key steps, pad units. */
const KEY_STEP = 0.01;
const KEY_STEP_LARGE = 0.1;
/** Corner names for screen readers, by anchor index. */
const CORNER_NAMES = ['bottom left', 'bottom right', 'top left', 'top right'] as const;

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

export class DiLatentPad extends LitElement {
  static override styles = [loopTheme, latentPadStyles];
  static override properties = {
    x: { type: Number },
    y: { type: Number },
    anchors: { attribute: false },
    capturing: { type: Number },
    inactive: { type: Boolean, reflect: true },
  };

  /** Pad position, 0–1, left to right. Default 0.5. */
  x = 0.5;
  /** Pad position, 0–1, bottom to top. Default 0.5. */
  y = 0.5;
  /** The four anchors (labels; a corner with neither a latent nor a phrase shows as empty). */
  anchors: readonly LoopHostAnchor[] = [];
  /** Index of the anchor being captured (its button shows it is busy), or -1. */
  capturing = -1;
  /** Dims the pad, for when the plugin is not in latent-pad mode (it still moves). Default false. */
  inactive = false;

  private readonly trail = new PadTrail();
  /** The trail's frame loop; it watches the pad (the canvas fills it) for resizes. */
  private readonly frames = new CanvasFrameController(this, () => this.draw(), {
    resizeTarget: () => this.pad,
  });
  private dragPointer: number | null = null;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.endDrag();
  }

  /** True while a pointer drags the point (for tests and diagnostics). */
  get dragging(): boolean {
    return this.dragPointer !== null;
  }

  /** Points of the path travelled still visible. */
  get trailPoints(): number {
    return this.trail.points.length;
  }

  private get pad(): HTMLElement | null {
    return this.renderRoot.querySelector('.pad');
  }

  private get canvas(): HTMLCanvasElement | null {
    return this.renderRoot.querySelector('canvas');
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('x') || changed.has('y')) {
      this.trail.add(this.x, this.y, performance.now());
      this.frames.requestDraw();
    }
  }

  /** Draws the trail; returns true while it is still fading (only then: an idle pad costs no frames). */
  private draw(): boolean {
    const canvas = this.canvas;
    if (!canvas) return false;
    const fitted = fitCanvas(canvas);
    if (!fitted) return false;
    const { g, width, height, ratio } = fitted;
    g.clearRect(0, 0, width, height);
    const now = performance.now();
    const visible = this.trail.prune(now);
    const points = this.trail.points;
    // Butt caps: round ones overlap at each joint and the overlaps show as beads once the trail fades.
    g.lineCap = 'butt';
    g.lineJoin = 'round';
    g.strokeStyle = LOOP_COLOURS.response;
    g.lineWidth = 3 * ratio;
    for (let i = 1; i < points.length; i++) {
      g.globalAlpha = this.trail.opacity(points[i], now);
      g.beginPath();
      g.moveTo(points[i - 1].x * width, (1 - points[i - 1].y) * height);
      g.lineTo(points[i].x * width, (1 - points[i].y) * height);
      g.stroke();
    }
    g.globalAlpha = 1;
    return visible && points.length > 1;
  }

  private moveTo(x: number, y: number): void {
    const nx = clamp01(x);
    const ny = clamp01(y);
    if (nx !== this.x) {
      this.x = nx;
      dispatchParamChange(this, 'padX', nx);
    }
    if (ny !== this.y) {
      this.y = ny;
      dispatchParamChange(this, 'padY', ny);
    }
  }

  private moveToPointer(event: PointerEvent): void {
    const rect = this.pad!.getBoundingClientRect();
    if (rect.width <= 0 || rect.height <= 0) return;
    this.moveTo((event.clientX - rect.left) / rect.width, 1 - (event.clientY - rect.top) / rect.height);
  }

  private onPointerDown(event: PointerEvent): void {
    if (event.button !== 0 || this.dragPointer !== null) return;
    const pad = this.pad!;
    pad.setPointerCapture(event.pointerId);
    pad.focus();
    this.dragPointer = event.pointerId;
    this.moveToPointer(event);
    event.preventDefault();
  }

  private onPointerMove(event: PointerEvent): void {
    if (event.pointerId === this.dragPointer) this.moveToPointer(event);
  }

  private endDrag(): void {
    const pad = this.pad;
    if (this.dragPointer !== null && pad?.hasPointerCapture(this.dragPointer)) pad.releasePointerCapture(this.dragPointer);
    this.dragPointer = null;
  }

  private onKey(event: KeyboardEvent): void {
    const step = event.shiftKey ? KEY_STEP_LARGE : KEY_STEP;
    const moves: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    // Round to the step grid so repeated presses land on round numbers.
    this.moveTo(Math.round((this.x + move[0]) * 1000) / 1000, Math.round((this.y + move[1]) * 1000) / 1000);
  }

  private capture(index: number): void {
    this.dispatchEvent(new CustomEvent<CaptureAnchorDetail>(CAPTURE_ANCHOR_EVENT, { detail: { index }, bubbles: true, composed: true }));
  }

  override render() {
    const x = clamp01(this.x);
    const y = clamp01(this.y);
    return html`<div class="pad" tabindex="0" role="group" aria-roledescription="XY pad"
        aria-label=${`Latent pad, X ${x.toFixed(2)}, Y ${y.toFixed(2)}. Arrow keys move, Shift for larger steps.`}
        @pointerdown=${this.onPointerDown} @pointermove=${this.onPointerMove} @pointerup=${this.endDrag}
        @pointercancel=${this.endDrag} @lostpointercapture=${() => { this.dragPointer = null; }} @keydown=${this.onKey}>
        <canvas></canvas>
        <div class="cross h" ${styleProps({ bottom: `${y * 100}%` })}></div>
        <div class="cross v" ${styleProps({ left: `${x * 100}%` })}></div>
        <div class="puck" ${styleProps({ left: `${x * 100}%`, top: `${(1 - y) * 100}%` })}></div>
        ${this.inactive ? html`<div class="hint">used in Latent pad mode</div>` : ''}
      </div>
      ${[0, 1, 2, 3].map((i) => this.corner(i))}`;
  }

  private corner(index: number) {
    const anchor = this.anchors[index];
    const label = anchor?.label || String.fromCharCode(65 + index);
    // A phrase without a latent (a factory preset's) is encoded by the worker: the corner holds it.
    const empty = !anchor || (anchor.latent === null && !anchor.phrase);
    const busy = this.capturing === index;
    const phrase = !empty && anchor.phrase ? anchor.phrase : null;
    const title = empty ? `${label}: empty (a random point until you capture one)`
      : phrase ? `${label}: ${phraseOrigin(phrase)}, ${phraseSummary(phrase)}` : `${label}: captured`;
    return html`<div class="corner c${index} ${phrase ? 'has-phrase' : ''}" data-anchor=${index}>
      <span class="label ${empty ? 'empty' : ''}" tabindex=${phrase ? '0' : '-1'} title=${title}>${label}${phrase
        ? html`<span class="count" data-notes=${phrase.notes.length}>${phrase.notes.length}♪</span>` : nothing}</span>
      ${phrase ? anchorPeek(label, phrase) : nothing}
      <button class="capture" aria-busy=${busy ? 'true' : 'false'} ?disabled=${this.capturing >= 0}
        aria-label=${`Capture your last phrase as anchor ${label} (${CORNER_NAMES[index]})`}
        title=${`Capture your last phrase as anchor ${label}`}
        @pointerdown=${(e: Event) => e.stopPropagation()} @click=${() => this.capture(index)}>${busy ? '…' : 'capture'}</button>
    </div>`;
  }
}
