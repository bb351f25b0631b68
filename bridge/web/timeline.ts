/**
 * The bridge timeline: the three clocks of the bridge page and the maps
 * between them, as pure code.
 *
 * - DAW time (seconds): the native plugin's frames since activate / its rate.
 * - Song position (quarter-note beats): from the latest TRANSPORT snapshot,
 *   `pos + (dawS − snapshotDawS) · tempo / 60` (the native side's free clock
 *   when the DAW is stopped advances the same way).
 * - Page time (seconds): the page's `AudioContext.currentTime`, which the WAM
 *   runs on.
 *
 * Page time is the DAW time a message reaches the page at the earliest
 * ({@link ClockMap}'s envelope) plus a small *lag*, so input MIDI scheduled at
 * its own page time is still in the WAM's future when it arrives (jitter and
 * one render quantum late at most). The map the WAM has been told (the
 * anchor of the last `wam-transport`) is *published* and kept fixed until it
 * drifts from the estimate by more than `republishS`, or the lag must grow:
 * every conversion uses the published map, so what the WAM plans on its
 * clock converts back to the song position exactly (to a page frame, then
 * snapped to the nearest 1/480 beat when within half a frame of it).
 */
import { ClockMap, type Seconds } from './clock-map.ts';

/** Quarter-note beats (CLAP's song position). */
export type Beats = number;

/** What a TRANSPORT message says, with its block's DAW time. */
export interface TransportSnapshot {
  /** DAW time of the block start (frames since activate / sample rate), seconds. */
  dawS: Seconds;
  songPosBeats: Beats;
  barStartBeats: Beats;
  tempoBpm: number;
  tsNum: number;
  tsDenom: number;
  playing: boolean;
}

/** The WAM transport (the `data` of a `wam-transport` event). */
export interface WamTransport {
  tempo: number;
  timeSigNumerator: number;
  timeSigDenominator: number;
  currentBar: number;
  /** Page time at which `currentBar` started, seconds. */
  currentBarStarted: Seconds;
  playing: boolean;
}

/** Options of {@link BridgeTimeline}; every field has a default. */
export interface TimelineOptions {
  /** Lag never below this, seconds (default 0.008). */
  minLagS: Seconds;
  /** Lag never above this, seconds (default 0.08). */
  maxLagS: Seconds;
  /** Lag = jitter + this margin (two render quanta and a little), seconds (default 0.008). */
  lagMarginS: Seconds;
  /** Re-anchor the WAM when the estimate moved this far from the published map, seconds (default 0.001). */
  republishS: Seconds;
  /** Snap grid for converted positions, divisions per beat (default 480). */
  snapDivisions: number;
  /** Page sample rate, Hz: conversions are exact to half a frame of it (default 48000). */
  pageSampleRate: number;
}

const DEFAULTS: TimelineOptions = { minLagS: 0.008, maxLagS: 0.08, lagMarginS: 0.008, republishS: 0.001, snapDivisions: 480, pageSampleRate: 48000 };

/** A fixed linear map page = pageRef + (daw − dawRef) · rate. */
interface PublishedMap {
  dawRefS: Seconds;
  pageRefS: Seconds;
  rate: number;
}

export class BridgeTimeline {
  readonly clock: ClockMap;
  private readonly options: TimelineOptions;
  private snapshot: TransportSnapshot | null = null;
  private published: PublishedMap | null = null;
  private lag: Seconds;
  /** The transport the WAM was last told, to tell when it must be told again. */
  private told: { tempo: number; num: number; denom: number; playing: boolean } | null = null;
  private republishes = 0;
  private lastTold: WamTransport | null = null;

  constructor(options: Partial<TimelineOptions> = {}, clock = new ClockMap()) {
    this.options = { ...DEFAULTS, ...options };
    this.clock = clock;
    this.lag = this.options.minLagS;
  }

  /** The lag of page time behind the earliest arrival, seconds. */
  get lagS(): Seconds {
    return this.lag;
  }

  /** Times the WAM was re-anchored because the clocks drifted apart or the lag grew. */
  get republishCount(): number {
    return this.republishes;
  }

