/**
 * What the loop GUI needs of the plugin: a structural subset of the node's
 * public API (`plugin/node.ts`'s `DeepImprovNode` satisfies it, checked by
 * `test/gui/loop/loop-host-assignable.ts`). The components in `gui/loop/`
 * talk only to this interface, so a unit test can hand them a stub.
 */
import type { MusicRequestedReport, MusicUnansweredReport, PerformerNotesReport, PhraseReport, PlannedReport } from '../../protocol/node-processor.ts';
import type { Phrase } from '../../protocol/phrase.ts';

export { PERFORMER_EVENT_STRIDE } from '../../protocol/node-processor.ts';
export type { MusicRequestedReport, MusicUnansweredReport, PerformerNotesReport, Phrase, PhraseReport, PlannedReport };

/** One parameter value as the WAM API carries it. The loop GUI always uses plain values (`normalized: false`). */
export interface ParameterEntry {
  id: string;
  value: number;
  normalized: boolean;
}

/** Parameter values keyed by id, as `getParameterValues` returns and `setParameterValues` takes them. */
export type ParameterEntries = Record<string, ParameterEntry>;

/** One latent-pad anchor, as far as the GUI cares. */
export interface LoopHostAnchor {
  label: string;
  /** The anchor's latent vector, or null when the corner is empty (the worker then draws one from the prior). */
  latent: number[] | null;
  /** The phrase the latent was captured from, when the state keeps it (null or absent: unknown). */
  phrase?: Phrase | null;
}

/** The part of the plugin state the loop GUI reads. */
export interface LoopHostState {
  /** Four anchors: 0 bottom-left, 1 bottom-right, 2 top-left, 3 top-right. */
  anchors: readonly LoopHostAnchor[];
  /** Web MIDI device choices: the hardware output (null: none) and the enabled inputs (empty: none). */
  devices: { midiOutputId: string | null; midiInputIds: readonly string[] };
}

/** A hardware MIDI port the user can pick. */
export interface LoopHostMidiPort {
  id: string;
  name: string;
}

/** The node API the loop GUI uses. Every `on…` returns the function that removes the listener. */
export interface LoopHost {
  /** The audio context; its `currentTime` (seconds) is the clock reports are on. */
  readonly context: BaseAudioContext;
  /** Current values; with no ids, all parameters. */
  getParameterValues(normalized: boolean, ...ids: string[]): Promise<ParameterEntries>;
  setParameterValues(values: ParameterEntries): Promise<void>;
  /** Each response the processor schedules. */
  onPlanned(listener: (report: PlannedReport) => void): () => void;
  /** Each finished performer phrase. */
  onPhrase(listener: (report: PhraseReport) => void): () => void;
  /** Scheduled output was cancelled (stop, mode change, disarm, panic). */
  onCancel(listener: () => void): () => void;
  /**
   * The performer's notes as they are played (about 30 Hz). Optional: without
   * it the roll shows the performer's notes when the phrase ends.
   */
  onPerformerNotes?(listener: (report: PerformerNotesReport) => void): () => void;
  /** Music requests to the worker, and requests that will not be planned. Optional: without it the state pill never shows "thinking". */
  onMusicRequest?(listener: (report: MusicRequestedReport | MusicUnansweredReport) => void): () => void;
  /** All notes off, at once. */
  panic(): void;
  /**
   * Stores the performer's latest phrase latent as anchor `index` (0–3).
   * @throws Error when nothing has been played yet.
   */
  captureAnchor(index: number): Promise<void>;
  getState(): Promise<LoopHostState>;
  /**
   * Hardware MIDI outputs. Asks the browser for MIDI access, so call it only on a user gesture.
   * @throws Error when Web MIDI is unavailable or refused.
   */
  midiOutputs(): Promise<LoopHostMidiPort[]>;
  /**
   * Chooses the hardware MIDI output (null: host output only).
   * @throws Error when Web MIDI is unavailable or the device is gone.
   */
  setMidiOutput(id: string | null): Promise<void>;
  /**
   * Hardware MIDI inputs. Asks the browser for MIDI access, so call it only on a user gesture.
   * @throws Error when Web MIDI is unavailable or refused.
   */
  midiInputs(): Promise<LoopHostMidiPort[]>;
  /**
   * Chooses the hardware MIDI inputs the plugin listens to (notes, and clock for `syncSource` = MIDI clock); empty: none.
   * Saved in the state as `devices.midiInputIds`.
   * @throws Error when Web MIDI is unavailable or a device is gone.
   */
  setMidiInputs(ids: string[]): Promise<void>;
}
