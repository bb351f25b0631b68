/**
 * The MIDI-clock follower: turns MIDI beat clock (MIDI 1.0 Detailed
 * Specification, "System Real Time Messages" and "Song Position Pointer")
 * into a transport the TransportClock follows.
 *
 * - Timing clock (0xF8) comes 24 times per quarter note. The tick times are
 *   fitted with a least-squares line (frame = a + b · tick) over the last
 *   {@link FIT_TICKS} ticks: the slope gives the tempo, the line gives each
 *   tick's smoothed frame, so per-tick jitter averages out.
 * - A tick further than {@link MAX_RESIDUAL_TICK_SHARE} of a tick period (and at
 *   least {@link MIN_RESIDUAL_S}) from the fit's prediction is counted and left
 *   out of the fit (a single late or early tick moves nothing); after
 *   {@link REFIT_AFTER_REJECTS} such ticks in a row the clock really changed (a
 *   tempo jump) and the fit starts afresh from the latest tick. A gap of more
 *   than {@link GAP_TICKS} tick periods (the sender paused its clock) also
 *   starts the fit afresh.
 * - Start (0xFA) sets the song position to 0, Continue (0xFB) keeps it; the
 *   next tick after either is at that position and the transport plays from
 *   it. Stop (0xFC) halts it where it is. Song Position Pointer (0xF2, a
 *   14-bit count of sixteenth notes, LSB first) sets the position of the next
 *   tick.
 *
 * Clocks: tick times are audio frames (fractional allowed); positions are
 * beats (quarter notes, as MIDI clock counts them). Preallocated, no
 * allocation and no throw after construction.
 *
 * [audio-thread]
 */
import type { Beats, FollowedTransport, Frames } from './transport-clock.ts';

/** MIDI timing clocks per quarter note. */
export const TICKS_PER_BEAT = 24;
/** MIDI timing clocks per sixteenth note (one Song Position Pointer step). */
export const TICKS_PER_SIXTEENTH = 6;
/** Ticks in the tempo fit (two beats). */
export const FIT_TICKS = 48;
/** Ticks the fit needs before it rejects outliers. */
export const MIN_FIT_TICKS = 6;
/** A tick this far from the prediction, as a share of the tick period, is rejected. */
export const MAX_RESIDUAL_TICK_SHARE = 0.3;
/** …but never a tick closer than this, seconds. */
export const MIN_RESIDUAL_S = 0.002;
/** This many rejected ticks in a row start the fit afresh. */
export const REFIT_AFTER_REJECTS = 3;
/** A gap longer than this many tick periods starts the fit afresh. */
export const GAP_TICKS = 6;
/** Longest tick period accepted before a fit exists, seconds (20 BPM). */
const MAX_TICK_PERIOD_S = 60 / 20 / TICKS_PER_BEAT;

/** What a message changed (bit flags). */
export const enum ClockChange {
  None = 0,
  /** The transport (anchor, tempo or playing) changed: hand it to the TransportClock. */
  Transport = 1,
}

export class MidiClockFollower implements FollowedTransport {
  /** Sample rate of the audio clock, Hz. */
  readonly sampleRate: number;
  /** True while the transport plays (from the first tick after Start or Continue until Stop). */
  playing = false;
  /** Followed tempo, BPM (quarter notes per minute); 0 until two ticks arrived. */
  tempoBpm = 0;
  /** Beat (quarter notes from the song's start) at {@link anchorFrame}. */
  anchorBeat: Beats = 0;
  /** Audio frame at which the transport is at {@link anchorBeat}. */
  anchorFrame: Frames = 0;
  /** Ticks left out of the fit as late or early. */
  rejectedTicks = 0;
  /** Audio frame of the message being handed in; set before {@link message} (a field, so the double is not boxed per call). */
  atFrame: Frames = 0;

  /** The fit's ticks: their sequence numbers and frames, a ring of FIT_TICKS. */
  private readonly fitSeq = new Float64Array(FIT_TICKS);
  private readonly fitFrame = new Float64Array(FIT_TICKS);
  private fitCount = 0;
  private fitHead = 0;
  /** Sequence number of the next tick (counts every tick since the fit started). */
  private seq = 0;
  /** Fit: frame = intercept + slope · (seq − seqOrigin); slope in frames per tick (0: none yet). */
  private slope = 0;
  private intercept = 0;
  private seqOrigin = 0;
  private lastTickFrame = Number.NaN;
  private rejectRun = 0;
  /** Song position of the next tick, in ticks. */
  private songTick = 0;
  /** Start or Continue came; the next tick plays. */
  private armed = false;

  constructor(sampleRate: number) {
    this.sampleRate = sampleRate;
  }

