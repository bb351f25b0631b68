/**
 * Onset strength, as `librosa.onset.onset_strength(y, sr)` with its defaults
 * (`feature=melspectrogram`, `lag=1`, `max_size=1`, `aggregate=np.mean`):
 * the mean over the mel bands of the half-wave rectified frame-to-frame rise
 * of the log-mel spectrum (dB, `power_to_db` with the 80 dB floor):
 *
 *     onset_strength[t] = (1/M)·Σ_m max(0, L[m,t] − L[m,t−1])
 *
 * It is 0 for the first frame (librosa pads the first `lag` frames with 0).
 * Causal differences: the 80 dB floor of L is per frame (see power-to-db.ts),
 * and frame t is not shifted by librosa's `n_fft // (2·hop)` centring pad,
 * because our frame t already ends at its newest sample.
 */
export class OnsetStrength {
  private readonly previous: Float64Array;
  private hasPrevious = false;

  /** @param bandCount number of log-mel bands M. */
  constructor(bandCount: number) {
    this.previous = new Float64Array(bandCount);
  }

  /** Writes the onset strength of `logMel` (dB) to `out[at]` and remembers `logMel`. */
  compute(logMel: Float64Array, out: Float64Array, at: number): void {
    const prev = this.previous;
    const m = prev.length;
    let acc = 0;
    for (let i = 0; i < m; i++) {
      const rise = logMel[i] - prev[i];
      if (rise > 0) acc += rise;
      prev[i] = logMel[i];
    }
    out[at] = this.hasPrevious ? acc / m : 0;
    this.hasPrevious = true;
  }

  /** Forgets the previous frame. */
  reset(): void {
    this.previous.fill(0);
    this.hasPrevious = false;
  }
}
