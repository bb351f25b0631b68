/** Registers `<di-latent-pad>` (once per page). */
import { DiLatentPad } from './latent-pad.component.ts';

/** The tag name of {@link DiLatentPad}. */
export const LATENT_PAD_TAG = 'di-latent-pad';
if (!customElements.get(LATENT_PAD_TAG)) customElements.define(LATENT_PAD_TAG, DiLatentPad);

export { DiLatentPad };
