/**
 * The path travelled on the latent pad: recent positions with the time they
 * were reached (performance.now() milliseconds), fading out with age.
 */

/** One point of the trail. */
export interface TrailPoint {
  /** Pad position, 0–1 (x left to right, y bottom to top). */
  x: number;
  y: number;
  /** performance.now() milliseconds. */
  atMs: number;
}

/** Options of {@link PadTrail}. */
export interface PadTrailOptions {
  /** Milliseconds a point takes to fade out. Default 4000. */
  fadeMs: number;
  /** Most points kept. Default 512. */
  maxPoints: number;
}

const DEFAULTS: PadTrailOptions = { fadeMs: 4000, maxPoints: 512 };

export class PadTrail {
  points: TrailPoint[] = [];
  readonly options: PadTrailOptions;

  constructor(options: Partial<PadTrailOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Adds a point, unless it is where the trail already is. */
  add(x: number, y: number, atMs: number): void {
    const last = this.points[this.points.length - 1];
    if (last && last.x === x && last.y === y) {
      last.atMs = atMs;
      return;
    }
    this.points.push({ x, y, atMs });
    if (this.points.length > this.options.maxPoints) this.points.splice(0, this.points.length - this.options.maxPoints);
  }

  /** Opacity of a point at `nowMs`: 1 when new, 0 after `fadeMs`. */
  opacity(point: TrailPoint, nowMs: number): number {
    return Math.max(0, 1 - (nowMs - point.atMs) / this.options.fadeMs);
  }

  /** Drops faded points; returns true while some are still visible. */
  prune(nowMs: number): boolean {
    const firstVisible = this.points.findIndex((p) => this.opacity(p, nowMs) > 0);
    if (firstVisible < 0) this.points = [];
    else if (firstVisible > 0) this.points.splice(0, firstVisible);
    return this.points.length > 0;
  }
}
