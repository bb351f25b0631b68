/** The demo synth's node ↔ processor messages (beside the SDK's). */

/** One received MIDI event, as the synth placed it. */
export interface ReceivedMidi {
  /** Absolute sample frame (audio clock) the event was placed at. */
  frame: number;
  status: number;
  data1: number;
  data2: number;
}

/** Node → processor. */
export type SynthRequest = { type: 'received'; id: number } | { type: 'clear' };

/** Processor → node. */
export type SynthReply = { type: 'received'; id: number; events: ReceivedMidi[]; activeNotes: number };

/** The id the demo synth registers under. */
export const SYNTH_MODULE_ID = 'com.deepimprov.DemoSynth@1';
