/**
 * Percussive audio → drum hits (General MIDI 36 kick, 38 snare, 42 closed
 * hi-hat), from onsets in three bands of the power spectrum:
 *
 * | band | Hz            | what lives there                         |
 * |------|---------------|------------------------------------------|
 * | low  | 30–120        | kick body                                |
 * | body | 150–400       | snare body (shape only, no onsets)       |
 * | mid  | 1 000–5 000   | snare noise (little kick or hat)         |
 * | high | 7 000–16 000  | hi-hat (and some snare noise)            |
 *
 * Each band has its own onset detector (a whole-spectrum onset function
 * misses a hat over a snare's tail): the band level
 * `L_b[t] = 10·log10(E_b[t] + floor)` (floor −90 dBFS) rising by
 * `r_b[t] = L_b[t] − max(L_b[t−j])` over the frames j that began 20–45 ms
 * earlier (at least 2 frames back: over the loudest of them, so a dip in a
 * noisy band is not a rise); frame p = t − 1 is an
 * onset in band b when `r_b[p]` is a local maximum of r_b and at least 9, 6
 * or 4.5 dB (low, mid, high: a wider band fluctuates less), the band is above
 * −70 dBFS and within 12, 25 or 35 dB of the frame's loudest band (a kick
 * dominates the spectrum; a kick's click in the snare band is not a snare;
 * hats are quiet), and 50 ms passed since its previous onset.
 *
 * A band onset becomes a hit if the energy it ADDED (max of frames p, t minus
 * frame p − 2), as a density per Hz d_b, has the instrument's shape:
 * - low  → kick  if d_low ≥ 10·d_mid and d_low ≥ 2·d_body (a snare's noise
 *   and its body's spectral leakage also lift the low band);
 * - mid  → snare if d_mid ≥ 0.3·d_high (a hat has almost nothing below 5 kHz);
 * - high → hat   if d_high ≥ 2·d_mid (a snare's own noise also lifts the high band).
 *
 * Pitched sounds (plucked or struck notes, sine beeps and the clicks of their
 * hard edges) also make bands rise, so a shaped onset must also have the
 * instrument's texture in the frame t (see band-texture.ts):
 * - kick: the strongest bin of 30–400 Hz is a peak (above the bin below it)
 *   in the low band (a kick's partial is below 120 Hz; a note's fundamental
 *   from C3 up leaks into the band from above; a click's spectrum falls from
 *   DC on);
 * - snare, hat: the band is noise: flatness ≥ 0.3 (partials are far below;
 *   noise is near e^{−γ} ≈ 0.56) and a peak share in [0.08, 0.75] (partials
 *   put nearly all the band's power into peaks; a click or the skirt of a
 *   partial gives a smooth band with none).
 *
 * The hit time is refined by the attack locator (on the first difference for
 * snare and hat, so a kick's body does not hide them). Velocity comes from
 * the band's added energy as an RMS level (see velocity.ts). Known limits: a
 * hat struck together with a snare is often heard as the snare alone; a kick
 * under a louder bass note above 120 Hz, and a snare or hat under a partial
 * that dominates its band, are not heard.
 */
import type { FeatureSink } from '../features/feature-sink.ts';
import { Slot } from '../features/frame-state.ts';
import type { AttackLocator } from './attack-locator.ts';
import { levelToVelocity } from './velocity.ts';
import { Texture, bandTexture } from './band-texture.ts';

/** General MIDI percussion keys used for drum hits. */
export const GmDrum = Object.freeze({ kick: 36, snare: 38, closedHat: 42 });

const LOW = 0;
const MID = 1;
const HIGH = 2;
/** Shape-only band (no onsets): the snare body. */
const BODY = 3;
const BANDS = 4;
/** Bands with onset detection: LOW, MID, HIGH. */
const ONSET_BANDS = 3;
/** Least onset rise per band (low, mid, high), dB over two frames. */
const RISE_DB = [5, 6, 4.5];
/** A band more than this far below the frame's loudest band holds no hit (low, mid, high), dB. */
const SHARE_DB = [12, 25, 35];
/** Quietest band level that can hold an onset, dBFS. */
const GATE_DBFS = -70;
/** Least flatness of a snare's or hat's band (noise ≈ 0.56; partials ≪ 0.1). */
const NOISE_FLATNESS_MIN = 0.3;
/** Peak share of a noise band: at least (a smooth band has no peaks) … */
const NOISE_PEAK_SHARE_MIN = 0.08;
/** … and at most (partials put nearly all the power into peaks). */
const NOISE_PEAK_SHARE_MAX = 0.75;
/** A bin below this fraction of full-scale power counts as empty (−120 dB). */
const BIN_FLOOR = 1e-12;

