/**
 * Paints the open session's two canvases: the feature lanes and the roll,
 * both with the markers, sized to the canvases' CSS boxes at the device
 * pixel ratio. The roll canvas also carries what it shows as data
 * attributes (notes per source, thru copies left out, axis ticks), for
 * assistive technology and tests. Colours are the loop panel's: the
 * performer blue, the plugin orange.
 */
import type { FeatureOverview, SpanNote } from '../../plugin/gui-api.ts';
import { LOOP_COLOURS } from '../loop/theme.ts';
import { drawFeatureLanes, drawMarkers, type PlotColours, type PlotMarker } from './plot.ts';
import { drawRoll, rollModel, ROLL_GUTTER_PX, type RollColours, type RollModel } from './roll.ts';

/** What is painted for a session. */
export interface PaintedSession {
  summary: { durationS: number };
  meta: { audioStartTimeS: number };
  overview: FeatureOverview;
  notes: readonly SpanNote[];
  markers: readonly PlotMarker[];
}

/** Feature lanes and markers. */
export const PLOT_COLOURS: PlotColours = {
  background: LOOP_COLOURS.well,
  grid: LOOP_COLOURS.line,
  text: LOOP_COLOURS.muted,
  marker: LOOP_COLOURS.warn,
  lanes: [LOOP_COLOURS.performer, LOOP_COLOURS.ok, LOOP_COLOURS.response, LOOP_COLOURS.accent, LOOP_COLOURS.armed],
};

/** The roll: the performer blue, the plugin orange. */
export const ROLL_COLOURS: RollColours = {
  background: LOOP_COLOURS.well,
  grid: LOOP_COLOURS.line,
  text: LOOP_COLOURS.muted,
  notes: { performer: LOOP_COLOURS.performer, generated: LOOP_COLOURS.response, detected: LOOP_COLOURS.faint },
};

type Painter = (ctx: CanvasRenderingContext2D, width: number, height: number, canvas: HTMLCanvasElement) => void;

function paint(root: ParentNode, selector: string, body: Painter): void {
  const canvas = root.querySelector<HTMLCanvasElement>(selector);
  const ctx = canvas?.getContext('2d');
  if (!canvas || !ctx) return;
  const ratio = globalThis.devicePixelRatio || 1;
  const width = canvas.clientWidth || 600;
  const height = canvas.clientHeight || 120;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  body(ctx, width, height, canvas);
}

/**
 * Paints `canvas.features` (the `plotted` feature indices) and `canvas.roll` under `root`.
 * @returns the roll as drawn, or undefined when there is no roll canvas.
 */
export function paintSession(root: ParentNode, session: PaintedSession, plotted: readonly number[]): RollModel | undefined {
  const durationS = session.summary.durationS;
  paint(root, 'canvas.features', (ctx, width, height) => {
    drawFeatureLanes(ctx, session.overview, plotted, { width, height, left: ROLL_GUTTER_PX }, PLOT_COLOURS);
    drawMarkers(ctx, session.markers, durationS, { width, height, left: ROLL_GUTTER_PX }, PLOT_COLOURS);
  });
  let roll: RollModel | undefined;
  paint(root, 'canvas.roll', (ctx, width, height, canvas) => {
    const model = rollModel(session.notes, session.meta.audioStartTimeS, durationS, { width, height });
    drawRoll(ctx, model, { width, height }, ROLL_COLOURS);
    drawMarkers(ctx, session.markers, durationS, { width, height: model.plot.height, left: model.plot.left }, PLOT_COLOURS);
    canvas.dataset.performerNotes = String(model.counts.performer);
    canvas.dataset.generatedNotes = String(model.counts.generated);
    canvas.dataset.detectedNotes = String(model.counts.detected);
    canvas.dataset.thruHidden = String(model.counts.thruHidden);
    canvas.dataset.timeTicks = model.timeTicks.map((t) => t.label).join(',');
    canvas.dataset.pitchTicks = model.pitchTicks.map((t) => t.label).join(',');
    roll = model;
  });
  return roll;
}
