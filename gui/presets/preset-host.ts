/**
 * What the preset bar needs of the plugin: read the whole state, set a whole
 * state. `plugin/node.ts`'s `DeepImprovNode` satisfies it (checked at compile
 * time by `test/presets/preset-host-assignable.ts`); tests hand the bar a stub.
 */
import type { PluginState } from '../../plugin/state/schema.ts';

/** The plugin as the preset bar sees it. */
export interface PresetHost {
  /** The complete current state. */
  getState(): Promise<PluginState>;
  /**
   * Replaces the whole state.
   * @throws StateError when the state is invalid; the plugin's state is then unchanged.
   */
  setState(state: PluginState): Promise<void>;
}
