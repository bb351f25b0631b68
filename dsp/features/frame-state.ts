/**
 * Per-frame scalars shared between the engine and its trackers, as slots of
 * one Float64Array. Hot-path calls pass this array (and integer indices)
 * instead of bare numbers: a non-inlined call taking or returning a
 * non-integer double makes V8 box it (a 16-byte heap allocation), which would
 * break the engine's zero-allocation guarantee.
 */
export const Slot = Object.freeze({
  /** End (exclusive) of the current frame, in input samples. */
  frameEnd: 0,
  /** Frame RMS (linear). */
  rms: 1,
  /** Frame RMS level, dBFS (−200 for silence). */
  levelDbfs: 2,
  /** 1 when the frame is above the silence gate, else 0. */
  gate: 3,
  /** YIN fundamental, Hz (0 when unvoiced). */
  f0Hz: 4,
  /** Fractional MIDI pitch of f0 (0 when unvoiced). */
  midi: 5,
  /** 1 when voiced and above the gate, else 0. */
  voiced: 6,
  /** The time the pitch estimate describes (the YIN window's centre), in input samples. */
  pitchSample: 7,
  /** Onset strength of this frame, dB. */
  onsetStrength: 8,
  /** Refined onset sample when the onset picker fired this frame, else −1. */
  onsetSample: 9,
  /** Onset strength at the onset's peak frame, dB (valid when onsetSample ≥ 0). */
  onsetPeakStrength: 10,
  /** Scratch for level → velocity conversions, dBFS. */
  scratchDbfs: 11,
  /** The silence gate, dBFS (constant: set at construction). */
  silenceDbfs: 12,
  /** New-energy fraction of this frame (see new-energy.ts). */
  newEnergy: 13,
});

/** Number of slots. */
export const SLOT_COUNT = 14;
