/** Registers `<di-loop-panel>` and the elements it uses (once per page). */
import { DiLoopPanel } from './loop-panel.component.ts';

/** The tag name of {@link DiLoopPanel}. */
export const LOOP_PANEL_TAG = 'di-loop-panel';
if (!customElements.get(LOOP_PANEL_TAG)) customElements.define(LOOP_PANEL_TAG, DiLoopPanel);

export { DiLoopPanel };
export type { LoopHost } from './loop-host.ts';
