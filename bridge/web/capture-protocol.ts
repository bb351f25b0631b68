/**
 * The messages between the bridge page and its MIDI capture processor
 * (capture-processor.ts), shared by both without pulling audio-thread code
 * into the page.
 */

/** Name the capture processor registers under. */
export const CAPTURE_PROCESSOR_NAME = 'deep-improv-bridge-capture';

/** The options the page passes as `processorOptions`. */
export interface CaptureOptions {
  groupId: string;
  instanceId: string;
}

/** processor → page, first: whether the WAM environment was found (the capture joined the group). */
export interface CaptureReady {
  ready: boolean;
}

/** processor → page: one captured event. */
export interface CapturedMidi {
  /** Audio-clock time of the event, seconds. */
  time: number;
  bytes: number[];
}

/** page → processor: leave the group and stop. */
export interface CaptureDestroy {
  destroy: true;
}
