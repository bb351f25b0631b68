/**
 * The step grid shared by both representations: 16th-note steps, 4 steps per
 * quarter-note beat, 2 bars of 4/4 per window (MusicVAE's 2-bar setting).
 */

/** Steps per quarter-note beat (16th notes). */
export const STEPS_PER_BEAT = 4;
/** Beats per bar of 4/4. */
export const BEATS_PER_BAR = 4;
/** Steps per bar of 4/4. */
export const STEPS_PER_BAR = STEPS_PER_BEAT * BEATS_PER_BAR;
/** Steps in one model window: 2 bars. */
export const WINDOW_STEPS = 2 * STEPS_PER_BAR;
/** Length of one model window, in beats. */
export const WINDOW_BEATS = WINDOW_STEPS / STEPS_PER_BEAT;