  /** Forgets everything (the sync source changed). */
  reset(): void {
    this.playing = false;
    this.tempoBpm = 0;
    this.anchorBeat = 0;
    this.anchorFrame = 0;
    this.songTick = 0;
    this.armed = false;
    this.restartFit();
  }

  /** Song position of the next tick, in beats. */
  get nextTickBeat(): Beats {
    return this.songTick / TICKS_PER_BEAT;
  }

  /**
   * Handles one message at audio frame {@link atFrame}: 0xF8, 0xFA, 0xFB,
   * 0xFC or 0xF2 (with its two data bytes); anything else is ignored.
   * @returns ClockChange flags.
   */
  message(status: number, data1: number, data2: number): number {
    switch (status) {
      case 0xf8:
        return this.tick();
      case 0xfa:
        this.songTick = 0;
        this.armed = true;
        return ClockChange.None;
      case 0xfb:
        this.armed = true;
        return ClockChange.None;
      case 0xfc:
        this.armed = false;
        if (!this.playing) return ClockChange.None;
        // The position where it stopped stays: the next tick would be there.
        this.anchorBeat = this.songTick / TICKS_PER_BEAT;
        this.anchorFrame = this.atFrame;
        this.playing = false;
        return ClockChange.Transport;
      case 0xf2:
        this.songTick = (((data2 & 0x7f) << 7) | (data1 & 0x7f)) * TICKS_PER_SIXTEENTH;
        return ClockChange.None;
      default:
        return ClockChange.None;
    }
  }

  /** A timing clock at {@link atFrame} (read from the field: a double passed to a call is boxed). */
  private tick(): number {
    const frame = this.atFrame;
    const seq = this.seq++;
    const position = this.songTick;
    if (this.playing || this.armed) this.songTick++;
    const last = this.lastTickFrame;
    this.lastTickFrame = frame;
    const period = this.slope;
    const gap = frame - last;
    if (Number.isNaN(last) || gap <= 0 || gap > (period > 0 ? GAP_TICKS * period : MAX_TICK_PERIOD_S * this.sampleRate)) {
      // The first tick, or the clock paused: the fit starts here (the tempo so far stays).
      this.restartFit();
      this.seq = seq + 1;
      this.push(seq);
    } else if (this.fitCount >= MIN_FIT_TICKS) {
      const residual = frame - (this.intercept + period * (seq - this.seqOrigin));
      const limit = Math.max(MAX_RESIDUAL_TICK_SHARE * period, MIN_RESIDUAL_S * this.sampleRate);
      if (Math.abs(residual) > limit) {
        this.rejectedTicks++;
        if (++this.rejectRun >= REFIT_AFTER_REJECTS) {
          // Not one stray tick: the clock changed. Start again from this tick.
          this.restartFit();
          this.seq = seq + 1;
          this.push(seq);
        }
      } else {
        this.rejectRun = 0;
        this.push(seq);
      }
    } else {
      this.push(seq);
    }
    this.fit();
    if (!this.playing && !this.armed) return ClockChange.None;
    this.armed = false;
    this.playing = true;
    // The tick's place on the fitted line (its own time until a fit exists).
    this.anchorFrame = this.slope > 0 ? this.intercept + this.slope * (seq - this.seqOrigin) : frame;
    this.anchorBeat = position / TICKS_PER_BEAT;
    return ClockChange.Transport;
  }

  private restartFit(): void {
    this.fitCount = 0;
    this.fitHead = 0;
    this.rejectRun = 0;
    this.slope = 0;
    this.seq = 0;
    this.lastTickFrame = Number.NaN;
  }

  /** Adds the tick at {@link atFrame} to the fit. */
  private push(seq: number): void {
    const frame = this.atFrame;
    this.fitSeq[this.fitHead] = seq;
    this.fitFrame[this.fitHead] = frame;
    this.fitHead = (this.fitHead + 1) % FIT_TICKS;
    if (this.fitCount < FIT_TICKS) this.fitCount++;
    this.lastTickFrame = frame;
  }

  /** Least-squares line through the fit's ticks, relative to the newest (for precision). */
  private fit(): void {
    const n = this.fitCount;
    if (n < 2) return;
    const newest = (this.fitHead + FIT_TICKS - 1) % FIT_TICKS;
    const x0 = this.fitSeq[newest];
    const y0 = this.fitFrame[newest];
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let sxy = 0;
    for (let i = 0; i < n; i++) {
      const x = this.fitSeq[i] - x0;
      const y = this.fitFrame[i] - y0;
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    const det = n * sxx - sx * sx;
    if (det <= 0) return;
    const slope = (n * sxy - sx * sy) / det;
    if (!(slope > 0)) return;
    this.slope = slope;
    this.seqOrigin = x0;
    this.intercept = y0 + (sy - slope * sx) / n;
    this.tempoBpm = (60 * this.sampleRate) / (slope * TICKS_PER_BEAT);
  }
}
