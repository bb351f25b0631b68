/** Registers `<deep-improv-gui>` (once per page, whatever the number of instances). */
import { DeepImprovGui } from './root.component.ts';

export const ROOT_TAG = 'deep-improv-gui';
if (!customElements.get(ROOT_TAG)) customElements.define(ROOT_TAG, DeepImprovGui);

export { DeepImprovGui };