/** Detects and labels drum hits. Allocates only in the constructor. */
export class DrumDetector {
  private readonly state: Float64Array;
  private readonly ring: Float32Array;
  private readonly ringMask: number;
  private readonly locator: AttackLocator;
  private readonly frameSize: number;
  private readonly hopSize: number;
  private readonly waitFrames: number;
  /** Rise look-back, frames: nearest and farthest. */
  private readonly lagNear: number;
  private readonly lagFar: number;
  /** Frames of band history kept (ring). */
  private readonly history: number;
  private readonly firstBin = new Int32Array(BANDS);
  private readonly lastBin = new Int32Array(BANDS);
  private readonly widthHz = new Float64Array(BANDS);
  /** energies[(frame % history)·BANDS + band], linear power. */
  private readonly energies: Float64Array;
  /** levels[(frame % history)·BANDS + band], dBFS. */
  private readonly levels: Float64Array;
  /** rises[(frame % history)·BANDS + band], dB. */
  private readonly rises: Float64Array;
  private readonly lastOnsetFrame = new Float64Array(BANDS);
  private readonly added = new Float64Array(BANDS);
  private readonly texture = new Float64Array(Texture.count);
  /** 1 when the frame has band b's instrument texture (see the module doc), else 0. */
  private readonly textured = new Uint8Array(ONSET_BANDS);
  private readonly riseDb = Float64Array.from(RISE_DB);
  private readonly shareDb = Float64Array.from(SHARE_DB);
  /** Power of a 0 dBFS-RMS frame in the one-sided Hann spectrum: (3/16)·N². */
  private readonly fullScalePower: number;
  private frame = 0;

  /**
   * @param state the engine's frame state (reads `frameEnd`).
   * @param ring the engine's input ring (sample p at `ring[p & ringMask]`), for the attack locator.
   * @param sampleRate Hz. @param frameSize FFT length N. @param hopSize samples.
   */
  constructor(state: Float64Array, ring: Float32Array, ringMask: number, locator: AttackLocator, sampleRate: number, frameSize: number, hopSize: number) {
    this.state = state;
    this.ring = ring;
    this.ringMask = ringMask;
    this.locator = locator;
    this.frameSize = frameSize;
    this.hopSize = hopSize;
    const fps = sampleRate / hopSize;
    this.waitFrames = Math.max(1, Math.round(0.05 * fps));
    this.lagNear = Math.max(2, Math.ceil(0.02 * fps));
    this.lagFar = Math.max(this.lagNear, Math.round(0.045 * fps));
    this.history = this.lagFar + 3;
    this.energies = new Float64Array(this.history * BANDS);
    this.levels = new Float64Array(this.history * BANDS);
    this.rises = new Float64Array(this.history * BANDS);
    const binHz = sampleRate / frameSize;
    const edges = [30, 150, 1000, 5000, 7000, Math.min(16000, 0.95 * (sampleRate / 2)), 160, 400];
    for (let b = 0; b < BANDS; b++) {
      this.firstBin[b] = Math.ceil(edges[2 * b] / binHz);
      this.lastBin[b] = Math.max(this.firstBin[b], Math.floor(edges[2 * b + 1] / binHz));
      this.widthHz[b] = (this.lastBin[b] - this.firstBin[b] + 1) * binHz;
    }
    this.fullScalePower = (3 / 16) * frameSize * frameSize;
    this.texture[Texture.floor] = this.fullScalePower * BIN_FLOOR;
    this.reset();
  }

