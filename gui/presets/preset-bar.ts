/** Registers `<di-preset-bar>` (once per page, whatever the number of instances). */
import { DiPresetBar } from './preset-bar.component.ts';

/** The tag name of {@link DiPresetBar}. */
export const PRESET_BAR_TAG = 'di-preset-bar';
if (!customElements.get(PRESET_BAR_TAG)) customElements.define(PRESET_BAR_TAG, DiPresetBar);

export { DiPresetBar };
export type { PresetService } from '../../plugin/gui-api.ts';
