/**
 * Readable names of the per-frame features, for display: one table for every
 * screen that shows a feature by name (the session browser's feature picker
 * and lanes). The keys are the column names the feature engine writes and
 * the session log stores (dsp/features/feature-names.ts; definitions in
 * docs/features.md); units follow the name in brackets.
 */

/** Display names of the features that are not numbered families. */
export const FEATURE_LABELS: Readonly<Record<string, string>> = Object.freeze({
  rms: 'Loudness (RMS)',
  zcr: 'Zero-crossing rate',
  centroid_hz: 'Spectral centroid (Hz)',
  bandwidth_hz: 'Spectral bandwidth (Hz)',
  rolloff_hz: 'Spectral roll-off (Hz)',
  flux: 'Spectral flux',
  flatness: 'Spectral flatness',
  f0_hz: 'Pitch f0 (Hz)',
  voiced: 'Voiced (0/1)',
  onset_strength: 'Onset strength',
});

/** Pitch classes of the chroma bins (`chroma_0` = C … `chroma_11` = B). */
export const CHROMA_LABELS: readonly string[] = Object.freeze(['C', 'C♯', 'D', 'D♯', 'E', 'F', 'F♯', 'G', 'G♯', 'A', 'A♯', 'B']);

/**
 * The display name of a feature column: `Spectral centroid (Hz)` for
 * `centroid_hz`, `MFCC 3` for `mfcc_3`, `Chroma D♯` for `chroma_3`. A name
 * the table does not know (a session from another version) is shown as stored.
 */
export function featureLabel(name: string): string {
  const known = FEATURE_LABELS[name];
  if (known !== undefined) return known;
  const family = /^(mfcc|chroma)_(\d+)$/.exec(name);
  if (family) {
    const index = Number(family[2]);
    if (family[1] === 'mfcc') return `MFCC ${index}`;
    if (index < CHROMA_LABELS.length) return `Chroma ${CHROMA_LABELS[index]}`;
  }
  return name;
}
