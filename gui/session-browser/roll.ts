/**
 * The session roll: the session's notes as a piano roll with a time axis
 * (seconds from the session start) under it and a pitch axis (note names) to
 * its left. The performer's notes (MIDI in) and the plugin's (its generated
 * MIDI out) are drawn apart in their own colours, over the notes detected
 * from the audio; MIDI thru copies are not drawn, since each lies exactly on
 * the performer note it repeats.
 *
 * `rollModel` lays everything out (pure, testable); `drawRoll` paints a model.
 * Coordinates are CSS pixels.
 */
import type { NoteLane, SpanNote } from '../../plugin/gui-api.ts';
import { pitchTicks, timeTicks, type AxisTick } from './axes.ts';
import type { PlotArea } from './plot.ts';

/** Smallest pitch span shown, semitones, so a few notes do not fill the height. */
export const MIN_PITCH_SPAN = 12;
/** Width of the pitch axis left of the plot, CSS pixels (the feature lanes leave the same, so times line up). */
export const ROLL_GUTTER_PX = 34;
/** Height of the time axis under the plot, CSS pixels. */
export const ROLL_AXIS_PX = 16;

/** The lanes the roll draws, bottom layer first. */
export const ROLL_LANES = ['detected', 'performer', 'generated'] as const;
/** A lane the roll draws. */
export type RollLane = (typeof ROLL_LANES)[number];

/** One drawn note. */
export interface RollRect {
  lane: RollLane;
  pitch: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Everything the roll draws, laid out. */
export interface RollModel {
  /** The notes' rectangle inside the canvas (right of the pitch axis, above the time axis). */
  plot: { left: number; top: number; width: number; height: number };
  /** Lowest and highest pitch rows. */
  low: number;
  high: number;
  rowHeight: number;
  rects: RollRect[];
  /** Time ticks (positions from the plot's left edge). */
  timeTicks: AxisTick[];
  /** Pitch ticks (positions from the plot's top edge). */
  pitchTicks: AxisTick[];
  /** Notes drawn per lane, and thru copies left out. */
  counts: Record<RollLane, number> & { thruHidden: number };
}

/** Colours of the roll. */
export interface RollColours {
  background: string;
  grid: string;
  text: string;
  notes: Record<RollLane, string>;
}

/** The pitch range to draw: the notes' lowest to highest, widened to {@link MIN_PITCH_SPAN} around their middle. */
export function pitchSpan(notes: readonly SpanNote[]): [number, number] {
  if (notes.length === 0) return [60 - MIN_PITCH_SPAN / 2, 60 + MIN_PITCH_SPAN / 2];
  let low = 127;
  let high = 0;
  for (const n of notes) {
    if (n.pitch < low) low = n.pitch;
    if (n.pitch > high) high = n.pitch;
  }
  if (high - low < MIN_PITCH_SPAN) {
    const middle = (low + high) / 2;
    // Shifted back inside 0–127 at the edges, so the span stays whole.
    low = Math.min(127 - MIN_PITCH_SPAN, Math.max(0, Math.floor(middle - MIN_PITCH_SPAN / 2)));
    high = low + MIN_PITCH_SPAN;
  }
  return [low, high];
}

const isDrawn = (lane: NoteLane): lane is RollLane => lane !== 'thru';

/**
 * Lays out the roll.
 * @param sessionStartS audio time of the roll's left edge, seconds.
 * @param durationS seconds the roll spans (at least a second is used when 0).
 */
export function rollModel(notes: readonly SpanNote[], sessionStartS: number, durationS: number, area: PlotArea): RollModel {
  const drawn = notes.filter((n) => isDrawn(n.lane));
  const [low, high] = pitchSpan(drawn);
  const plot = { left: ROLL_GUTTER_PX, top: 0, width: Math.max(1, area.width - ROLL_GUTTER_PX), height: Math.max(1, area.height - ROLL_AXIS_PX) };
  const rowHeight = plot.height / (high - low + 1);
  const span = durationS > 0 ? durationS : 1;
  const counts = { detected: 0, performer: 0, generated: 0, thruHidden: notes.length - drawn.length };
  const rects: RollRect[] = [];
  for (const lane of ROLL_LANES) {
    for (const n of drawn) {
      if (n.lane !== lane || n.pitch < low || n.pitch > high) continue;
      counts[lane]++;
      rects.push({
        lane, pitch: n.pitch,
        x: plot.left + ((n.startS - sessionStartS) / span) * plot.width,
        y: plot.top + (high - n.pitch) * rowHeight,
        width: Math.max(1, ((n.endS - n.startS) / span) * plot.width),
        height: Math.max(1, rowHeight - 1),
      });
    }
  }
  return { plot, low, high, rowHeight, rects, timeTicks: timeTicks(durationS, plot.width), pitchTicks: pitchTicks(low, high, rowHeight), counts };
}

/** Paints a laid-out roll: background, octave lines, notes, then both axes. */
export function drawRoll(ctx: CanvasRenderingContext2D, model: RollModel, area: PlotArea, colours: RollColours): void {
  const { plot } = model;
  ctx.fillStyle = colours.background;
  ctx.fillRect(0, 0, area.width, area.height);
  ctx.strokeStyle = colours.grid;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let p = model.low; p <= model.high; p++) {
    if (p % 12 !== 0) continue;
    const y = Math.round(plot.top + (model.high - p + 1) * model.rowHeight) - 0.5;
    ctx.moveTo(plot.left, y);
    ctx.lineTo(plot.left + plot.width, y);
  }
  for (const tick of model.timeTicks) {
    const x = Math.round(plot.left + tick.position) + 0.5;
    ctx.moveTo(x, plot.top);
    ctx.lineTo(x, plot.top + plot.height + 3);
  }
  ctx.moveTo(plot.left - 0.5, plot.top);
  ctx.lineTo(plot.left - 0.5, plot.top + plot.height);
  ctx.lineTo(plot.left + plot.width, plot.top + plot.height);
  ctx.stroke();
  for (const r of model.rects) {
    ctx.fillStyle = colours.notes[r.lane];
    ctx.globalAlpha = r.lane === 'detected' ? 0.5 : 1;
    ctx.fillRect(r.x, r.y, r.width, r.height);
  }
  ctx.globalAlpha = 1;
  ctx.fillStyle = colours.text;
  ctx.font = '10px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'right';
  // Labels of the top and bottom rows are kept whole inside the plot's height.
  for (const tick of model.pitchTicks) ctx.fillText(tick.label, plot.left - 4, plot.top + Math.min(plot.height - 6, Math.max(6, tick.position)));
  ctx.textBaseline = 'top';
  model.timeTicks.forEach((tick, i) => {
    ctx.textAlign = i === 0 ? 'left' : i === model.timeTicks.length - 1 && tick.position > plot.width - 20 ? 'right' : 'center';
    ctx.fillText(tick.label, plot.left + tick.position, plot.top + plot.height + 4);
  });
  ctx.textAlign = 'start';
  ctx.textBaseline = 'alphabetic';
}
