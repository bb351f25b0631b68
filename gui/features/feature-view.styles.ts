/** Styles of `<di-feature-view>`. */
import { css } from 'lit';

export const featureViewStyles = css`
  :host { display: block; position: relative; min-height: 160px; height: 220px; }
  .frame { position: absolute; inset: 0; border: 1px solid var(--di-border); border-radius: 6px; overflow: hidden; background: var(--di-well); }
  canvas { display: block; width: 100%; height: 100%; }
`;
