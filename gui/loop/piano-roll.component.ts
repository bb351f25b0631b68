/**
 * `<di-piano-roll>`: the performer's notes (blue, drawn as they are played,
 * from `onPerformerNotes`, and replaced by each finished phrase from
 * `onPhrase`) and the plugin's planned responses (orange, from `onPlanned`)
 * on one scrolling canvas against the audio clock: the playhead is
 * `host.context.currentTime`, sits in the middle, and the future (the
 * response already scheduled) is to its right. Cancelled output is cut at the
 * moment of the cancel. Notes older than 16 bars are dropped. With `drums`
 * the rows are the drum model's named lanes instead of piano keys.
 *
 * It also works out what the plugin is doing from the same events
 * ({@link LoopActivity}: listening, thinking, answering…), checked on every
 * frame, and dispatches `di-loop-activity` when that changes (the panel shows
 * it as a pill).
 *
 * Every answer can be taken away as a `.mid` clip: dragged out of the roll
 * (press on it and drag into a DAW) or from the clip button, which saves it
 * with a click (the hovered answer, else the latest).
 *
 * Drawing runs in one requestAnimationFrame loop while connected and redraws
 * at most once per frame, and only when the clock moved or something changed.
 * The wheel scrolls back through what is kept; a double-click (or the
 * "now" button) returns to the present. Every listener, the frame loop, the
 * resize observer ({@link CanvasFrameController}) and the clips' blob URLs
 * are released on disconnect.
 */
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { answerMidiFile, downloadClip, putClipOnDrag } from './answer-clip.ts';
import { LOOP_ACTIVITY_EVENT, type LoopActivityDetail } from './events.ts';
import { LoopActivity, type LoopActivityState } from './loop-activity.ts';
import type { LoopHost } from './loop-host.ts';
import { pianoRollStyles } from './piano-roll.styles.ts';
import { paintRoll, type DrawnNote } from './roll-painter.ts';
import { RollNotes, type RollAnswer } from './roll-notes.ts';
import { drumRows, keyRows, type RollRows } from './roll-rows.ts';
import { LOOP_COLOURS, loopTheme } from './theme.ts';
import { fitCanvas } from '../shared/canvas.ts';
import { CanvasFrameController } from '../shared/canvas-frame.controller.ts';
import { styleProps } from '../shared/style-props.ts';

/** What the piano roll needs of the node. */
export type PianoRollHost = Pick<LoopHost, 'context' | 'onPlanned' | 'onPhrase' | 'onCancel' | 'onPerformerNotes' | 'onMusicRequest'>;

/** Width of the label gutter, CSS pixels: note names, or drum lane names. */
const GUTTER_PX = 30;
const DRUM_GUTTER_PX = 58;
/** How long a clip's blob URL stays valid after a save or a drag, milliseconds (the drop or download reads it). */
const CLIP_URL_LIFETIME_MS = 60_000;

export class DiPianoRoll extends LitElement {
  static override styles = [loopTheme, pianoRollStyles];
  static override properties = {
    host: { attribute: false },
    tempoBpm: { type: Number },
    visibleBars: { type: Number },
    drums: { type: Boolean, reflect: true },
    armed: { type: Boolean },
    scrollBackS: { state: true },
    hoverAnswerId: { state: true },
    answerCount: { state: true },
  };

  /** The node whose reports are drawn; null draws an empty roll. */
  host: PianoRollHost | null = null;
  /** Tempo used before any report arrives (the `tempo` parameter), BPM. Default 120. */
  tempoBpm = 120;
  /** Bars across the width (half before the playhead, half after). Default 8. */
  visibleBars = 8;
  /** Draws the drum model's lanes (kick, snare, …) instead of piano keys. Default false. */
  drums = false;
  /** Whether output is armed (the `armed` parameter): a quiet plugin is then "waiting", else "off". Default false. */
  armed = false;
  /** How far the view is scrolled back from the present, seconds (0: follow the playhead). */
  protected scrollBackS = 0;
  /** The answer under the pointer (outlined; the clip button offers it), or null. */
  protected hoverAnswerId: number | null = null;
  /** Answers on the roll (re-renders the clip button when it changes). */
  protected answerCount = 0;

  /** The notes drawn (performer and response), on the audio clock. */
  readonly roll = new RollNotes();
  /** Frames drawn so far (for tests: it grows by at most one per animation frame). */
  drawCount = 0;
  /** The rows of the latest frame (keys or drum lanes, with their labels). */
  rows: RollRows = keyRows([]);
  /** Where each note of the latest frame was drawn, CSS pixels. */
  drawnNotes: DrawnNote[] = [];
  /** What the plugin is doing, from the node's events. */
  activity = new LoopActivity();
  /** The activity state last dispatched. */
  activityState: LoopActivityState = 'off';

