/** Registers `<di-piano-roll>` (once per page). */
import { DiPianoRoll } from './piano-roll.component.ts';

/** The tag name of {@link DiPianoRoll}. */
export const PIANO_ROLL_TAG = 'di-piano-roll';
if (!customElements.get(PIANO_ROLL_TAG)) customElements.define(PIANO_ROLL_TAG, DiPianoRoll);

export { DiPianoRoll };
