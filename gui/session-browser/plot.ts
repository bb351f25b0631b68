/**
 * Canvas drawing for the session browser: feature lanes (per-bucket min–max
 * band and mean line, each lane scaled to its feature's range over the
 * session), a piano roll of the input, output and detected notes, and marker
 * lines. Coordinates are CSS pixels; the caller scales the context for the
 * device pixel ratio. Time runs from the session start (0) to its duration.
 */
import type { FeatureOverview, NoteLane, SpanNote } from '../../plugin/gui-api.ts';

/** A drawing area in CSS pixels. */
export interface PlotArea {
  width: number;
  height: number;
}

/** Colours the plots use. */
export interface PlotColours {
  background: string;
  grid: string;
  text: string;
  marker: string;
  /** One per feature lane, reused cyclically. */
  lanes: readonly string[];
  notes: Record<NoteLane, string>;
}

/** A marker on the session's time axis. */
export interface PlotMarker {
  /** Seconds from the session start. */
  timeS: number;
  label: string;
  color?: string;
}

/** Smallest pitch span shown, semitones, so a few notes do not fill the height. */
export const MIN_PITCH_SPAN = 12;

/** The finite min and max of feature `j` over all buckets, or [0, 1] when it has none. */
export function featureRange(overview: FeatureOverview, j: number): [number, number] {
  const f = overview.names.length;
  let min = Infinity;
  let max = -Infinity;
  for (let b = 0; b < overview.buckets; b++) {
    const lo = overview.min[b * f + j];
    const hi = overview.max[b * f + j];
    if (Number.isFinite(lo) && lo < min) min = lo;
    if (Number.isFinite(hi) && hi > max) max = hi;
  }
  return min === Infinity ? [0, 1] : [min, max];
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

/** Draws the chosen features as stacked lanes. */
export function drawFeatureLanes(ctx: CanvasRenderingContext2D, overview: FeatureOverview, features: readonly number[], area: PlotArea, colours: PlotColours): void {
  ctx.fillStyle = colours.background;
  ctx.fillRect(0, 0, area.width, area.height);
  if (features.length === 0) return;
  const f = overview.names.length;
  const laneHeight = area.height / features.length;
  const x = (b: number): number => ((b + 0.5) / overview.buckets) * area.width;
  features.forEach((j, lane) => {
    const top = lane * laneHeight;
    const [min, max] = featureRange(overview, j);
    const span = max - min || 1;
    const y = (v: number): number => top + laneHeight - 2 - ((v - min) / span) * (laneHeight - 4);
    const colour = colours.lanes[lane % colours.lanes.length];
    ctx.strokeStyle = colours.grid;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(0, top + laneHeight - 0.5);
    ctx.lineTo(area.width, top + laneHeight - 0.5);
    ctx.stroke();
    // The min–max band, bucket by bucket.
    ctx.globalAlpha = 0.3;
    ctx.fillStyle = colour;
    for (let b = 0; b < overview.buckets; b++) {
      const lo = overview.min[b * f + j];
      const hi = overview.max[b * f + j];
      if (!Number.isFinite(lo) || !Number.isFinite(hi)) continue;
      const x0 = (b / overview.buckets) * area.width;
      const w = Math.max(1, area.width / overview.buckets);
      ctx.fillRect(x0, y(hi), w, Math.max(1, y(lo) - y(hi)));
    }
    ctx.globalAlpha = 1;
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let drawing = false;
    for (let b = 0; b < overview.buckets; b++) {
      const v = overview.mean[b * f + j];
      if (!Number.isFinite(v)) {
        drawing = false;
        continue;
      }
      if (drawing) ctx.lineTo(x(b), y(v));
      else ctx.moveTo(x(b), y(v));
      drawing = true;
    }
    ctx.stroke();
    ctx.fillStyle = colours.text;
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillText(overview.names[j] ?? `feature ${j}`, 4, top + 12);
  });
}

/** Draws the notes: detected first (underneath), then input, then output. */
export function drawPianoRoll(ctx: CanvasRenderingContext2D, notes: readonly SpanNote[], sessionStartS: number, durationS: number, area: PlotArea, colours: PlotColours): void {
  ctx.fillStyle = colours.background;
  ctx.fillRect(0, 0, area.width, area.height);
  const [low, high] = pitchSpan(notes);
  const rowHeight = area.height / (high - low + 1);
  const span = durationS > 0 ? durationS : 1;
  ctx.strokeStyle = colours.grid;
  ctx.lineWidth = 1;
  for (let p = low; p <= high; p++) {
    if (p % 12 !== 0) continue;
    const y = area.height - (p - low + 1) * rowHeight;
    ctx.beginPath();
    ctx.moveTo(0, y + rowHeight - 0.5);
    ctx.lineTo(area.width, y + rowHeight - 0.5);
    ctx.stroke();
  }
  for (const lane of ['detected', 'in', 'out'] as const) {
    ctx.fillStyle = colours.notes[lane];
    ctx.globalAlpha = lane === 'detected' ? 0.5 : 1;
    for (const n of notes) {
      if (n.lane !== lane || n.pitch < low || n.pitch > high) continue;
      const x = ((n.startS - sessionStartS) / span) * area.width;
      const w = Math.max(1, ((n.endS - n.startS) / span) * area.width);
      const y = area.height - (n.pitch - low + 1) * rowHeight;
      ctx.fillRect(x, y, w, Math.max(1, rowHeight - 1));
    }
  }
  ctx.globalAlpha = 1;
}

/** Draws a vertical line for each marker. */
export function drawMarkers(ctx: CanvasRenderingContext2D, markers: readonly PlotMarker[], durationS: number, area: PlotArea, colours: PlotColours): void {
  const span = durationS > 0 ? durationS : 1;
  ctx.lineWidth = 1;
  for (const m of markers) {
    const x = Math.round((m.timeS / span) * area.width) + 0.5;
    ctx.strokeStyle = m.color ?? colours.marker;
    ctx.beginPath();
    ctx.moveTo(x, 0);
    ctx.lineTo(x, area.height);
    ctx.stroke();
  }
}
