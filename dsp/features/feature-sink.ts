/**
 * Where {@link FeatureEngine} delivers its results. Every callback receives
 * primitives or the engine's reused arrays only, so calling it allocates
 * nothing; a sink that keeps data must copy it.
 */
export interface FeatureSink {
  /**
   * One analysis frame. `features` is REUSED by the next frame (copy it to
   * keep it); its layout is `FEATURE_NAMES`.
   * @param frameIndex k: the frame covers input samples `[k·hop, k·hop + frameSize)`
   *   counted from the engine's first sample (or the last reset), so its
   *   `time_s` is `k·hop / sampleRate`. It is delivered when its last sample arrives.
   */
  onFrame(frameIndex: number, features: Float32Array): void;
  /**
   * A finished monophonic note (delivered when it ends).
   * @param pitch MIDI note number 0–127 (A4 = 69 = 440 Hz).
   * @param velocity MIDI velocity 1–127, from the note's peak level.
   * @param startSample onset, in input samples from the engine's first sample.
   * @param endSample end (exclusive), in input samples; > startSample.
   */
  onNote?(pitch: number, velocity: number, startSample: number, endSample: number): void;
  /**
   * A drum hit (delivered about one hop after it happens).
   * @param gmPitch General MIDI percussion key: 36 kick, 38 snare, 42 closed hi-hat.
   * @param velocity MIDI velocity 1–127.
   * @param sample onset, in input samples from the engine's first sample.
   */
  onDrumHit?(gmPitch: number, velocity: number, sample: number): void;
}
