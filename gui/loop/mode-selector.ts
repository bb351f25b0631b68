/** Registers `<di-mode-selector>` (once per page). */
import { DiModeSelector } from './mode-selector.component.ts';

/** The tag name of {@link DiModeSelector}. */
export const MODE_SELECTOR_TAG = 'di-mode-selector';
if (!customElements.get(MODE_SELECTOR_TAG)) customElements.define(MODE_SELECTOR_TAG, DiModeSelector);

export { DiModeSelector };
