/**
 * Level → MIDI velocity, shared by notes and drum hits.
 */
import { Slot } from '../features/frame-state.ts';

/**
 * Maps a level linearly in dB from the silence gate (velocity 1) to 0 dBFS
 * RMS (velocity 127), rounded and clamped:
 *
 *     velocity = clamp(round(1 + 126·(L − L_silence) / (0 − L_silence)), 1, 127)
 *
 * The level L is read from slot `at` of the frame state and L_silence from
 * its `silenceDbfs` slot (see frame-state.ts), so the call never boxes a
 * double; the result is a small integer.
 */
export function levelToVelocity(state: Float64Array, at: number): number {
  const silenceDbfs = state[Slot.silenceDbfs];
  const v = Math.round(1 + (126 * (state[at] - silenceDbfs)) / -silenceDbfs);
  return v < 1 ? 1 : v > 127 ? 127 : v;
}