  /** The latest TRANSPORT snapshot, or null before the first. */
  get transport(): TransportSnapshot | null {
    return this.snapshot;
  }

  /** True once a TRANSPORT arrived and the map is published. */
  get ready(): boolean {
    return this.snapshot !== null && this.published !== null;
  }

  /** Forgets everything (a new connection). */
  reset(): void {
    this.clock.reset();
    this.snapshot = null;
    this.published = null;
    this.told = null;
    this.lastTold = null;
    this.lag = this.options.minLagS;
  }

  /**
   * Takes a TRANSPORT snapshot that arrived at page time `arrivalPageS`.
   * @returns the WAM transport to send now, or null when the WAM's clock is still right.
   */
  onTransport(t: TransportSnapshot, arrivalPageS: Seconds): WamTransport | null {
    const resetsBefore = this.clock.resetCount;
    this.clock.add(t.dawS, arrivalPageS);
    const previous = this.snapshot;
    this.snapshot = t;
    let mustTell = this.told === null || this.clock.resetCount !== resetsBefore;
    if (previous) {
      const expected = previous.songPosBeats + ((t.dawS - previous.dawS) * previous.tempoBpm) / 60;
      // More than a millisecond of position: a seek, a loop jump or a stop.
      if (Math.abs(expected - t.songPosBeats) > (0.001 * t.tempoBpm) / 60) mustTell = true;
    }
    const told = this.told;
    if (!told || told.tempo !== t.tempoBpm || told.num !== t.tsNum || told.denom !== t.tsDenom || told.playing !== t.playing) mustTell = true;
    if (this.updateMap()) mustTell = true;
    if (!mustTell) return null;
    this.told = { tempo: t.tempoBpm, num: t.tsNum, denom: t.tsDenom, playing: t.playing };
    this.lastTold = this.wamTransport();
    return this.lastTold;
  }

  /** Re-publishes the map when the estimate or the needed lag moved; true when it did. */
  private updateMap(): boolean {
    const o = this.options;
    const jitterS = this.clock.jitterMs / 1000;
    const wanted = Math.min(o.maxLagS, Math.max(o.minLagS, jitterS + o.lagMarginS));
    // Grow at once; shrink only when far below (a brief burst must not churn the anchor).
    const lagChanged = wanted > this.lag + 0.002 || wanted < this.lag - 0.01;
    if (lagChanged) this.lag = wanted;
    const dawNow = this.snapshot!.dawS;
    const estimate = this.clock.pageAt(dawNow) + this.lag;
    const pub = this.published;
    if (!lagChanged && pub && Math.abs(this.publishedPage(pub, dawNow) - estimate) <= o.republishS) return false;
    this.published = { dawRefS: dawNow, pageRefS: estimate, rate: 1 + this.clock.driftPpm * 1e-6 };
    if (pub) this.republishes++;
    return true;
  }

  private publishedPage(pub: PublishedMap, dawS: Seconds): Seconds {
    return pub.pageRefS + (dawS - pub.dawRefS) * pub.rate;
  }

  /** Page time of a DAW time (published map). @throws Error before the first TRANSPORT. */
  pageTimeOfDaw(dawS: Seconds): Seconds {
    return this.publishedPage(this.map(), dawS);
  }

  /** DAW time of a page time (published map). @throws Error before the first TRANSPORT. */
  dawTimeOfPage(pageS: Seconds): Seconds {
    const pub = this.map();
    return pub.dawRefS + (pageS - pub.pageRefS) / pub.rate;
  }

  /** Song position at a DAW time (latest snapshot). @throws Error before the first TRANSPORT. */
  beatAtDaw(dawS: Seconds): Beats {
    const s = this.snap();
    return s.songPosBeats + ((dawS - s.dawS) * s.tempoBpm) / 60;
  }

  /** DAW time of a song position (latest snapshot). @throws Error before the first TRANSPORT. */
  dawAtBeat(beat: Beats): Seconds {
    const s = this.snap();
    return s.dawS + ((beat - s.songPosBeats) * 60) / s.tempoBpm;
  }

