/**
 * Where in a phrase the processor sends the worker a phrase update (the
 * notes so far, for anytime encoding: models/runtime/warm-latent.ts), and the
 * worker refines on them: at each whole beat, and at each 16th-note step of
 * the last beat before a bar line, where the request for that bar line may
 * come next. The last updates before the request count most: the nearer the
 * warm latent is to the whole phrase, the further the few steps at the
 * request take it.
 *
 * Units: 16th-note steps from the phrase's start, a bar line (notes played
 * up to half a step early count on its first step); bars of 4/4, the models'
 * (16 steps).
 */

/** Steps per beat (16th notes). */
export const UPDATE_STEPS_PER_BEAT = 4;
/** Steps per bar of the models' 4/4. */
export const UPDATE_STEPS_PER_BAR = 16;

/**
 * The least time, seconds, between a step update and the decision for the
 * bar line after it (0.02): the worker refines on it for about 13 ms (20
 * gradient steps in a Chromium worker), and a request that arrives while it
 * does waits for it. At the least decision lead (0.1 s) and no output
 * latency, the update a step before the bar line is in time up to 125 BPM.
 */
export const STEP_UPDATE_MARGIN_S = 0.02;

/** True when `step` (whole steps played) is an update point: a whole beat, or a step of the last beat before a bar line (13–15 of each 16). */
export function isUpdatePoint(step: number): boolean {
  return step > 0 && (step % UPDATE_STEPS_PER_BEAT === 0 || step % UPDATE_STEPS_PER_BAR > UPDATE_STEPS_PER_BAR - UPDATE_STEPS_PER_BEAT);
}

/** True when `step` is a step update (not a whole beat): it is sent only while {@link stepUpdateInTime}. */
export function isStepUpdate(step: number): boolean {
  return isUpdatePoint(step) && step % UPDATE_STEPS_PER_BEAT !== 0;
}

/** Beats from the phrase's start to the bar line after update point `step` (the phrase's own bar lines, every 16 steps). */
export function barLineAfter(step: number): number {
  return (Math.floor(step / UPDATE_STEPS_PER_BAR) + 1) * (UPDATE_STEPS_PER_BAR / UPDATE_STEPS_PER_BEAT);
}

/**
 * True when an update sent at `playedBeats` (beats from the phrase start)
 * leaves at least {@link STEP_UPDATE_MARGIN_S} before the decision for the
 * next bar line, taken `leadBeats` before it.
 * @param beatsPerSecond the tempo, beats per second.
 */
export function stepUpdateInTime(step: number, playedBeats: number, leadBeats: number, beatsPerSecond: number): boolean {
  return barLineAfter(step) - leadBeats - playedBeats >= STEP_UPDATE_MARGIN_S * beatsPerSecond;
}

/** The processor's least decision lead, seconds before a bar line (the loop's `leadFrames`; replies that have lately been slow lengthen it). */
export const DECISION_LEAD_S = 0.1;

/**
 * The update points a processor sends while a whole window of `steps` is
 * played at `tempoBpm`, deciding `leadS` before each bar line: every whole
 * beat before the window's end, and the step updates in time
 * ({@link stepUpdateInTime}). What `deep-improv respond` and
 * `eval --anytime` play a window with.
 * @param leadS default {@link DECISION_LEAD_S}.
 */
export function windowUpdatePoints(steps: number, tempoBpm: number, leadS = DECISION_LEAD_S): number[] {
  const beatsPerSecond = tempoBpm / 60;
  const points: number[] = [];
  for (let step = 1; step < steps; step++) {
    if (!isUpdatePoint(step)) continue;
    if (isStepUpdate(step) && !stepUpdateInTime(step, step / UPDATE_STEPS_PER_BEAT, leadS * beatsPerSecond, beatsPerSecond)) continue;
    points.push(step);
  }
  return points;
}
