/**
 * New-energy fraction: how much of a frame's energy was not there two frames
 * before, on the mel power spectrum M:
 *
 *     nef[t] = Σ_m max(0, M[m,t] − M[m,t−2]) / Σ_m M[m,t]
 *
 * The dB onset strength treats every band alike, so a quiet change (the
 * spectral splatter of a note's release, a fluctuation in a band 60 dB down)
 * can peak like an attack; an attack also adds a real share of the frame's
 * energy. The onset picker uses this to reject the former. 1 for a sound out
 * of silence, ~0 for a decay.
 */
import { Slot } from '../features/frame-state.ts';

/** Tracks the new-energy fraction frame by frame. Allocates only in the constructor. */
export class NewEnergy {
  private readonly state: Float64Array;
  private readonly history: Float64Array;
  private readonly bands: number;
  private frame = 0;

  /** @param state the engine's frame state (writes `newEnergy`). @param bands mel band count. */
  constructor(state: Float64Array, bands: number) {
    this.state = state;
    this.bands = bands;
    this.history = new Float64Array(3 * bands);
  }

  /** Adds frame t's mel power and writes nef[t] to the frame state. */
  update(melPower: Float64Array): void {
    const m = this.bands;
    const h = this.history;
    const row = (this.frame % 3) * m;
    const old = ((this.frame + 1) % 3) * m;
    let added = 0;
    let total = 0;
    for (let i = 0; i < m; i++) {
      const p = melPower[i];
      added += Math.max(0, p - h[old + i]);
      total += p;
      h[row + i] = p;
    }
    this.frame++;
    this.state[Slot.newEnergy] = total > 1e-30 ? added / total : 0;
  }

  /** Forgets everything. */
  reset(): void {
    this.history.fill(0);
    this.frame = 0;
  }
}
