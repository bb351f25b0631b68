/** Registers `<di-midi-devices>` (once per page). */
import { DiMidiDevices } from './midi-devices.component.ts';

/** The tag name of {@link DiMidiDevices}. */
export const MIDI_DEVICES_TAG = 'di-midi-devices';
if (!customElements.get(MIDI_DEVICES_TAG)) customElements.define(MIDI_DEVICES_TAG, DiMidiDevices);

export { DiMidiDevices };
