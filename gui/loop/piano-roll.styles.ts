/** Styles of `<di-piano-roll>`. */
import { css } from 'lit';

export const pianoRollStyles = css`
  :host { display: block; position: relative; min-height: 120px; }
  .frame { position: absolute; inset: 0; border: 1px solid var(--di-border); border-radius: 6px; overflow: hidden; background: var(--di-well); }
  canvas { display: block; width: 100%; height: 100%; }
  .legend {
    position: absolute; top: 4px; right: 6px; display: flex; gap: 10px; padding: 1px 6px; border-radius: 3px;
    background: rgba(19, 21, 26, 0.8); color: var(--di-muted); font-size: 11px; pointer-events: none;
  }
  .swatch { display: inline-block; width: 9px; height: 9px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
  .live { position: absolute; bottom: 6px; right: 6px; font-size: 11px; }
`;
