/**
 * The clock map: a running estimate of how the DAW's audio clock (the native
 * plugin's frames since activate, in seconds) maps onto the page's audio
 * clock (`AudioContext.currentTime`, seconds), measured from the TRANSPORT
 * stream: each message carries its block's DAW time and arrives at some page
 * time. Arrival = send + delay, and the delay is never negative, so the map
 * is the *lower envelope* of (page − DAW) over time: a line whose slope is the
 * drift between the two clocks and whose height is the offset (which includes
 * the smallest delivery delay). Jitter is how far arrivals sit above it.
 *
 * The line is fitted (least squares) through the minima of consecutive
 * buckets of samples, then lowered so the recent samples all lie on or above
 * it. A residual jump larger than `resetThresholdS` (a re-activated plugin,
 * a page that was suspended) starts the map afresh. Pure, allocation-free
 * after construction.
 */

/** Seconds on some clock (the name of the variable says which). */
export type Seconds = number;

/** Options of {@link ClockMap}; every field has a default. */
export interface ClockMapOptions {
  /** Samples kept (default 600: a minute of TRANSPORT at 10 Hz). */
  capacity: number;
  /** Samples per bucket whose minimum feeds the drift fit (default 20). */
  bucketSize: number;
  /** Samples over which jitter is measured (default 50). */
  jitterWindow: number;
  /** A residual this far from the envelope resets the map, seconds (default 0.5). */
  resetThresholdS: Seconds;
  /** Largest drift believed, ppm (default 1000: 0.1 %); a steeper fit is clamped. */
  maxDriftPpm: number;
  /** DAW time the drift fit must span before a slope is used, seconds (default 20). */
  minFitSpanS: Seconds;
}

const DEFAULTS: ClockMapOptions = { capacity: 600, bucketSize: 20, jitterWindow: 50, resetThresholdS: 0.5, maxDriftPpm: 1000, minFitSpanS: 20 };

export class ClockMap {
  private readonly options: ClockMapOptions;
  private readonly daw: Float64Array;
  private readonly residual: Float64Array;
  private readonly sorted: Float64Array;
  private count = 0;
  private head = 0;
  /** Envelope: page − DAW = intercept + slope · (daw − refDaw). */
  private intercept = 0;
  private slope = 0;
  private refDaw = 0;
  private resets = 0;

  constructor(options: Partial<ClockMapOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
    this.daw = new Float64Array(this.options.capacity);
    this.residual = new Float64Array(this.options.capacity);
    this.sorted = new Float64Array(this.options.jitterWindow);
  }

  /** Samples held. */
  get sampleCount(): number {
    return this.count;
  }

  /** Times the map started afresh after a jump. */
  get resetCount(): number {
    return this.resets;
  }

  /** True once one sample arrived. */
  get ready(): boolean {
    return this.count > 0;
  }

  /** page − DAW at the latest sample, seconds (the smallest delivery delay included). */
  get offsetS(): Seconds {
    return this.intercept;
  }

  /** How much faster the page clock runs than the DAW's, parts per million. */
  get driftPpm(): number {
    return this.slope * 1e6;
  }

  /** 95th percentile of how late arrivals sit above the envelope over the recent window, milliseconds. */
  get jitterMs(): number {
    const n = Math.min(this.count, this.options.jitterWindow);
    if (n === 0) return 0;
    for (let i = 0; i < n; i++) {
      const k = this.index(this.count - n + i);
      this.sorted[i] = this.residual[k] - this.line(this.daw[k]);
    }
    const view = this.sorted.subarray(0, n);
    view.sort();
    return Math.max(0, view[Math.min(n - 1, Math.floor(0.95 * n))]) * 1000;
  }

  /** Forgets every sample. */
  reset(): void {
    this.count = 0;
    this.head = 0;
    this.intercept = 0;
    this.slope = 0;
    this.refDaw = 0;
  }

  /**
   * Adds one observation: a message stamped `dawS` on the DAW clock arrived
   * at `pageS` on the page clock.
   */
  add(dawS: Seconds, pageS: Seconds): void {
    if (!Number.isFinite(dawS) || !Number.isFinite(pageS)) return;
    const r = pageS - dawS;
    if (this.count > 0) {
      const last = this.daw[this.index(this.count - 1)];
      if (dawS < last || Math.abs(r - this.line(dawS)) > this.options.resetThresholdS) {
        this.reset();
        this.resets++;
      }
    }
    const cap = this.options.capacity;
    const k = (this.head + this.count) % cap;
    if (this.count === cap) this.head = (this.head + 1) % cap;
    else this.count++;
    this.daw[k] = dawS;
    this.residual[k] = r;
    this.fit();
  }

  /** Page time at which a message stamped `dawS` arrives at the earliest. */
  pageAt(dawS: Seconds): Seconds {
    return dawS + this.line(dawS);
  }

  /** The DAW time whose earliest arrival is `pageS` (inverse of {@link pageAt}). */
  dawAt(pageS: Seconds): Seconds {
    // page = daw + intercept + slope·(daw − ref)  ⇒  daw = (page − intercept + slope·ref) / (1 + slope)
    return (pageS - this.intercept + this.slope * this.refDaw) / (1 + this.slope);
  }

  private index(i: number): number {
    return (this.head + i) % this.options.capacity;
  }

  private line(dawS: Seconds): Seconds {
    return this.intercept + this.slope * (dawS - this.refDaw);
  }

  private fit(): void {
    const { bucketSize, maxDriftPpm, minFitSpanS } = this.options;
    const n = this.count;
    const ref = this.daw[this.index(n - 1)];
    // Least squares through the bucket minima (the last bucket may be partial).
    let sx = 0, sy = 0, sxx = 0, sxy = 0, m = 0;
    let firstX = 0, lastX = 0;
    for (let start = 0; start < n; start += bucketSize) {
      let minR = Infinity, minX = 0;
      const end = Math.min(n, start + bucketSize);
      for (let i = start; i < end; i++) {
        const k = this.index(i);
        if (this.residual[k] < minR) {
          minR = this.residual[k];
          minX = this.daw[k] - ref;
        }
      }
      if (m === 0) firstX = minX;
      lastX = minX;
      sx += minX;
      sy += minR;
      sxx += minX * minX;
      sxy += minX * minR;
      m++;
    }
    let slope = 0;
    const denom = m * sxx - sx * sx;
    if (m >= 3 && lastX - firstX >= minFitSpanS && denom > 0) {
      const limit = maxDriftPpm * 1e-6;
      slope = Math.max(-limit, Math.min(limit, (m * sxy - sx * sy) / denom));
    }
    // Lower the line so the recent samples sit on or above it.
    let lowest = Infinity;
    const recent = Math.min(n, 2 * bucketSize);
    for (let i = n - recent; i < n; i++) {
      const k = this.index(i);
      lowest = Math.min(lowest, this.residual[k] - slope * (this.daw[k] - ref));
    }
    this.slope = slope;
    this.refDaw = ref;
    this.intercept = lowest;
  }
}
