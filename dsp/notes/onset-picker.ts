/**
 * Causal onset peak picking on an onset-strength envelope, after librosa's
 * `onset.onset_detect` / `util.peak_pick` (Böck, Krebs & Schedl, "Evaluating
 * the online capabilities of onset detection methods", ISMIR 2012), made
 * causal with one frame of look-ahead:
 *
 * frame p = k − 1 is an onset when
 * - `o[p] ≥ o[p−1]` and `o[p] > o[k]` (a local maximum; `post_max` = 1 frame),
 * - `o[p] ≥ mean(o[p−A … p−1]) + delta` (A ≈ 100 ms, librosa's `pre_avg`),
 * - `o[p] ≥ minStrength`, the frame is above the silence gate,
 * - frame p or k adds at least 1 % new energy (see new-energy.ts),
 * - and at least `wait` (30 ms) passed since the previous onset.
 *
 * librosa normalises the envelope by its global maximum before applying
 * `delta`; a causal picker cannot, but our onset strength is in dB (scale
 * free), so `delta` is in dB too.
 */
import { Slot } from '../features/frame-state.ts';

/** Least new-energy fraction of a real attack. */
const MIN_NEW_ENERGY = 0.01;

export class OnsetPicker {
  private readonly state: Float64Array;
  private readonly history: Float64Array;
  private readonly averageFrames: number;
  private readonly waitFrames: number;
  private readonly deltaDb: number;
  private readonly minStrength: number;
  /** Frames pushed so far. */
  private frame = 0;
  private lastOnsetFrame = -1e9;
  private previousGate = false;
  private previousNewEnergy = 0;

  /**
   * @param state the engine's frame state (reads `onsetStrength` and `gate`).
   * @param framesPerSecond frame rate of the envelope (sr / hop).
   * @param deltaDb rise above the recent mean, in dB (default 3).
   * @param minStrength absolute floor on the peak, in dB (default 2).
   */
  constructor(state: Float64Array, framesPerSecond: number, deltaDb = 3, minStrength = 2) {
    this.state = state;
    this.averageFrames = Math.max(2, Math.round(0.1 * framesPerSecond));
    this.waitFrames = Math.max(1, Math.round(0.03 * framesPerSecond));
    this.history = new Float64Array(this.averageFrames + 3);
    this.deltaDb = deltaDb;
    this.minStrength = minStrength;
  }

  /**
   * Adds frame k's onset strength and gate (from the frame state).
   * @returns true when frame k − 1 is an onset.
   */
  push(): boolean {
    const strength = this.state[Slot.onsetStrength];
    const gate = this.state[Slot.gate] > 0;
    const newEnergy = Math.max(this.state[Slot.newEnergy], this.previousNewEnergy);
    this.previousNewEnergy = this.state[Slot.newEnergy];
    const h = this.history;
    const size = h.length;
    const k = this.frame;
    h[k % size] = strength;
    this.frame = k + 1;
    const gatePrevious = this.previousGate || gate;
    this.previousGate = gate;
    const p = k - 1;
    if (p < 1) return false;
    const op = h[p % size];
    if (!(op >= h[(p - 1) % size] && op > strength)) return false;
    if (op < this.minStrength || !gatePrevious || newEnergy < MIN_NEW_ENERGY || p - this.lastOnsetFrame < this.waitFrames) return false;
    const count = Math.min(this.averageFrames, p);
    let sum = 0;
    for (let i = 1; i <= count; i++) sum += h[(p - i) % size];
    if (op < sum / count + this.deltaDb) return false;
    this.lastOnsetFrame = p;
    return true;
  }

  /** Forgets everything. */
  reset(): void {
    this.history.fill(0);
    this.frame = 0;
    this.lastOnsetFrame = -1e9;
    this.previousGate = false;
    this.previousNewEnergy = 0;
  }
}
