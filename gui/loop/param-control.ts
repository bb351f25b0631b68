/** Registers `<di-param-control>` (once per page). */
import { DiParamControl } from './param-control.component.ts';

/** The tag name of {@link DiParamControl}. */
export const PARAM_CONTROL_TAG = 'di-param-control';
if (!customElements.get(PARAM_CONTROL_TAG)) customElements.define(PARAM_CONTROL_TAG, DiParamControl);

export { DiParamControl };