  private unsubscribers: (() => void)[] = [];
  private boundHost: PianoRollHost | null = null;
  /** The frame loop: runs on every frame while connected, to follow the audio clock. */
  private readonly frames = new CanvasFrameController(this, (dirty) => this.onFrame(dirty));
  private lastNowS = Number.NaN;
  /** The latest frame's view: left edge and span (audio seconds) and gutter (CSS px), for pointer hit tests. */
  private view = { startS: 0, spanS: 1, gutterPx: GUTTER_PX };
  /** Blob URLs of clips handed out, revoked after {@link CLIP_URL_LIFETIME_MS} or on disconnect. */
  private readonly clipUrls = new Map<string, ReturnType<typeof setTimeout>>();

  override connectedCallback(): void {
    super.connectedCallback();
    this.bind();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unbind();
    for (const [url, timer] of this.clipUrls) {
      clearTimeout(timer);
      URL.revokeObjectURL(url);
    }
    this.clipUrls.clear();
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
    this.activity = new LoopActivity();
    const changed = () => {
      this.answerCount = this.roll.answers.length;
      this.frames.requestDraw();
    };
    this.unsubscribers = [
      host.onPhrase((report) => { this.roll.addPhrase(report); this.activity.phraseEnded(); changed(); }),
      host.onPlanned((report) => { this.roll.addPlanned(report); this.activity.planned(report); changed(); }),
      host.onCancel(() => { this.roll.cancel(host.context.currentTime); this.activity.cancel(host.context.currentTime); changed(); }),
    ];
    if (host.onPerformerNotes) {
      this.unsubscribers.push(host.onPerformerNotes((report) => { this.roll.addPerformerNotes(report); this.activity.performerNotes(report); changed(); }));
    }
    if (host.onMusicRequest) {
      this.unsubscribers.push(host.onMusicRequest((report) => {
        if (report.type === 'music-requested') this.activity.requested(report);
        else this.activity.unanswered(report);
        this.frames.requestDraw();
      }));
    }
  }

  private unbind(): void {
    for (const remove of this.unsubscribers) remove();
    this.unsubscribers = [];
    this.boundHost = null;
  }

  /** Draws when something changed or the clock moved; asks for every frame, since the clock moves on its own. */
  private onFrame(dirty: boolean): boolean {
    const nowS = this.host?.context.currentTime ?? 0;
    this.updateActivity(nowS);
    if (!dirty && nowS === this.lastNowS) return true;
    this.lastNowS = nowS;
    this.draw(nowS);
    return true;
  }

  /** Dispatches the activity state when it changed. */
  private updateActivity(nowS: number): void {
    const state = this.activity.state(nowS, this.armed);
    if (state === this.activityState) return;
    this.activityState = state;
    this.dispatchEvent(new CustomEvent<LoopActivityDetail>(LOOP_ACTIVITY_EVENT, { detail: { state }, bubbles: true, composed: true }));
  }

  private get visibleSeconds(): number {
    return this.visibleBars * this.roll.barSeconds(this.tempoBpm);
  }

