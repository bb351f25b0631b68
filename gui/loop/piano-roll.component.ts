/**
 * `<di-piano-roll>`: the performer's phrases (from `onPhrase`) and the
 * plugin's planned responses (from `onPlanned`) on one scrolling canvas, in
 * two colours, against the audio clock: the playhead is
 * `host.context.currentTime`, sits in the middle, and the future (the
 * response already scheduled) is to its right. Cancelled output is cut at the
 * moment of the cancel. Notes older than 16 bars are dropped.
 *
 * Drawing runs in one requestAnimationFrame loop while connected and redraws
 * at most once per frame, and only when the clock moved or something changed.
 * The wheel scrolls back through what is kept; a double-click (or the
 * "now" button) returns to the present. Every listener, the frame loop and
 * the resize observer ({@link CanvasFrameController}) are released on
 * disconnect.
 */
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import type { LoopHost } from './loop-host.ts';
import { pianoRollStyles } from './piano-roll.styles.ts';
import { midiNoteName } from './parameter-format.ts';
import { RollNotes } from './roll-notes.ts';
import { LOOP_COLOURS, loopTheme } from './theme.ts';
import { fitCanvas } from '../shared/canvas.ts';
import { CanvasFrameController } from '../shared/canvas-frame.controller.ts';
import { styleProps } from '../shared/style-props.ts';

/** What the piano roll needs of the node. */
export type PianoRollHost = Pick<LoopHost, 'context' | 'onPlanned' | 'onPhrase' | 'onCancel'>;

/** Width of the pitch-label gutter, CSS pixels. */
const GUTTER_PX = 30;
/** Fewest semitones shown, so a short phrase does not fill the height with three fat rows. */
const MIN_PITCH_SPAN = 24;
/** Pitch classes of the black keys (their rows are shaded). */
const BLACK_KEYS = new Set([1, 3, 6, 8, 10]);

export class DiPianoRoll extends LitElement {
  static override styles = [loopTheme, pianoRollStyles];
  static override properties = {
    host: { attribute: false },
    tempoBpm: { type: Number },
    visibleBars: { type: Number },
    scrollBackS: { state: true },
  };

  /** The node whose reports are drawn; null draws an empty roll. */
  host: PianoRollHost | null = null;
  /** Tempo used before any report arrives (the `tempo` parameter), BPM. Default 120. */
  tempoBpm = 120;
  /** Bars across the width (half before the playhead, half after). Default 8. */
  visibleBars = 8;
  /** How far the view is scrolled back from the present, seconds (0: follow the playhead). */
  protected scrollBackS = 0;

  /** The notes drawn (performer and response), on the audio clock. */
  readonly roll = new RollNotes();
  /** Frames drawn so far (for tests: it grows by at most one per animation frame). */
  drawCount = 0;

  private unsubscribers: (() => void)[] = [];
  private boundHost: PianoRollHost | null = null;
  /** The frame loop: runs on every frame while connected, to follow the audio clock. */
  private readonly frames = new CanvasFrameController(this, (dirty) => this.onFrame(dirty));
  private lastNowS = Number.NaN;