  /**
   * Feeds one frame's power spectrum; calls `sink.onDrumHit` for hits whose
   * peak was the previous frame. Everything is computed every frame, hit or
   * not, so this code stays optimised in the JIT and never allocates.
   */
  update(power: Float64Array, sink: FeatureSink): void {
    const t = this.frame;
    const hist = this.history;
    const row = (t % hist) * BANDS;
    const pRow = ((t + hist - 1) % hist) * BANDS;
    const p2Row = ((t + hist - 2) % hist) * BANDS;
    const p3Row = ((t + hist - 3) % hist) * BANDS;
    const e = this.energies;
    const lv = this.levels;
    const r = this.rises;
    const floor = this.fullScalePower * 1e-9;
    for (let b = 0; b < BANDS; b++) {
      let acc = 0;
      for (let i = this.firstBin[b]; i <= this.lastBin[b]; i++) acc += power[i];
      e[row + b] = acc;
      lv[row + b] = 10 * Math.log10((acc + floor) / this.fullScalePower);
      // Rise over the loudest of the look-back frames, so a dip in a noisy band is not taken for a rise.
      let before = -Infinity;
      for (let j = this.lagNear; j <= this.lagFar; j++) before = Math.max(before, lv[((t + hist - j) % hist) * BANDS + b]);
      r[row + b] = t >= this.lagFar ? lv[row + b] - before : 0;
    }
    this.frame = t + 1;
    if (t < this.lagFar + 1) return;
    const a = this.added;
    for (let b = 0; b < BANDS; b++) a[b] = Math.max(0, Math.max(e[row + b], e[pRow + b]) - e[p3Row + b]);
    const dLow = a[LOW] / this.widthHz[LOW];
    const dMid = a[MID] / this.widthHz[MID];
    const dHigh = a[HIGH] / this.widthHz[HIGH];
    const dBody = a[BODY] / this.widthHz[BODY];
    // Measured every frame, hit or not, so this code stays optimised (and never boxes a double).
    for (let b = 0; b < ONSET_BANDS; b++) this.textured[b] = this.hasTexture(power, b) ? 1 : 0;
    const p = t - 1;
    const loudest = Math.max(lv[row + LOW], lv[row + MID], lv[row + HIGH], lv[row + BODY]);
    const frameEnd = this.state[Slot.frameEnd];
    const peakEnd = frameEnd - this.hopSize;
    for (let b = 0; b < ONSET_BANDS; b++) {
      const rp = r[pRow + b];
      const onset =
        rp >= this.riseDb[b] &&
        rp >= r[p2Row + b] &&
        rp > r[row + b] &&
        Math.max(lv[pRow + b], lv[row + b]) >= GATE_DBFS &&
        lv[row + b] >= loudest - this.shareDb[b] &&
        p - this.lastOnsetFrame[b] >= this.waitFrames;
      const shaped = b === LOW ? dLow >= 10 * dMid && dLow >= 2 * dBody : b === MID ? dMid >= 0.3 * dHigh : dHigh >= 2 * dMid;
      // Velocity: the band's added energy as the RMS of a frame with that much power, in dBFS.
      this.state[Slot.scratchDbfs] = 10 * Math.log10(Math.max(a[b] / this.fullScalePower, 1e-20));
      const velocity = levelToVelocity(this.state, Slot.scratchDbfs);
      if (!onset) continue;
      this.lastOnsetFrame[b] = p;
      if (!shaped || this.textured[b] === 0 || sink.onDrumHit === undefined) continue;
      const from = Math.max(peakEnd - this.frameSize, 0);
      const sample = this.locator.locate(this.ring, this.ringMask, from, frameEnd, b !== LOW);
      sink.onDrumHit(b === LOW ? GmDrum.kick : b === MID ? GmDrum.snare : GmDrum.closedHat, velocity, sample);
    }
  }

  /** Whether the frame's `power` has the texture of band `b`'s instrument (see the module doc). */
  private hasTexture(power: Float64Array, b: number): boolean {
    if (b === LOW) {
      let strongest = this.firstBin[LOW];
      for (let i = strongest + 1; i <= this.lastBin[BODY]; i++) if (power[i] > power[strongest]) strongest = i;
      // A click's spectrum falls from DC on: its strongest bin here is the band's edge, not a peak.
      return strongest <= this.lastBin[LOW] && power[strongest] > power[strongest - 1];
    }
    const tx = this.texture;
    bandTexture(power, this.firstBin[b], this.lastBin[b], tx, 0);
    return tx[Texture.flatness] >= NOISE_FLATNESS_MIN && tx[Texture.peakShare] >= NOISE_PEAK_SHARE_MIN && tx[Texture.peakShare] <= NOISE_PEAK_SHARE_MAX;
  }

  /** Forgets everything. */
  reset(): void {
    this.energies.fill(0);
    this.levels.fill(-200);
    this.rises.fill(0);
    this.lastOnsetFrame.fill(-1e9);
    this.frame = 0;
  }
}
