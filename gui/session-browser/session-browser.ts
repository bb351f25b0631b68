/** Registers `<di-session-browser>` (once per page, whatever the number of instances). */
import { DiSessionBrowser } from './session-browser.component.ts';

/** The tag name of {@link DiSessionBrowser}. */
export const SESSION_BROWSER_TAG = 'di-session-browser';
if (!customElements.get(SESSION_BROWSER_TAG)) customElements.define(SESSION_BROWSER_TAG, DiSessionBrowser);

export { DiSessionBrowser };
export type { SessionLogApi } from '../../plugin/gui-api.ts';
export * from './events.ts';
