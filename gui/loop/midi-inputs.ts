/** Registers `<di-midi-inputs>` (once per page). */
import { DiMidiInputs } from './midi-inputs.component.ts';

/** The tag name of {@link DiMidiInputs}. */
export const MIDI_INPUTS_TAG = 'di-midi-inputs';
if (!customElements.get(MIDI_INPUTS_TAG)) customElements.define(MIDI_INPUTS_TAG, DiMidiInputs);

export { DiMidiInputs };
