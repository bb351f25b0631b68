/**
 * The plugin's state: the one schema that `getState()` returns, `setState()`
 * accepts, presets store, preset files carry and share links encode.
 *
 * Everything needed to restore the plugin is here: every parameter of
 * `protocol/parameters.ts` (which includes the mode, the model name, the key and
 * scale and the MIDI channels), the four latent-pad anchors (their latent
 * vectors and the phrases they came from), the Web MIDI device choices and
 * the random seed. The validator (`validate.ts`) is the only way in from
 * outside; inside the plugin a `PluginState` can be trusted.
 */
import type { ModelName, ParameterValues } from '../../protocol/parameters.ts';
import type { Phrase } from '../../protocol/phrase.ts';

/**
 * The current schema version. Version 1 is the 0.0.x shell's format (the WAM
 * SDK's default `{ version: 1, parameterValues }`), migrated on load by
 * `migrate.ts`. Bump this when the shape changes, and add a migration.
 */
export const STATE_SCHEMA_VERSION = 2;

/** The oldest schema version that still loads (through a migration). */
export const OLDEST_SCHEMA_VERSION = 1;

/** How many anchors the latent pad has (its four corners). */
export const ANCHOR_COUNT = 4;

/** Size bounds. Input outside them is rejected with a `StateError`, never truncated silently. */
export const STATE_LIMITS = {
  /** Longest string anywhere in a state (names, labels, device ids), in UTF-16 code units. */
  maxStringChars: 256,
  /** Longest JSON text accepted (a state, a preset file, a decompressed share string), in UTF-16 code units (2 MiB). */
  maxJsonChars: 2 * 1024 * 1024,
  /** Deepest nesting of arrays/objects accepted in JSON text. A valid state nests 6 levels deep. */
  maxJsonDepth: 32,
  /**
   * Largest magnitude of one latent coordinate. The models' prior is a
   * standard normal, so their latents sit within a few units of 0; 16 is far
   * beyond anything they produce, and keeps a corrupted anchor (1e300) from
   * pinning the pad's decoder to one extreme note.
   */
  maxLatentAbs: 16,
  /** Most notes in an anchor's phrase. */
  maxPhraseNotes: 4096,
  /** Most Web MIDI inputs listened to at once. */
  maxMidiInputs: 64,
  /** Phrase bounds: start and length in beats, tempo in BPM, beats per bar. */
  maxPhraseBeats: 1024,
  maxTempoBpm: 1000,
  maxBeatsPerBar: 32,
} as const;

/**
 * The latent size (dimensions of z) of each shipped model, the length every
 * anchor latent must have. The weights' `model.json` (`latentSize`) must
 * agree; `test/plugin/state/validate.test.ts` checks that it does.
 */
export const LATENT_SIZES: Readonly<Record<ModelName, number>> = { melody: 32, drums: 32 };

/** The default labels of the four anchors, in pad-corner order: 0 bottom-left, 1 bottom-right, 2 top-left, 3 top-right (as the worker's responder and the pad GUI use them). */
export const DEFAULT_ANCHOR_LABELS = ['A', 'B', 'C', 'D'] as const;

/**
 * One corner of the latent pad. The pad interpolates between the four
 * anchors' latent vectors.
 *
 * A `latent` of `null` with a `phrase` means "encode this phrase with the
 * current model when loaded" (factory presets ship phrases, not latents, so
 * they survive retrained weights). Both `null` means the corner is empty.
 */
export interface Anchor {
  /** Label shown on the pad (at most 256 characters). */
  label: string;
  /** The latent vector (exactly `LATENT_SIZES[model]` numbers, each within ±`STATE_LIMITS.maxLatentAbs`), or null. */
  latent: number[] | null;
  /** The phrase the latent came from (at most 4096 notes), or null. */
  phrase: Phrase | null;
}

/** The four anchors, in pad-corner order: 0 bottom-left, 1 bottom-right, 2 top-left, 3 top-right. */
export type Anchors = [Anchor, Anchor, Anchor, Anchor];

/** Web MIDI device choices, by the ids Web MIDI reports. */
export interface DeviceChoices {
  /** The Web MIDI output generated notes go to, or null for none (host MIDI output only). */
  midiOutputId: string | null;
  /** Web MIDI inputs the plugin listens to (no duplicates, at most 64). */
  midiInputIds: string[];
}

/** The whole plugin state, schema version 2. */
export interface PluginState {
  schemaVersion: typeof STATE_SCHEMA_VERSION;
  /** Preset name, when the state came from or goes to a preset (at most 256 characters). */
  name?: string;
  /** Every parameter of `PARAMETERS`, by id, in its range (whole numbers for int, boolean and choice parameters). */
  parameters: ParameterValues;
  anchors: Anchors;
  devices: DeviceChoices;
  /** Seed of the generator's random numbers, an unsigned 32-bit integer. The same state and seed give the same output. */
  seed: number;
}

/**
 * The version-1 ("0.0.x shell") state: the WAM SDK's default `getState()`
 * shape. The SDK itself writes it without `version`; both load.
 */
export interface StateV1 {
  version?: 1;
  parameterValues: Record<string, { id: string; value: number; normalized: boolean } | number>;
}
