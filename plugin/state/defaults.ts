/**
 * The default state: the one place where state defaults live (parameter
 * defaults live in `protocol/parameters.ts` and are taken from there).
 */
import { defaultParameterValues } from '../../protocol/parameters.ts';
import { DEFAULT_ANCHOR_LABELS, STATE_SCHEMA_VERSION, type Anchor, type Anchors, type DeviceChoices, type PluginState } from './schema.ts';

/** The seed a fresh plugin starts with (any uint32 would do; a fixed one keeps fresh instances reproducible). */
export const DEFAULT_SEED = 1;

/** An empty anchor (no latent, no phrase) with the default label of pad corner `index` (0–3). */
export function emptyAnchor(index: number): Anchor {
  return { label: DEFAULT_ANCHOR_LABELS[index] ?? '', latent: null, phrase: null };
}

/** Four empty anchors, labelled A–D. */
export function defaultAnchors(): Anchors {
  return [emptyAnchor(0), emptyAnchor(1), emptyAnchor(2), emptyAnchor(3)];
}

/** No Web MIDI output, no Web MIDI inputs. */
export function defaultDevices(): DeviceChoices {
  return { midiOutputId: null, midiInputIds: [] };
}

/**
 * A fresh default state: every parameter at its default, four empty anchors,
 * no Web MIDI devices, seed {@link DEFAULT_SEED}, no name. Each call returns
 * new objects, so callers may change what they get.
 */
export function defaultState(): PluginState {
  return {
    schemaVersion: STATE_SCHEMA_VERSION,
    parameters: defaultParameterValues(),
    anchors: defaultAnchors(),
    devices: defaultDevices(),
    seed: DEFAULT_SEED,
  };
}
