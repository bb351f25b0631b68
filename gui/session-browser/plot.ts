/**
 * Canvas drawing for the session browser: feature lanes (per-bucket min–max
 * band and mean line, each lane scaled to its feature's range over the
 * session, labelled with the feature's readable name) and marker lines (the
 * notes are roll.ts's). Coordinates are CSS pixels; the caller scales the
 * context for the device pixel ratio. Time runs from the session start (0) to
 * its duration, across the area right of `left`.
 */
import type { FeatureOverview } from '../../plugin/gui-api.ts';
import { featureLabel } from '../../protocol/feature-labels.ts';

/** A drawing area in CSS pixels. */
export interface PlotArea {
  width: number;
  height: number;
  /** Where time 0 is drawn, CSS pixels from the left edge (default 0: the whole width). */
  left?: number;
}

/** Colours the plots use. */
export interface PlotColours {
  background: string;
  grid: string;
  text: string;
  marker: string;
  /** One per feature lane, reused cyclically. */
  lanes: readonly string[];
}

/** A marker on the session's time axis. */
export interface PlotMarker {
  /** Seconds from the session start. */
  timeS: number;
  label: string;
  color?: string;
}

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

/** Draws the chosen features as stacked lanes. */
export function drawFeatureLanes(ctx: CanvasRenderingContext2D, overview: FeatureOverview, features: readonly number[], area: PlotArea, colours: PlotColours): void {
  ctx.fillStyle = colours.background;
  ctx.fillRect(0, 0, area.width, area.height);
  if (features.length === 0) return;
  const f = overview.names.length;
  const left = area.left ?? 0;
  const width = Math.max(1, area.width - left);
  const laneHeight = area.height / features.length;
  const x = (b: number): number => left + ((b + 0.5) / overview.buckets) * width;
  features.forEach((j, lane) => {
    const top = lane * laneHeight;
    const [min, max] = featureRange(overview, j);
    const span = max - min || 1;
    const y = (v: number): number => top + laneHeight - 2 - ((v - min) / span) * (laneHeight - 4);
    const colour = colours.lanes[lane % colours.lanes.length];
    ctx.strokeStyle = colours.grid;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(left, top + laneHeight - 0.5);
    ctx.lineTo(area.width, top + laneHeight - 0.5);
    ctx.stroke();
    // The min–max band, bucket by bucket.
    ctx.globalAlpha = 0.3;
    ctx.fillStyle = colour;
    for (let b = 0; b < overview.buckets; b++) {
      const lo = overview.min[b * f + j];
      const hi = overview.max[b * f + j];
      if (!Number.isFinite(lo) || !Number.isFinite(hi)) continue;
      const x0 = left + (b / overview.buckets) * width;
      const w = Math.max(1, width / overview.buckets);
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
    ctx.fillText(overview.names[j] !== undefined ? featureLabel(overview.names[j]) : `feature ${j}`, left + 4, top + 12);
  });
}

/** Draws a vertical line for each marker. */
export function drawMarkers(ctx: CanvasRenderingContext2D, markers: readonly PlotMarker[], durationS: number, area: PlotArea, colours: PlotColours): void {
  const span = durationS > 0 ? durationS : 1;
  const left = area.left ?? 0;
  const width = Math.max(1, area.width - left);
  ctx.lineWidth = 1;
  for (const m of markers) {
    const x = Math.round(left + (m.timeS / span) * width) + 0.5;
    ctx.strokeStyle = m.color ?? colours.marker;
    ctx.beginPath();
    ctx.moveTo(x, 0);
    ctx.lineTo(x, area.height);
    ctx.stroke();
  }
}
