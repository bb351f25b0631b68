/** Registers `<di-feature-view>` (once per page). */
import { DiFeatureView } from './feature-view.component.ts';

/** The tag name of {@link DiFeatureView}. */
export const FEATURE_VIEW_TAG = 'di-feature-view';
if (!customElements.get(FEATURE_VIEW_TAG)) customElements.define(FEATURE_VIEW_TAG, DiFeatureView);

export { DiFeatureView };
