/**
 * Paints one frame of the roll on a canvas: the rows (piano keys or drum
 * lanes, see roll-rows.ts), the beat grid, the notes in two colours (the
 * performer blue, Deep Improv orange; a held note grows to the playhead),
 * the hovered answer outlined, the gutter labels and the playhead. Returns
 * where each note landed, so tests can check the layout without reading
 * pixels.
 */
import type { RollNote, RollNotes } from './roll-notes.ts';
import type { RollRows } from './roll-rows.ts';
import { LOOP_COLOURS } from './theme.ts';
import type { FittedCanvas } from '../shared/canvas.ts';

/** What one painted frame shows. */
export interface RollView {
  /** Audio-clock seconds at the plot's left edge and the width in seconds. */
  startS: number;
  spanS: number;
  /** Audio-clock now (the playhead). */
  nowS: number;
  /** Gutter width, CSS pixels. */
  gutterPx: number;
  /** Tempo to draw the grid at before any report, BPM. */
  fallbackBpm: number;
  /** The answer to outline, or null. */
  highlightAnswerId: number | null;
}

/** Where a note was drawn. */
export interface DrawnNote {
  pitch: number;
  source: RollNote['source'];
  /** Row (0 at the top) and its label's id (a drum lane id, or the row's octave label for keys). */
  row: number;
  lane: string;
  /** Box in CSS pixels, relative to the canvas. */
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Paints the frame; returns the notes drawn. */
export function paintRoll(fitted: FittedCanvas, roll: RollNotes, rows: RollRows, view: RollView): DrawnNote[] {
  const { g, width, height, ratio } = fitted;
  const gutter = view.gutterPx * ratio;
  const plotWidth = width - gutter;
  const { startS, spanS, nowS } = view;
  const xOf = (timeS: number) => gutter + ((timeS - startS) / spanS) * plotWidth;
  const rowHeight = height / rows.count;
  const yOfRow = (row: number) => row * rowHeight;

  g.fillStyle = LOOP_COLOURS.well;
  g.fillRect(0, 0, width, height);
  g.fillStyle = 'rgba(0, 0, 0, 0.28)';
  for (let r = 0; r < rows.count; r++) if (rows.shaded(r)) g.fillRect(gutter, yOfRow(r), plotWidth, rowHeight);
  const nowX = xOf(nowS);
  if (nowX < width) {
    // The scheduled future, slightly lighter.
    g.fillStyle = 'rgba(255, 255, 255, 0.025)';
    g.fillRect(Math.max(gutter, nowX), 0, width - Math.max(gutter, nowX), height);
  }
  paintGrid(g, roll, view, xOf, height, ratio);
  g.fillStyle = LOOP_COLOURS.line;
  for (let r = 0; r < rows.count; r++) if (rows.lineBelow(r)) g.fillRect(gutter, yOfRow(r) + rowHeight - ratio, plotWidth, ratio);

  const endS = startS + spanS;
  const drums = rows.kind === 'drums';
  const noteHeight = Math.max(ratio, rowHeight - Math.max(1, rowHeight * (drums ? 0.3 : 0.15)));
  const inset = (rowHeight - noteHeight) / 2;
  const laneOfRow = new Map(rows.labels.map((l) => [l.row, l.id]));
  const drawn: DrawnNote[] = [];
  let outline: [number, number, number, number] | null = null;
  for (const note of roll.notes) {
    const noteEndS = Math.min(note.endS, Math.max(note.startS, nowS));
    if (noteEndS < startS || note.startS > endS) continue;
    const row = rows.rowOf(note.pitch);
    if (row < 0) continue;
    const x0 = Math.max(gutter, xOf(note.startS));
    const x1 = Math.max(x0 + (drums ? 4 : 2) * ratio, xOf(note.endS === Number.POSITIVE_INFINITY ? noteEndS : note.endS));
    const y = yOfRow(row) + (drums ? inset : 0);
    g.fillStyle = note.source === 'performer' ? LOOP_COLOURS.performer : LOOP_COLOURS.response;
    // Drum hits show their velocity as opacity.
    g.globalAlpha = drums ? 0.45 + 0.55 * Math.min(1, note.velocity / 127) : 1;
    g.fillRect(x0, y, x1 - x0, noteHeight);
    g.globalAlpha = 1;
    if (note.answerId !== undefined && note.answerId === view.highlightAnswerId) {
      outline = outline ? [Math.min(outline[0], x0), Math.min(outline[1], y), Math.max(outline[2], x1), Math.max(outline[3], y + noteHeight)] : [x0, y, x1, y + noteHeight];
    }
    drawn.push({
      pitch: note.pitch, source: note.source, row, lane: laneOfRow.get(row) ?? '',
      x: x0 / ratio, y: y / ratio, width: (x1 - x0) / ratio, height: noteHeight / ratio,
    });
  }
  if (outline) {
    const pad = 3 * ratio;
    g.strokeStyle = LOOP_COLOURS.response;
    g.lineWidth = ratio;
    g.setLineDash([4 * ratio, 3 * ratio]);
    g.strokeRect(outline[0] - pad, outline[1] - pad, outline[2] - outline[0] + 2 * pad, outline[3] - outline[1] + 2 * pad);
    g.setLineDash([]);
  }

  // Gutter over anything that ran into it, its labels, then the playhead.
  g.fillStyle = 'rgba(19, 21, 26, 0.92)';
  g.fillRect(0, 0, gutter, height);
  g.font = `${10 * ratio}px system-ui, sans-serif`;
  g.textBaseline = 'middle';
  g.fillStyle = drums ? LOOP_COLOURS.muted : LOOP_COLOURS.faint;
  for (const label of rows.labels) g.fillText(label.text, 4 * ratio, yOfRow(label.row) + rowHeight / 2, gutter - 6 * ratio);
  if (nowX >= gutter && nowX <= width) {
    g.fillStyle = LOOP_COLOURS.text;
    g.fillRect(Math.round(nowX), 0, Math.max(1, Math.round(ratio)), height);
  }
  return drawn;
}

function paintGrid(g: CanvasRenderingContext2D, roll: RollNotes, view: RollView, xOf: (s: number) => number, height: number, ratio: number): void {
  const anchor = roll.anchor ?? { beat: 0, timeS: 0, tempoBpm: roll.tempoBpm ?? view.fallbackBpm };
  const tempo = roll.tempoBpm ?? anchor.tempoBpm;
  const secondsPerBeat = 60 / tempo;
  const beatsPerBar = roll.beatsPerBar;
  const firstBeat = Math.ceil(anchor.beat + (view.startS - anchor.timeS) / secondsPerBeat);
  const lastBeat = Math.floor(anchor.beat + (view.startS + view.spanS - anchor.timeS) / secondsPerBeat);
  // Guard against a degenerate tempo drawing thousands of lines.
  if (lastBeat - firstBeat > 512) return;
  for (let beat = firstBeat; beat <= lastBeat; beat++) {
    const x = Math.round(xOf(anchor.timeS + (beat - anchor.beat) * secondsPerBeat));
    const isBar = ((beat % beatsPerBar) + beatsPerBar) % beatsPerBar === 0;
    g.fillStyle = isBar ? '#3a4052' : LOOP_COLOURS.line;
    g.fillRect(x, 0, Math.max(1, Math.round(ratio)), height);
  }
}
