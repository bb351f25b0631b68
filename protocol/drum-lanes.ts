/**
 * The drum model's 9 classes as lanes a drum roll draws, top to bottom in
 * class order (kick first), with the General MIDI keys each lane takes.
 * The keys are those of models/representation/drums.ts (MusicVAE's
 * `DEFAULT_DRUM_TYPE_PITCHES`); test/protocol/drum-lanes.test.ts checks
 * that the two tables agree. Lives here so the GUI needs no model code.
 */

/** One drum lane. */
export interface DrumLane {
  /** Stable id, as the model names the class ('closed-hat'). */
  id: string;
  /** Short label for a lane gutter ('closed hat'). */
  label: string;
  /** The General MIDI keys drawn in this lane; the first is the one the model writes. */
  pitches: readonly number[];
}

/** The lanes, in the drum model's class order. */
export const DRUM_LANES: readonly DrumLane[] = [
  { id: 'kick', label: 'kick', pitches: [36, 35] },
  { id: 'snare', label: 'snare', pitches: [38, 27, 28, 31, 32, 33, 34, 37, 39, 40, 56, 65, 66, 75, 85] },
  { id: 'closed-hat', label: 'closed hat', pitches: [42, 44, 54, 68, 69, 70, 71, 73, 78, 80, 22] },
  { id: 'open-hat', label: 'open hat', pitches: [46, 67, 72, 74, 79, 81, 26] },
  { id: 'low-tom', label: 'low tom', pitches: [45, 29, 41, 43, 61, 64, 84] },
  { id: 'mid-tom', label: 'mid tom', pitches: [48, 47, 60, 63, 77, 86, 87] },
  { id: 'high-tom', label: 'high tom', pitches: [50, 30, 62, 76, 83] },
  { id: 'crash', label: 'crash', pitches: [49, 52, 55, 57, 58] },
  { id: 'ride', label: 'ride', pitches: [51, 53, 59, 82] },
];

const LANE_OF_PITCH = new Int8Array(128).fill(-1);
DRUM_LANES.forEach((lane, index) => lane.pitches.forEach((p) => (LANE_OF_PITCH[p] = index)));

/** The lane index (into {@link DRUM_LANES}) of a General MIDI key, or −1 when no lane takes it. */
export function drumLaneOf(pitch: number): number {
  return Number.isInteger(pitch) && pitch >= 0 && pitch < 128 ? LANE_OF_PITCH[pitch] : -1;
}
