/**
 * Events the loop GUI's controls dispatch to the panel (bubbling and
 * composed, so they cross shadow roots). The panel, not the control, talks
 * to the node.
 */

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

/** Dispatches a {@link PARAM_CHANGE_EVENT} from `target`. */
export function dispatchParamChange(target: EventTarget, id: string, value: number): void {
  target.dispatchEvent(new CustomEvent<ParamChangeDetail>(PARAM_CHANGE_EVENT, { detail: { id, value }, bubbles: true, composed: true }));
}

declare global {
  interface HTMLElementEventMap {
    [PARAM_CHANGE_EVENT]: CustomEvent<ParamChangeDetail>;
    [CAPTURE_ANCHOR_EVENT]: CustomEvent<CaptureAnchorDetail>;
  }
}