  override connectedCallback(): void {
    super.connectedCallback();
    this.bind();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unbind();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('host') && this.isConnected) this.bind();
    this.frames.requestDraw();
  }

  private bind(): void {
    if (this.boundHost === this.host) return;
    this.unbind();
    const host = this.host;
    if (!host) return;
    this.boundHost = host;
    this.unsubscribers = [
      host.onPhrase((report) => { this.roll.addPhrase(report); this.frames.requestDraw(); }),
      host.onPlanned((report) => { this.roll.addPlanned(report); this.frames.requestDraw(); }),
      host.onCancel(() => { this.roll.cancel(host.context.currentTime); this.frames.requestDraw(); }),
    ];
  }

  private unbind(): void {
    for (const remove of this.unsubscribers) remove();
    this.unsubscribers = [];
    this.boundHost = null;
  }

  /** Draws when something changed or the clock moved; asks for every frame, since the clock moves on its own. */
  private onFrame(dirty: boolean): boolean {
    const nowS = this.host?.context.currentTime ?? 0;
    if (!dirty && nowS === this.lastNowS) return true;
    this.lastNowS = nowS;
    this.draw(nowS);
    return true;
  }

  private get visibleSeconds(): number {
    return this.visibleBars * this.roll.barSeconds(this.tempoBpm);
  }

  private onWheel(event: WheelEvent): void {
    const canvas = this.renderRoot.querySelector('canvas');
    if (!canvas) return;
    event.preventDefault();
    const secondsPerPixel = this.visibleSeconds / Math.max(1, canvas.clientWidth - GUTTER_PX);
    const deltaPx = Math.abs(event.deltaX) > Math.abs(event.deltaY) ? event.deltaX : event.deltaY;
    // Wheel down or right moves towards the present; the kept history bounds how far back.
    const keptS = this.roll.options.keepBars * this.roll.barSeconds(this.tempoBpm);
    this.scrollBackS = Math.min(Math.max(0, keptS - this.visibleSeconds / 2), Math.max(0, this.scrollBackS - deltaPx * secondsPerPixel));
    this.frames.requestDraw();
  }

  private backToNow(): void {
    this.scrollBackS = 0;
    this.frames.requestDraw();
  }

  private draw(nowS: number): void {
    const canvas = this.renderRoot.querySelector('canvas');
    if (!canvas) return;
    this.drawCount++;
    this.roll.prune(nowS, this.tempoBpm);
    const fitted = fitCanvas(canvas);
    if (!fitted) return;
    const { g, width, height, ratio } = fitted;
    const gutter = GUTTER_PX * ratio;
    const plotWidth = width - gutter;
    const spanS = this.visibleSeconds;
    const startS = nowS - this.scrollBackS - spanS / 2;
    const xOf = (timeS: number) => gutter + ((timeS - startS) / spanS) * plotWidth;

    const [lowPitch, highPitch] = this.pitchRange();
    const rows = highPitch - lowPitch + 1;
    const rowHeight = height / rows;
    const yOf = (pitch: number) => (highPitch - pitch) * rowHeight;

    g.fillStyle = LOOP_COLOURS.well;
    g.fillRect(0, 0, width, height);
    // Black-key rows, then the scheduled future slightly lighter.
    g.fillStyle = 'rgba(0, 0, 0, 0.28)';
    for (let p = lowPitch; p <= highPitch; p++) if (BLACK_KEYS.has(p % 12)) g.fillRect(gutter, yOf(p), plotWidth, rowHeight);
    const nowX = xOf(nowS);
    if (nowX < width) {
      g.fillStyle = 'rgba(255, 255, 255, 0.025)';
      g.fillRect(Math.max(gutter, nowX), 0, width - Math.max(gutter, nowX), height);
    }
    this.drawGrid(g, startS, spanS, xOf, height, ratio);

    // Octave lines and labels at each C.
    g.font = `${10 * ratio}px system-ui, sans-serif`;
    g.textBaseline = 'middle';
    for (let p = lowPitch; p <= highPitch; p++) {
      if (p % 12 !== 0) continue;
      g.fillStyle = LOOP_COLOURS.line;
      g.fillRect(gutter, yOf(p) + rowHeight - ratio, plotWidth, ratio);
      g.fillStyle = LOOP_COLOURS.faint;
      g.fillText(midiNoteName(p), 3 * ratio, yOf(p) + rowHeight / 2);
    }

    const endS = startS + spanS;
    const noteHeight = Math.max(ratio, rowHeight - Math.max(1, rowHeight * 0.15));
    for (const note of this.roll.notes) {
      if (note.endS < startS || note.startS > endS) continue;
      const x0 = Math.max(gutter, xOf(note.startS));
      const x1 = Math.max(x0 + 2 * ratio, xOf(note.endS));
      g.fillStyle = note.source === 'performer' ? LOOP_COLOURS.performer : LOOP_COLOURS.response;
      g.fillRect(x0, yOf(note.pitch), x1 - x0, noteHeight);
    }

    // Gutter over anything that ran into it, then the playhead.
    g.fillStyle = 'rgba(19, 21, 26, 0.9)';
    g.fillRect(0, 0, gutter, height);
    for (let p = lowPitch; p <= highPitch; p++) {
      if (p % 12 !== 0) continue;
      g.fillStyle = LOOP_COLOURS.faint;
      g.fillText(midiNoteName(p), 3 * ratio, yOf(p) + rowHeight / 2);
    }
    if (nowX >= gutter && nowX <= width) {
      g.fillStyle = LOOP_COLOURS.text;
      g.fillRect(Math.round(nowX), 0, Math.max(1, Math.round(ratio)), height);
    }
  }

  private drawGrid(g: CanvasRenderingContext2D, startS: number, spanS: number, xOf: (s: number) => number, height: number, ratio: number): void {
    const anchor = this.roll.anchor ?? { beat: 0, timeS: 0, tempoBpm: this.roll.tempoBpm ?? this.tempoBpm };
    const tempo = this.roll.tempoBpm ?? anchor.tempoBpm;
    const secondsPerBeat = 60 / tempo;
    const beatsPerBar = this.roll.beatsPerBar;
    const firstBeat = Math.ceil(anchor.beat + (startS - anchor.timeS) / secondsPerBeat);
    const lastBeat = Math.floor(anchor.beat + (startS + spanS - anchor.timeS) / secondsPerBeat);
    // Guard against a degenerate tempo drawing thousands of lines.
    if (lastBeat - firstBeat > 512) return;
    for (let beat = firstBeat; beat <= lastBeat; beat++) {
      const x = Math.round(xOf(anchor.timeS + (beat - anchor.beat) * secondsPerBeat));
      const isBar = ((beat % beatsPerBar) + beatsPerBar) % beatsPerBar === 0;
      g.fillStyle = isBar ? '#3a4052' : LOOP_COLOURS.line;
      g.fillRect(x, 0, Math.max(1, Math.round(ratio)), height);
    }
  }

  /** Lowest and highest pitch shown: every kept note, at least two octaves, centred on middle C when empty. */
  private pitchRange(): [number, number] {
    let low = 127;
    let high = 0;
    for (const note of this.roll.notes) {
      if (note.pitch < low) low = note.pitch;
      if (note.pitch > high) high = note.pitch;
    }
    if (low > high) return [48, 48 + MIN_PITCH_SPAN];
    low -= 2;
    high += 2;
    if (high - low < MIN_PITCH_SPAN) {
      const middle = (low + high) / 2;
      low = Math.round(middle - MIN_PITCH_SPAN / 2);
      high = low + MIN_PITCH_SPAN;
    }
    return [Math.max(0, low), Math.min(127, high)];
  }

  override render() {
    return html`<div class="frame" @wheel=${this.onWheel} @dblclick=${this.backToNow}>
        <canvas role="img" aria-label="Piano roll: your phrases and Deep Improv's responses"></canvas>
      </div>
      <div class="legend">
        <span><span class="swatch" ${styleProps({ background: LOOP_COLOURS.performer })}></span>you</span>
        <span><span class="swatch" ${styleProps({ background: LOOP_COLOURS.response })}></span>Deep Improv</span>
      </div>
      ${this.scrollBackS > 0 ? html`<button class="live" @click=${this.backToNow}>now ▶</button>` : nothing}`;
  }
}
