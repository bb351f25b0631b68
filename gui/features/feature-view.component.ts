/**
 * `<di-feature-view>`: what the plugin hears, at a glance, from the ~30 Hz
 * feature batches (protocol/features.ts) handed to {@link DiFeatureView.push}:
 *
 * - left, a level meter (frame RMS, −60…0 dBFS, with a falling peak line);
 * - top, a scrolling MFCC image (mfcc_1…12, blue below 0, orange above, each
 *   coefficient scaled to its recent range);
 * - below it, the f0 trace (voiced frames, on a C2–C7 pitch axis) over the
 *   notes and drum hits detected from the audio, with onset-strength ticks;
 * - right, chroma bars (C…B), the key, and the tempo with a pulse on each beat.
 *
 * One canvas, drawn in at most one requestAnimationFrame callback per
 * animation frame, and only after new data (or while a tempo is known, to
 * animate the beat pulse). No DOM changes after the first render, no DSP: the
 * view only draws what the engine computed. The frame loop and resize
 * observer ({@link CanvasFrameController}) are released on disconnect.
 */
import { LitElement, html } from 'lit';
import type { FeatureBatch } from '../../protocol/features.ts';
import { LOOP_COLOURS, loopTheme } from '../loop/theme.ts';
import { featureViewStyles } from './feature-view.styles.ts';
import { FeatureViewModel, METER_FLOOR_DB, MFCC_SHOWN } from './feature-view-model.ts';
import { fitCanvas } from '../shared/canvas.ts';
import { CanvasFrameController } from '../shared/canvas-frame.controller.ts';

/** Chroma bar labels: the naturals only (a sharp's bar is too narrow for two letters). */
const BAR_LABELS = ['C', '', 'D', '', 'E', 'F', '', 'G', '', 'A', '', 'B'];
/** Pitch axis of the f0 lane, MIDI (C2 … C7). */
const LOW_MIDI = 36;
const HIGH_MIDI = 96;
/** Layout, CSS pixels. */
const METER_W = 14;
const SIDE_W = 170;
const PAD = 8;

function rgb(hex: string): [number, number, number] {
  return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];
}

export class DiFeatureView extends LitElement {
  static override styles = [loopTheme, featureViewStyles];

  /** What is drawn (public for tests and for hosts that want the numbers). */
  readonly model = new FeatureViewModel();
  /** Frames drawn so far (for tests: it grows by at most one per animation frame). */
  drawCount = 0;

  /** The frame loop: draws after new data, and every frame while a tempo animates the beat pulse. */
  private readonly frames = new CanvasFrameController(this, (dirty) => this.onFrame(dirty));
  /** The MFCC image: one column per ring slot, 12 rows. */
  private mfccCanvas: HTMLCanvasElement | null = null;
  private mfccImage: ImageData | null = null;
  private imageWritten = 0;

  /**
   * Takes a feature batch (from the node's feature stream). Cheap: copies the
   * numbers into the model and asks for one draw on the next animation frame.
   */
  push(batch: FeatureBatch): void {
    this.model.push(batch, performance.now());
    this.frames.requestDraw();
  }

  protected override render() {
    return html`<div class="frame"><canvas part="canvas" aria-label="audio features: level, MFCC, pitch, chroma, key and tempo" role="img"></canvas></div>`;
  }

  private onFrame(dirty: boolean): boolean {
    if (!dirty && !(this.model.tempoBpm > 0)) return false;
    this.draw();
    // Keep the beat pulse moving between batches while a tempo is known.
    return this.model.tempoBpm > 0;
  }

  private draw(): void {
    const canvas = this.renderRoot.querySelector('canvas');
    if (!canvas) return;
    const fitted = fitCanvas(canvas);
    if (!fitted) return;
    const { g, width, height, ratio } = fitted;
    this.drawCount++;
    g.fillStyle = LOOP_COLOURS.well;
    g.fillRect(0, 0, width, height);
    g.font = `${10 * ratio}px system-ui, sans-serif`;
    g.textBaseline = 'alphabetic';

    const pad = PAD * ratio;
    const meterW = METER_W * ratio;
    const sideW = SIDE_W * ratio;
    const x0 = pad + meterW + pad;
    const x1 = width - sideW - pad;
    const mainW = Math.max(1, x1 - x0);
    const top = pad;
    const bottom = height - pad;
    const mfccBottom = top + (bottom - top) * 0.4;
    const laneTop = mfccBottom + 6 * ratio;

    this.drawMeter(g, pad, top, meterW, bottom - top, ratio);
    this.drawMfcc(g, x0, top, mainW, mfccBottom - top, ratio);
    this.drawPitchLane(g, x0, laneTop, mainW, bottom - laneTop, ratio);
    this.drawSide(g, x1 + pad, top, sideW - pad, bottom - top, ratio);
  }

