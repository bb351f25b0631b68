/**
 * Scales for the key lock, as pitch-class sets relative to the root, in the
 * order of protocol/parameters.ts's `SCALES`.
 */
export const SCALE_STEPS: readonly (readonly number[])[] = [
  [0, 2, 4, 5, 7, 9, 11], // major
  [0, 2, 3, 5, 7, 8, 10], // natural minor
  [0, 2, 3, 5, 7, 9, 10], // dorian
  [0, 2, 4, 5, 7, 9, 10], // mixolydian
  [0, 2, 4, 7, 9], // major pentatonic
  [0, 3, 5, 7, 10], // minor pentatonic
  [0, 3, 5, 6, 7, 10], // blues
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], // chromatic
];

/**
 * The nearest pitch to `pitch` whose pitch class is in the scale on `root`
 * (ties go down). Returns `pitch` unchanged for an unknown scale.
 */
export function snapToScale(pitch: number, root: number, scaleIndex: number): number {
  const steps = SCALE_STEPS[scaleIndex];
  if (!steps) return pitch;
  for (let distance = 0; distance < 12; distance++) {
    for (const candidate of [pitch - distance, pitch + distance]) {
      const pc = (((candidate - root) % 12) + 12) % 12;
      if (steps.includes(pc)) return candidate;
    }
  }
  return pitch;
}
