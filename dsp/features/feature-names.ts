/**
 * The per-frame feature vector: names, order and indices. The same names and
 * order are the columns of `deep-improv analyze` (after `time_s`), the rows of
 * the live GUI stream and the session log. Definitions: docs/features.md.
 */

/** Number of MFCC coefficients (`mfcc_0` … `mfcc_12`). */
export const MFCC_COUNT = 13;
/** Number of chroma bins (`chroma_0` = C … `chroma_11` = B). */
export const CHROMA_COUNT = 12;

function buildNames(): readonly string[] {
  const names = ['rms', 'zcr', 'centroid_hz', 'bandwidth_hz', 'rolloff_hz', 'flux', 'flatness'];
  for (let i = 0; i < MFCC_COUNT; i++) names.push(`mfcc_${i}`);
  for (let i = 0; i < CHROMA_COUNT; i++) names.push(`chroma_${i}`);
  names.push('f0_hz', 'voiced', 'onset_strength');
  return Object.freeze(names);
}

/**
 * The 35 feature names, in output order (the analyze columns after `time_s`):
 * `rms, zcr, centroid_hz, bandwidth_hz, rolloff_hz, flux, flatness,
 * mfcc_0 … mfcc_12, chroma_0 … chroma_11, f0_hz, voiced, onset_strength`.
 */
export const FEATURE_NAMES: readonly string[] = buildNames();

/** Number of features per frame (35). */
export const FEATURE_COUNT = FEATURE_NAMES.length;

/** Index of each feature in a frame vector (`features[FeatureIndex.rms]`). */
export const FeatureIndex = Object.freeze({
  rms: 0,
  zcr: 1,
  centroidHz: 2,
  bandwidthHz: 3,
  rolloffHz: 4,
  flux: 5,
  flatness: 6,
  /** First MFCC; `mfcc_i` is at `mfcc0 + i`. */
  mfcc0: 7,
  /** First chroma bin (C); `chroma_i` is at `chroma0 + i`. */
  chroma0: 7 + MFCC_COUNT,
  f0Hz: 7 + MFCC_COUNT + CHROMA_COUNT,
  voiced: 8 + MFCC_COUNT + CHROMA_COUNT,
  onsetStrength: 9 + MFCC_COUNT + CHROMA_COUNT,
});
