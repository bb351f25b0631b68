/**
 * The transport clock: maps the audio clock (sample frames) to the musical
 * clock (beats and bars) and back, from the host's `wam-transport` events or,
 * without a host transport, from a free-running tempo anchored at a frame.
 *
 * A beat is the time signature's beat unit (a quarter note in 4/4 and 3/4),
 * and tempo counts those beats per minute, as the WAM transport does. Bar `b`
 * starts at beat `b · beatsPerBar`. No allocation after construction.
 */

/** Samples on the audio clock. */
export type Frames = number;
/** Beats on the transport clock. */
export type Beats = number;

/** The parts of a WAM transport event the clock uses. */
export interface TransportInfo {
  /** Bar number of the bar that started at `currentBarStarted`. */
  currentBar: number;
  /** Audio-clock time (seconds) at which `currentBar` started. */
  currentBarStarted: number;
  /** Beats per minute. */
  tempo: number;
  /** Beats per bar. */
  timeSigNumerator: number;
  timeSigDenominator: number;
  playing: boolean;
}

/** A transport followed from an external clock (see {@link TransportClock.setFollowedTransport}). */
export interface FollowedTransport {
  readonly playing: boolean;
  /** Beats per minute; 0 while unknown. */
  readonly tempoBpm: number;
  /** Beat position at {@link anchorFrame}. */
  readonly anchorBeat: Beats;
  /** Audio frame. */
  readonly anchorFrame: Frames;
}

/** Tempo range the clock accepts, in BPM; other values are clamped. */
export const MIN_TEMPO_BPM = 20;
export const MAX_TEMPO_BPM = 400;

export class TransportClock {
  /** Sample rate of the audio clock, Hz. */
  readonly sampleRate: number;
  private tempo = 120;
  private beatsPerBarValue = 4;
  private anchorFrame = 0;
  private anchorBeat = 0;
  private hostPlaying = false;
  private hasHost = false;

  constructor(sampleRate: number) {
    this.sampleRate = sampleRate;
  }

  /** True when the host sent a transport that is playing: phrases follow its bars. */
  get followsHost(): boolean {
    return this.hasHost && this.hostPlaying;
  }

  /** Current tempo, BPM. */
  get tempoBpm(): number {
    return this.tempo;
  }

  /** Beats per bar. */
  get beatsPerBar(): number {
    return this.beatsPerBarValue;
  }

  /** Frames per beat at the current tempo. */
  get framesPerBeat(): number {
    return (this.sampleRate * 60) / this.tempo;
  }

  /**
   * Takes a host transport. Invalid numbers are ignored field by field (a
   * broken host must not derail the clock).
   */
  setHostTransport(t: TransportInfo): void {
    this.hasHost = true;
    this.hostPlaying = t.playing === true;
    if (Number.isFinite(t.tempo) && t.tempo > 0) this.tempo = clampTempo(t.tempo);
    if (Number.isFinite(t.timeSigNumerator) && t.timeSigNumerator >= 1 && t.timeSigNumerator <= 32) {
      this.beatsPerBarValue = Math.round(t.timeSigNumerator);
    }
    if (Number.isFinite(t.currentBarStarted) && Number.isFinite(t.currentBar)) {
      this.anchorFrame = t.currentBarStarted * this.sampleRate;
      this.anchorBeat = t.currentBar * this.beatsPerBarValue;
    }
  }

  /**
   * Follows an external clock (MIDI clock): the transport is at
   * `t.anchorBeat` at audio frame `t.anchorFrame` and moves at `t.tempoBpm`
   * (kept when 0); while `t.playing`, phrases follow its bars as they follow
   * a host's. The time signature stays as it is (MIDI clock carries none).
   * Takes an object, not numbers: doubles passed to a call are boxed.
   */
  setFollowedTransport(t: FollowedTransport): void {
    this.hasHost = true;
    this.hostPlaying = t.playing;
    if (Number.isFinite(t.tempoBpm) && t.tempoBpm > 0) this.tempo = clampTempo(t.tempoBpm);
    if (Number.isFinite(t.anchorFrame) && Number.isFinite(t.anchorBeat)) {
      this.anchorFrame = t.anchorFrame;
      this.anchorBeat = t.anchorBeat;
    }
  }

  /**
   * Runs free at `tempoBpm` (used while no host transport plays). The beat
   * position at `frame` is kept, so a tempo change does not jump the clock.
   */
  setFreeTempo(tempoBpm: number, frame: Frames): void {
    const bpm = Math.min(MAX_TEMPO_BPM, Math.max(MIN_TEMPO_BPM, tempoBpm));
    if (bpm === this.tempo) return;
    // Inline, without calls (a double passed to or returned from a call is boxed; a followed MIDI clock changes the tempo at every tick).
    this.anchorBeat += ((frame - this.anchorFrame) * this.tempo) / (this.sampleRate * 60);
    this.anchorFrame = frame;
    this.tempo = bpm;
  }

  /** Forgets the host transport (e.g. the host stopped sending one). */
  clearHost(): void {
    this.hasHost = false;
    this.hostPlaying = false;
  }

  /** Beat position at an audio frame. */
  beatAtFrame(frame: Frames): Beats {
    return this.anchorBeat + (frame - this.anchorFrame) / this.framesPerBeat;
  }

  /** Audio frame (fractional) at a beat position. */
  frameAtBeat(beat: Beats): Frames {
    return this.anchorFrame + (beat - this.anchorBeat) * this.framesPerBeat;
  }

  /** The first bar start at or after `beat` (with a tolerance of 1e-6 beats). */
  nextBarStart(beat: Beats): Beats {
    const bpb = this.beatsPerBarValue;
    return Math.ceil(beat / bpb - 1e-6) * bpb;
  }

  /** The first whole beat at or after `beat`. */
  nextBeat(beat: Beats): Beats {
    return Math.ceil(beat - 1e-6);
  }
}

function clampTempo(bpm: number): number {
  return Math.min(MAX_TEMPO_BPM, Math.max(MIN_TEMPO_BPM, bpm));
}
