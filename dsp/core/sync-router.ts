/**
 * Which transport the beat clock follows, by the `syncSource` parameter: the
 * host's (wam-transport events), MIDI clock from the MIDI input (through a
 * {@link MidiClockFollower}), or none (the clock runs free at the tempo
 * parameter). The host's latest transport is kept, so switching back to the
 * host picks it up at once; switching away forgets the old source's state.
 * A change between playing and stopped is reported to the core.
 *
 * Real time: no allocation after construction; never throws.
 *
 * [audio-thread]
 */
import { PARAMETER_INDEX as P } from '../../protocol/parameters.ts';
import { ClockChange, MidiClockFollower } from '../loop/midi-clock-follower.ts';
import type { TransportClock, TransportInfo } from '../loop/transport-clock.ts';

/** The `syncSource` choice indices (protocol/parameters.ts's SYNC_SOURCES). */
const enum SyncSourceIndex {
  Host = 0,
  MidiClock = 1,
  Internal = 2,
}

/** What the core does when the followed transport starts or stops. */
export interface PlayingChange {
  /** The followed transport stopped (called before {@link changed}). */
  stopped(): void;
  /** The followed transport started or stopped. */
  changed(): void;
}

/** Routes host transport and MIDI clock to the beat clock. */
export class SyncRouter {
  /** Follows MIDI clock from the MIDI input while the sync source is MIDI clock. */
  readonly midiClock: MidiClockFollower;
  private readonly clock: TransportClock;
  private readonly onChange: PlayingChange;
  /** The parameter values (PARAMETERS order): `syncSource` is read from them. */
  private readonly params: Float64Array;
  private lastPlaying = false;
  /** The sync source the clock was last set up for (see {@link follow}). */
  private lastSource: number = SyncSourceIndex.Host;
  /** The latest host transport (re-applied when the sync source returns to the host). */
  private readonly host: TransportInfo = {
    currentBar: 0, currentBarStarted: 0, tempo: 120, timeSigNumerator: 4, timeSigDenominator: 4, playing: false,
  };
  private hasHost = false;

  /**
   * @param sampleRate Hz, of the audio clock MIDI clock times are in.
   * @param params the parameter values (PARAMETERS order), read live: an event follows the source set when it comes.
   */
  constructor(clock: TransportClock, sampleRate: number, params: Float64Array, onChange: PlayingChange) {
    this.clock = clock;
    this.params = params;
    this.midiClock = new MidiClockFollower(sampleRate);
    this.onChange = onChange;
  }

  /** A checked host transport: kept, and followed while the sync source is the host. */
  hostTransport(t: TransportInfo): void {
    const h = this.host;
    h.currentBar = t.currentBar;
    h.currentBarStarted = t.currentBarStarted;
    h.tempo = t.tempo;
    h.timeSigNumerator = t.timeSigNumerator;
    h.timeSigDenominator = t.timeSigDenominator;
    h.playing = t.playing;
    this.hasHost = true;
    if (this.params[P.syncSource] !== SyncSourceIndex.Host) return;
    this.clock.setHostTransport(t);
    this.afterChange();
  }

  /** A MIDI clock or song-position message at `midiClock.atFrame`, followed while the sync source is MIDI clock. */
  clockMessage(status: number, data1: number, data2: number): void {
    if (this.params[P.syncSource] !== SyncSourceIndex.MidiClock) return;
    if ((this.midiClock.message(status, data1, data2) & ClockChange.Transport) === 0) return;
    this.clock.setFollowedTransport(this.midiClock);
    this.afterChange();
  }

  /**
   * Once a block, after the parameter changes: when the sync source changed,
   * the old source's transport is forgotten, and the host's latest comes back
   * when it is the new one.
   */
  follow(): void {
    const source = this.params[P.syncSource];
    if (source === this.lastSource) return;
    this.lastSource = source;
    this.clock.clearHost();
    this.midiClock.reset();
    if (source === SyncSourceIndex.Host && this.hasHost) this.clock.setHostTransport(this.host);
    this.afterChange();
  }

  /** The tempo MIDI clock gives while it is the sync source and has been measured, BPM; else 0. */
  get clockTempoBpm(): number {
    return this.params[P.syncSource] === SyncSourceIndex.MidiClock ? this.midiClock.tempoBpm : 0;
  }

  /** After the followed transport changed: tells the core of a start or a stop. */
  private afterChange(): void {
    const playing = this.clock.followsHost;
    if (this.lastPlaying && !playing) this.onChange.stopped();
    if (playing !== this.lastPlaying) this.onChange.changed();
    this.lastPlaying = playing;
  }
}