  private drawMeter(g: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, ratio: number): void {
    const m = this.model;
    const yOf = (db: number) => y + h * (Math.min(0, Math.max(METER_FLOOR_DB, db)) / METER_FLOOR_DB);
    g.fillStyle = LOOP_COLOURS.line;
    g.fillRect(x, y, w, h);
    const level = m.latestLevelDb;
    if (level > METER_FLOOR_DB) {
      // Green to −12 dB, amber to −3 dB, red above.
      for (const [from, to, colour] of [[METER_FLOOR_DB, -12, LOOP_COLOURS.ok], [-12, -3, LOOP_COLOURS.warn], [-3, 0, LOOP_COLOURS.armed]] as const) {
        if (level <= from) break;
        const yTop = yOf(Math.min(level, to));
        g.fillStyle = colour;
        g.fillRect(x, yTop, w, yOf(from) - yTop);
      }
    }
    if (m.peakDb > METER_FLOOR_DB) {
      g.fillStyle = LOOP_COLOURS.text;
      g.fillRect(x, yOf(m.peakDb) - ratio, w, 2 * ratio);
    }
  }

  private drawMfcc(g: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, ratio: number): void {
    const m = this.model;
    if (!this.mfccCanvas) {
      this.mfccCanvas = document.createElement('canvas');
      this.mfccCanvas.width = m.capacity;
      this.mfccCanvas.height = MFCC_SHOWN;
      this.mfccImage = new ImageData(m.capacity, MFCC_SHOWN);
      this.imageWritten = 0;
    }
    const image = this.mfccImage!;
    const [wr, wg, wb] = rgb(LOOP_COLOURS.well);
    const [pr, pg, pb] = rgb(LOOP_COLOURS.response);
    const [nr, ng, nb] = rgb(LOOP_COLOURS.performer);
    // Paint only the columns of frames that arrived since the last draw.
    const from = Math.max(this.imageWritten, m.written - m.capacity);
    for (let n = from; n < m.written; n++) {
      const slot = n % m.capacity;
      for (let i = 0; i < MFCC_SHOWN; i++) {
        const v = Math.max(-1, Math.min(1, m.mfcc[slot * MFCC_SHOWN + i] / m.mfccScale[i]));
        const a = Math.sqrt(Math.abs(v));
        const [cr, cg, cb] = v >= 0 ? [pr, pg, pb] : [nr, ng, nb];
        // Row 0 at the top is mfcc_12, so low coefficients sit at the bottom like a spectrogram.
        const o = ((MFCC_SHOWN - 1 - i) * m.capacity + slot) * 4;
        image.data[o] = wr + (cr - wr) * a;
        image.data[o + 1] = wg + (cg - wg) * a;
        image.data[o + 2] = wb + (cb - wb) * a;
        image.data[o + 3] = 255;
      }
    }
    this.imageWritten = m.written;
    const ctx = this.mfccCanvas!.getContext('2d');
    if (!ctx) return;
    ctx.putImageData(image, 0, 0);
    // The ring's oldest column is at slot written % capacity once full: draw the two runs in time order.
    g.imageSmoothingEnabled = false;
    const size = m.size;
    const colW = w / m.capacity;
    const start = m.written % m.capacity;
    const left = x + w - size * colW;
    if (size === m.capacity) {
      const firstRun = m.capacity - start;
      g.drawImage(this.mfccCanvas!, start, 0, firstRun, MFCC_SHOWN, left, y, firstRun * colW, h);
      if (start > 0) g.drawImage(this.mfccCanvas!, 0, 0, start, MFCC_SHOWN, left + firstRun * colW, y, start * colW, h);
    } else if (size > 0) {
      g.drawImage(this.mfccCanvas!, 0, 0, size, MFCC_SHOWN, left, y, size * colW, h);
    }
    g.fillStyle = 'rgba(19, 21, 26, 0.75)';
    g.fillRect(x, y, 62 * ratio, 14 * ratio);
    g.fillStyle = LOOP_COLOURS.faint;
    g.fillText('MFCC 1–12', x + 3 * ratio, y + 11 * ratio);
  }

