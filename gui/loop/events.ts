/**
 * Events the loop GUI's controls dispatch to the panel (bubbling and
 * composed, so they cross shadow roots). The panel, not the control, talks
 * to the node.
 */
import type { LoopActivityState } from './loop-activity.ts';

/** Name of the event a control dispatches when the user changes a parameter. */
export const PARAM_CHANGE_EVENT = 'di-param-change';

/** Detail of {@link PARAM_CHANGE_EVENT}: a parameter id and its new value in plain units. */
export interface ParamChangeDetail {
  id: string;
  value: number;
}

/** Name of the event the latent pad dispatches when the user asks to capture an anchor. */
export const CAPTURE_ANCHOR_EVENT = 'di-capture-anchor';

/** Detail of {@link CAPTURE_ANCHOR_EVENT}: the anchor index, 0 bottom-left, 1 bottom-right, 2 top-left, 3 top-right. */
export interface CaptureAnchorDetail {
  index: number;
}

/** Name of the event the piano roll dispatches when what the plugin is doing changes (listening, thinking, answering…). */
export const LOOP_ACTIVITY_EVENT = 'di-loop-activity';

/** Detail of {@link LOOP_ACTIVITY_EVENT}. */
export interface LoopActivityDetail {
  state: LoopActivityState;
}

/** Name of the event the MIDI-input picker dispatches when the user's choice of inputs changes (or is taken back). */
export const MIDI_INPUTS_EVENT = 'di-midi-inputs';

/** Detail of {@link MIDI_INPUTS_EVENT}: the enabled inputs' ids. */
export interface MidiInputsDetail {
  ids: readonly string[];
}

/** Dispatches a {@link PARAM_CHANGE_EVENT} from `target`. */
export function dispatchParamChange(target: EventTarget, id: string, value: number): void {
  target.dispatchEvent(new CustomEvent<ParamChangeDetail>(PARAM_CHANGE_EVENT, { detail: { id, value }, bubbles: true, composed: true }));
}

declare global {
  interface HTMLElementEventMap {
    [PARAM_CHANGE_EVENT]: CustomEvent<ParamChangeDetail>;
    [CAPTURE_ANCHOR_EVENT]: CustomEvent<CaptureAnchorDetail>;
    [LOOP_ACTIVITY_EVENT]: CustomEvent<LoopActivityDetail>;
    [MIDI_INPUTS_EVENT]: CustomEvent<MidiInputsDetail>;
  }
}