  /** Page time of a song position. @throws Error before the first TRANSPORT. */
  pageTimeOfBeat(beat: Beats): Seconds {
    return this.pageTimeOfDaw(this.dawAtBeat(beat));
  }

  /**
   * Song position of a page time, snapped to the nearest 1/`snapDivisions`
   * beat when within half a page frame of it (what the WAM planned on a grid
   * comes back on that grid exactly). @throws Error before the first TRANSPORT.
   */
  beatOfPageTime(pageS: Seconds): Beats {
    return this.snapToGrid(this.beatAtDaw(this.dawTimeOfPage(pageS)), this.snap().tempoBpm / 60);
  }

  /**
   * Song position of a position on the WAM's beat clock (beats of the time
   * signature's unit, as last told: a quarter-note position is `wamBeat · 4 /
   * denom`), snapped to the nearest 1/`snapDivisions` beat when within half a
   * page frame of it, or NaN before the WAM was told a transport. Unlike
   * {@link beatOfPageTime} it does not depend on the page-time map, so a
   * position the WAM planned keeps its place when the map moves.
   */
  songPositionOfWamBeat(wamBeat: number): Beats {
    const t = this.lastTold;
    if (!t) return Number.NaN;
    return this.snapToGrid((wamBeat * 4) / t.timeSigDenominator, (t.tempo * 4) / t.timeSigDenominator / 60);
  }

  /**
   * `beat` snapped to the nearest 1/`snapDivisions` beat when within half a
   * page frame of it (what the WAM planned on a grid comes back on that grid exactly).
   * @param beatsPerPageSecond song-position beats per second of page time.
   */
  private snapToGrid(beat: Beats, beatsPerPageSecond: number): Beats {
    const div = this.options.snapDivisions;
    const grid = Math.round(beat * div) / div;
    const toleranceBeats = (0.5 / this.options.pageSampleRate + 1e-9) * beatsPerPageSecond;
    return Math.abs(grid - beat) <= toleranceBeats ? grid : beat;
  }

  /** Length of a bar at the latest time signature, beats (4 before any transport). */
  get barBeats(): Beats {
    const s = this.snapshot;
    if (!s) return 4;
    const { num, denom } = timeSignature(s);
    return (num * 4) / denom;
  }

  /**
   * The WAM transport for the current snapshot and map: WAM beats are the
   * time signature's beat unit, so a quarter-note position q maps to
   * `(q − barStart) · denom / 4 + currentBar · num`, and the tempo is per
   * *page* minute (the DAW's tempo over the measured clock rate), so the
   * WAM's beat clock is exactly the composite DAW-time → page-time map.
   * @throws Error before the first TRANSPORT.
   */
  wamTransport(): WamTransport {
    const s = this.snap();
    const { num, denom } = timeSignature(s);
    const barBeats = (num * 4) / denom;
    const barStart = Number.isFinite(s.barStartBeats) ? s.barStartBeats : Math.floor(s.songPosBeats / barBeats) * barBeats;
    // The WAM's beats run on page time: a DAW second lasts `rate` page seconds.
    return {
      tempo: (s.tempoBpm * denom) / 4 / this.map().rate,
      timeSigNumerator: num,
      timeSigDenominator: denom,
      currentBar: Math.round(barStart / barBeats),
      currentBarStarted: this.pageTimeOfBeat(barStart),
      playing: s.playing,
    };
  }

  private snap(): TransportSnapshot {
    if (!this.snapshot) throw new Error('no TRANSPORT yet');
    return this.snapshot;
  }

  private map(): PublishedMap {
    if (!this.published) throw new Error('no TRANSPORT yet');
    return this.published;
  }
}

/** The snapshot's time signature, 4/4 when the host gave none. */
function timeSignature(s: TransportSnapshot): { num: number; denom: number } {
  const ok = s.tsNum >= 1 && s.tsDenom >= 1;
  return { num: ok ? s.tsNum : 4, denom: ok ? s.tsDenom : 4 };
}
