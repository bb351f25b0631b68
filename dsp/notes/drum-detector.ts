/**
 * Percussive audio → drum hits (General MIDI 36 kick, 38 snare, 42 closed
 * hi-hat). Onsets come from the shared onset picker; each onset is labelled
 * by the energy it ADDED in three bands of the power spectrum (current frame
 * or the peak frame, whichever is larger, minus the frame before the rise):
 *
 * | band | Hz            | what lives there                     |
 * |------|---------------|--------------------------------------|
 * | low  | 30–150        | kick body                            |
 * | mid  | 1 000–5 000   | snare noise (little kick or hat)     |
 * | high | 7 000–16 000  | hi-hat (and some snare noise)        |
 *
 * With A_b the added energy and d_b = A_b / width_b its density per Hz, an
 * onset can carry several labels (kick and hat together are common):
 * - kick  if d_low ≥ 10·d_mid;
 * - snare if d_mid ≥ 0.3·d_high and A_mid ≥ 0.3 % of the added total;
 * - hat   if d_high ≥ 2·d_mid  and A_high ≥ 0.3 % of the added total;
 * and each label also needs its band's added energy to reach 10 % of the
 * largest that band saw recently (a max decaying with a 5 s time constant),
 * so a band's faint share of another instrument is not a hit.
 * Velocity comes from the added energy of the label's band as an RMS level.
 */
import type { FeatureSink } from '../features/feature-sink.ts';
import { Slot } from '../features/frame-state.ts';
import { levelToVelocity } from './velocity.ts';

/** General MIDI percussion keys used for drum hits. */
export const GmDrum = Object.freeze({ kick: 36, snare: 38, closedHat: 42 });

const LOW = 0;
const MID = 1;
const HIGH = 2;
const ALL = 3;
/** Frames of band history: current, peak, and two before. */
const HISTORY = 4;

/** Labels onsets as kick / snare / hi-hat. Allocates only in the constructor. */
export class DrumDetector {
  private readonly state: Float64Array;
  private readonly firstBin = new Int32Array(3);
  private readonly lastBin = new Int32Array(3);
  private readonly widthHz = new Float64Array(3);
  /** energies[(frame % HISTORY)·4 + band]. */
  private readonly energies = new Float64Array(HISTORY * 4);
  private readonly added = new Float64Array(4);
  private readonly recentMax = new Float64Array(3);
  /** Velocity of each band's added energy, this frame. */
  private readonly velocities = new Int32Array(3);
  private readonly decay: number;
  /** Power of a 0 dBFS-RMS frame in the one-sided Hann spectrum: (3/16)·N². */
  private readonly fullScalePower: number;
  private frame = 0;

  /**
   * @param state the engine's frame state (reads `onsetSample`).
   * @param sampleRate Hz. @param frameSize FFT length N. @param framesPerSecond sr / hop.
   */
  constructor(state: Float64Array, sampleRate: number, frameSize: number, framesPerSecond: number) {
    this.state = state;
    const binHz = sampleRate / frameSize;
    const nyquist = sampleRate / 2;
    const edges = [30, 150, 1000, 5000, 7000, Math.min(16000, 0.95 * nyquist)];
    for (let b = 0; b < 3; b++) {
      this.firstBin[b] = Math.ceil(edges[2 * b] / binHz);
      this.lastBin[b] = Math.max(this.firstBin[b], Math.floor(edges[2 * b + 1] / binHz));
      this.widthHz[b] = (this.lastBin[b] - this.firstBin[b] + 1) * binHz;
    }
    this.decay = Math.exp(-1 / (5 * framesPerSecond));
    this.fullScalePower = (3 / 16) * frameSize * frameSize;
  }

  /**
   * Feeds one frame's power spectrum; when the frame state's `onsetSample ≥ 0`
   * (the onset picker fired for the previous frame) labels that onset and
   * calls `sink.onDrumHit` for each label. The labels are computed every
   * frame, onset or not, so this code stays hot (optimised) in the JIT and
   * never allocates.
   */
  update(power: Float64Array, sink: FeatureSink): void {
    const st = this.state;
    const e = this.energies;
    const k = this.frame;
    const row = (k % HISTORY) * 4;
    let total = 0;
    for (let i = 0; i < power.length; i++) total += power[i];
    for (let b = 0; b < 3; b++) {
      let acc = 0;
      for (let i = this.firstBin[b]; i <= this.lastBin[b]; i++) acc += power[i];
      e[row + b] = acc;
    }
    e[row + ALL] = total;
    this.frame = k + 1;
    const m = this.recentMax;
    for (let b = 0; b < 3; b++) m[b] *= this.decay;
    if (k < 3) return;
    // Energy added since before the rise: max(current, peak frame) − the frame before the peak's predecessor.
    const peakRow = ((k - 1) % HISTORY) * 4;
    const baseRow = ((k - 3) % HISTORY) * 4;
    const a = this.added;
    for (let b = 0; b < 4; b++) a[b] = Math.max(0, Math.max(e[row + b], e[peakRow + b]) - e[baseRow + b]);
    const dLow = a[LOW] / this.widthHz[LOW];
    const dMid = a[MID] / this.widthHz[MID];
    const dHigh = a[HIGH] / this.widthHz[HIGH];
    const kick = a[LOW] > 0 && dLow >= 10 * dMid && a[LOW] >= 0.1 * m[LOW];
    const snare = a[MID] > 0 && dMid >= 0.3 * dHigh && a[MID] >= 0.003 * a[ALL] && a[MID] >= 0.1 * m[MID];
    const hat = a[HIGH] > 0 && dHigh >= 2 * dMid && a[HIGH] >= 0.003 * a[ALL] && a[HIGH] >= 0.1 * m[HIGH];
    // Velocities: each band's added energy as the RMS of a frame with that much power, in dBFS.
    const v = this.velocities;
    for (let b = 0; b < 3; b++) {
      st[Slot.scratchDbfs] = 10 * Math.log10(Math.max(a[b] / this.fullScalePower, 1e-20));
      v[b] = levelToVelocity(st, Slot.scratchDbfs);
    }
    const onsetSample = st[Slot.onsetSample];
    if (onsetSample < 0) return;
    for (let b = 0; b < 3; b++) if (a[b] > m[b]) m[b] = a[b];
    if (sink.onDrumHit === undefined) return;
    if (kick) sink.onDrumHit(GmDrum.kick, v[LOW], onsetSample);
    if (snare) sink.onDrumHit(GmDrum.snare, v[MID], onsetSample);
    if (hat) sink.onDrumHit(GmDrum.closedHat, v[HIGH], onsetSample);
  }

  /** Forgets everything. */
  reset(): void {
    this.energies.fill(0);
    this.recentMax.fill(0);
    this.frame = 0;
  }
}
