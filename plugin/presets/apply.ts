/**
 * Applying a preset to a running plugin. A preset sets the sound and
 * behaviour, but the performer's own Web MIDI devices stay chosen: a preset
 * made on another machine names devices that do not exist here, and loading
 * one should never disconnect the hardware that is playing.
 */
import type { PluginState } from '../state/schema.ts';
import { validateState } from '../state/validate.ts';

/**
 * The state to set when loading `preset` while `current` is playing: all of
 * the preset (parameters, anchors, seed, name), with `current`'s devices.
 * Both are validated, so the result is a fresh, valid state.
 * @throws StateError when either is not a valid state.
 */
export function applyPreset(current: PluginState, preset: PluginState): PluginState {
  const devices = validateState(current).devices;
  const next = validateState(preset);
  next.devices = devices;
  return next;
}
