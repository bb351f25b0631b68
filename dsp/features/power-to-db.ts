/**
 * Power → decibels, as `librosa.power_to_db(S, ref=1.0, amin=1e-10,
 * top_db=80.0)`:
 *
 *     db = 10·log10(max(amin, S)),  then  db = max(db, max(db) − top_db)
 *
 * Causal difference: librosa takes `max(db)` over the whole spectrogram; a
 * real-time engine cannot see the future, so the 80 dB floor is taken per
 * frame (over that frame's bands). For a steady signal the two agree; across
 * a quiet passage inside a loud file this floor sits lower than librosa's.
 */

/** librosa's `amin`: the power floor, so silence is −100 dB. */
export const AMIN = 1e-10;
/** librosa's `top_db`: the dynamic range kept below each frame's maximum, in dB. */
export const TOP_DB = 80;

/** Converts `power[0 … count−1]` to dB into `out` with the per-frame 80 dB floor. */
export function powerToDb(power: Float64Array, out: Float64Array, count: number): void {
  let max = -Infinity;
  for (let i = 0; i < count; i++) {
    const p = power[i];
    const db = 10 * Math.log10(Math.max(p, AMIN));
    out[i] = db;
    if (db > max) max = db;
  }
  const floor = max - TOP_DB;
  for (let i = 0; i < count; i++) if (out[i] < floor) out[i] = floor;
}