  private onWheel(event: WheelEvent): void {
    const canvas = this.renderRoot.querySelector('canvas');
    if (!canvas) return;
    event.preventDefault();
    const secondsPerPixel = this.visibleSeconds / Math.max(1, canvas.clientWidth - this.view.gutterPx);
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

  /** The answer drawn under client x `clientX`, or null. */
  private answerAtClientX(clientX: number): RollAnswer | null {
    const canvas = this.renderRoot.querySelector('canvas');
    if (!canvas) return null;
    const rect = canvas.getBoundingClientRect();
    const plotPx = rect.width - this.view.gutterPx;
    const x = clientX - rect.left - this.view.gutterPx;
    if (plotPx <= 0 || x < 0) return null;
    return this.roll.answerAt(this.view.startS + (x / plotPx) * this.view.spanS);
  }

  private onPointerMove(event: PointerEvent): void {
    const id = this.answerAtClientX(event.clientX)?.id ?? null;
    if (id === this.hoverAnswerId) return;
    this.hoverAnswerId = id;
    this.frames.requestDraw();
  }

  private onPointerLeave(): void {
    if (this.hoverAnswerId === null) return;
    this.hoverAnswerId = null;
    this.frames.requestDraw();
  }

  /** The answer the clip button offers: the hovered one, else the latest. */
  get clipAnswer(): RollAnswer | null {
    return (this.hoverAnswerId !== null ? this.roll.answer(this.hoverAnswerId) : null) ?? this.roll.answers.at(-1) ?? null;
  }

  /** A clip of `answer`: its file and a blob URL kept alive for a while. */
  private clipOf(answer: RollAnswer): { file: File; url: string } {
    const file = answerMidiFile(this.roll.answerPhrase(answer), answer.id, this.drums);
    const url = URL.createObjectURL(file);
    this.clipUrls.set(url, setTimeout(() => {
      this.clipUrls.delete(url);
      URL.revokeObjectURL(url);
    }, CLIP_URL_LIFETIME_MS));
    return { file, url };
  }

  /** A drag that starts on an answer carries it as a `.mid`; elsewhere on the roll nothing is dragged. */
  private onRollDragStart(event: DragEvent): void {
    const answer = this.answerAtClientX(event.clientX);
    if (!answer || !event.dataTransfer) {
      event.preventDefault();
      return;
    }
    this.startClipDrag(event.dataTransfer, answer);
  }

  private onClipDragStart(event: DragEvent): void {
    const answer = this.clipAnswer;
    if (!answer || !event.dataTransfer) {
      event.preventDefault();
      return;
    }
    this.startClipDrag(event.dataTransfer, answer);
  }

  private startClipDrag(transfer: DataTransfer, answer: RollAnswer): void {
    const { file, url } = this.clipOf(answer);
    putClipOnDrag(transfer, file, url);
    const chip = this.renderRoot.querySelector<HTMLElement>('.clip');
    if (chip) transfer.setDragImage(chip, 12, 10);
  }

  /** Saves the offered answer as a `.mid` download. */
  saveClip(): void {
    const answer = this.clipAnswer;
    if (!answer) return;
    const { file, url } = this.clipOf(answer);
    downloadClip(file, url, this.renderRoot);
  }

  private draw(nowS: number): void {
    const canvas = this.renderRoot.querySelector('canvas');
    if (!canvas) return;
    this.drawCount++;
    if (this.roll.prune(nowS, this.tempoBpm)) this.answerCount = this.roll.answers.length;
    const fitted = fitCanvas(canvas);
    if (!fitted) return;
    const pitches = this.roll.notes.map((n) => n.pitch);
    this.rows = this.drums ? drumRows(pitches) : keyRows(pitches);
    const spanS = this.visibleSeconds;
    this.view = { startS: nowS - this.scrollBackS - spanS / 2, spanS, gutterPx: this.drums ? DRUM_GUTTER_PX : GUTTER_PX };
    canvas.dataset.rows = this.rows.labels.map((l) => l.id).join(' ');
    this.drawnNotes = paintRoll(fitted, this.roll, this.rows, {
      ...this.view, nowS, fallbackBpm: this.tempoBpm, highlightAnswerId: this.hoverAnswerId,
    });
  }

  override render() {
    const answer = this.answerCount > 0 ? this.clipAnswer : null;
    const hovering = this.hoverAnswerId !== null;
    return html`<div class="frame ${hovering ? 'over-answer' : ''}" draggable=${hovering ? 'true' : 'false'}
        @wheel=${this.onWheel} @dblclick=${this.backToNow} @pointermove=${this.onPointerMove} @pointerleave=${this.onPointerLeave}
        @dragstart=${this.onRollDragStart}>
        <canvas role="img" aria-label=${this.drums ? 'Drum roll: your hits and Deep Improv\'s, by drum' : 'Piano roll: your phrases and Deep Improv\'s responses'}></canvas>
      </div>
      <div class="strip">
        <div class="legend">
          <span><span class="swatch" ${styleProps({ background: LOOP_COLOURS.performer })}></span>you</span>
          <span><span class="swatch" ${styleProps({ background: LOOP_COLOURS.response })}></span>Deep Improv</span>
        </div>
        <span class="spacer"></span>
        ${this.scrollBackS > 0 ? html`<button class="live" @click=${this.backToNow}>now ▶</button>` : nothing}
        ${answer ? html`<span class="hint">drag an answer into your DAW</span><button class="clip" draggable="true" data-answer=${answer.id}
            title="Drag this answer into your DAW as a MIDI clip, or click to save it as a .mid file"
            @click=${this.saveClip} @dragstart=${this.onClipDragStart}><span class="grip">⠿</span>answer ${answer.id} · .mid</button>` : nothing}
      </div>`;
  }
}