  private drawPitchLane(g: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, ratio: number): void {
    const m = this.model;
    const yOf = (midi: number) => y + h - ((midi - LOW_MIDI) / (HIGH_MIDI - LOW_MIDI)) * h;
    // Octave lines at each C.
    for (let c = LOW_MIDI; c <= HIGH_MIDI; c += 12) {
      g.fillStyle = LOOP_COLOURS.line;
      g.fillRect(x, yOf(c), w, ratio);
      g.fillStyle = LOOP_COLOURS.faint;
      g.fillText(`C${c / 12 - 1}`, x + 2 * ratio, yOf(c) - 2 * ratio);
    }
    const size = m.size;
    if (size === 0) return;
    const hopS = size > 1 ? (m.timeS[m.slotBack(0)] - m.timeS[m.slotBack(size - 1)]) / (size - 1) : 0.01;
    const spanS = m.capacity * hopS;
    const nowS = m.latestTimeS;
    const xOf = (t: number) => x + w - ((nowS - t) / spanS) * w;
    // Detected notes (and drum hits) as bands behind the f0 trace, opacity from velocity, with a start tick.
    const bandH = Math.max(5 * ratio, h / (HIGH_MIDI - LOW_MIDI));
    for (const note of m.notes) {
      if (note.endS < nowS - spanS) continue;
      const nx0 = Math.max(x, xOf(note.startS));
      const nx1 = Math.max(nx0 + 2 * ratio, Math.min(x + w, xOf(note.endS)));
      const ny = yOf(note.pitch) - bandH / 2;
      g.fillStyle = LOOP_COLOURS.accent;
      g.globalAlpha = 0.25 + 0.45 * (note.velocity / 127);
      g.fillRect(nx0, ny, nx1 - nx0, bandH);
      g.globalAlpha = 1;
      if (xOf(note.startS) >= x) g.fillRect(nx0, ny - 2 * ratio, 2 * ratio, bandH + 4 * ratio);
    }
    // Onset-strength ticks along the bottom (0–30 dB).
    g.fillStyle = LOOP_COLOURS.faint;
    const colW = w / m.capacity;
    for (let i = 0; i < size; i++) {
      const s = m.slotBack(i);
      const o = Math.min(1, m.onset[s] / 30);
      if (o > 0.05) g.fillRect(x + w - (i + 1) * colW, y + h - o * 14 * ratio, Math.max(ratio, colW), o * 14 * ratio);
    }
    // The f0 trace: one dot per voiced frame.
    g.fillStyle = LOOP_COLOURS.performer;
    const dot = 2 * ratio;
    for (let i = 0; i < size; i++) {
      const s = m.slotBack(i);
      const f0 = m.f0Hz[s];
      if (!(f0 > 0)) continue;
      const midi = 69 + 12 * Math.log2(f0 / 440);
      if (midi < LOW_MIDI || midi > HIGH_MIDI) continue;
      g.fillRect(x + w - (i + 1) * colW - dot / 2, yOf(midi) - dot / 2, dot, dot);
    }
  }

  private drawSide(g: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, ratio: number): void {
    const m = this.model;
    // Key and tempo, large enough to read from a distance.
    g.fillStyle = LOOP_COLOURS.text;
    g.font = `600 ${15 * ratio}px system-ui, sans-serif`;
    g.fillText(m.keyLabel, x, y + 14 * ratio);
    g.font = `${13 * ratio}px system-ui, sans-serif`;
    g.fillText(m.tempoLabel, x + 22 * ratio, y + 36 * ratio);
    // The beat pulse: bright on the beat, fading over the beat.
    const phase = m.phaseAt(performance.now());
    const pulse = m.tempoBpm > 0 ? Math.max(0, 1 - phase * 2.5) : 0;
    g.beginPath();
    g.arc(x + 8 * ratio, y + 31 * ratio, (5 + 3 * pulse) * ratio, 0, 2 * Math.PI);
    g.fillStyle = m.tempoBpm > 0 ? LOOP_COLOURS.response : LOOP_COLOURS.line;
    g.globalAlpha = 0.3 + 0.7 * pulse;
    g.fill();
    g.globalAlpha = 1;
    // Chroma bars.
    g.font = `${10 * ratio}px system-ui, sans-serif`;
    const barsTop = y + 50 * ratio;
    const labelH = 12 * ratio;
    const barsH = Math.max(1, h - (barsTop - y) - labelH);
    const slotW = w / 12;
    for (let c = 0; c < 12; c++) {
      const v = m.chroma[c];
      const bx = x + c * slotW;
      g.fillStyle = LOOP_COLOURS.line;
      g.fillRect(bx + ratio, barsTop, slotW - 2 * ratio, barsH);
      g.fillStyle = v >= 0.999 ? LOOP_COLOURS.response : LOOP_COLOURS.performer;
      g.fillRect(bx + ratio, barsTop + barsH * (1 - v), slotW - 2 * ratio, barsH * v);
      g.fillStyle = LOOP_COLOURS.faint;
      g.fillText(BAR_LABELS[c], bx + 2 * ratio, barsTop + barsH + labelH - 2 * ratio);
    }
  }
}
