/**
 * Online key estimate from chroma (Krumhansl–Schmuckler key finding with the
 * Krumhansl & Kessler 1982 probe-tone profiles; C. Krumhansl, "Cognitive
 * Foundations of Musical Pitch", 1990): a leaky sum of the frames' chroma
 * vectors (time constant 10 s; frames below the silence gate are skipped) is
 * correlated (Pearson) with the 24 rotated major and minor profiles; the key
 * is the best match.
 *
 * Key index: 0–11 = C … B major, 12–23 = C … B minor (tonic = index mod 12);
 * −1 until a non-silent frame was seen.
 */

const MAJOR = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
const MINOR = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];

/** The key names live with the feature stream's payload, which carries the key index. */
export { KEY_NAMES, keyName } from '../../protocol/features.ts';

/** Online Krumhansl–Schmuckler key tracker. Allocates only in the constructor. */
export class KeyTracker {
  /** Zero-mean, unit-norm profiles, rotated: profiles[key·12 + pitchClass]. */
  private readonly profiles = new Float64Array(24 * 12);
  private readonly sum = new Float64Array(12);
  private readonly decay: number;
  private key = -1;

  /** @param framesPerSecond sr / hop. */
  constructor(framesPerSecond: number) {
    this.decay = Math.exp(-1 / (10 * framesPerSecond));
    for (let mode = 0; mode < 2; mode++) {
      const base = mode === 0 ? MAJOR : MINOR;
      const mean = base.reduce((s, v) => s + v, 0) / 12;
      const norm = Math.sqrt(base.reduce((s, v) => s + (v - mean) ** 2, 0));
      for (let tonic = 0; tonic < 12; tonic++) {
        for (let pc = 0; pc < 12; pc++) this.profiles[(mode * 12 + tonic) * 12 + pc] = (base[(pc - tonic + 12) % 12] - mean) / norm;
      }
    }
  }

  /** Current key index (see module doc); −1 while unknown. */
  get keyIndex(): number {
    return this.key;
  }

  /** Adds one frame's chroma (12 values, C … B) when `gate` is true, and updates the key. */
  update(chroma: Float64Array, gate: boolean): void {
    if (!gate) return;
    const s = this.sum;
    let mean = 0;
    for (let c = 0; c < 12; c++) {
      s[c] = this.decay * s[c] + chroma[c];
      mean += s[c];
    }
    mean /= 12;
    let best = -1;
    let bestScore = -Infinity;
    // The correlation's denominator is the same for every key: the argmax needs only the dot product.
    for (let key = 0; key < 24; key++) {
      let dot = 0;
      const base = key * 12;
      for (let c = 0; c < 12; c++) dot += (s[c] - mean) * this.profiles[base + c];
      if (dot > bestScore) {
        bestScore = dot;
        best = key;
      }
    }
    let spread = 0;
    for (let c = 0; c < 12; c++) spread += Math.abs(s[c] - mean);
    if (spread > 0) this.key = best;
  }

  /** Forgets everything. */
  reset(): void {
    this.sum.fill(0);
    this.key = -1;
  }
}
