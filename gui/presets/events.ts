/**
 * Events `<di-preset-bar>` dispatches (bubbling and composed, so they cross
 * shadow roots), for a parent that wants to react to preset changes.
 */

/** Where a loaded preset came from. */
export type PresetSource = 'factory' | 'user' | 'file' | 'link';

/** Name of the event sent after a preset has been applied to the plugin. */
export const PRESET_LOADED_EVENT = 'di-preset-loaded';
/** Detail of {@link PRESET_LOADED_EVENT}. */
export interface PresetLoadedDetail {
  name: string;
  source: PresetSource;
}

/** Name of the event sent when a preset action fails (the bar also shows the message). */
export const PRESET_ERROR_EVENT = 'di-preset-error';
/** Detail of {@link PRESET_ERROR_EVENT}: the message shown, and the error's class name (`StateError`, `PresetStoreError`, …). */
export interface PresetErrorDetail {
  message: string;
  errorName: string;
}

declare global {
  interface HTMLElementEventMap {
    [PRESET_LOADED_EVENT]: CustomEvent<PresetLoadedDetail>;
    [PRESET_ERROR_EVENT]: CustomEvent<PresetErrorDetail>;
  }
}
