/**
 * A named preset: a whole plugin state with a name and a one-line
 * description. Factory presets (`factory.ts`) and user presets
 * (`user-store.ts`) share this shape.
 */
import type { PluginState } from '../state/schema.ts';

/** A named plugin state. */
export interface Preset {
  /** Stable id: a slug for factory presets (e.g. `echo-chamber`), a random id for user presets. */
  id: string;
  /** Name shown in the preset list (at most 256 characters). */
  name: string;
  /** One line saying what the preset does (empty for user presets). */
  description: string;
  /** The state it applies, already validated. */
  state: PluginState;
}
