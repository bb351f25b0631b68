/** Styles of `<di-piano-roll>`: the canvas, and a strip under it with the legend, "now" and the answer's clip. */
import { css } from 'lit';

export const pianoRollStyles = css`
  :host { display: flex; flex-direction: column; gap: 4px; min-height: 120px; }
  .frame { position: relative; flex: 1; min-height: 0; border: 1px solid var(--di-border); border-radius: 6px; overflow: hidden; background: var(--di-well); }
  canvas { display: block; width: 100%; height: 100%; }
  .frame.over-answer { cursor: grab; }
  .strip { display: flex; align-items: center; gap: 8px; height: 22px; }
  .legend { display: flex; gap: 10px; color: var(--di-muted); font-size: 11px; }
  .swatch { display: inline-block; width: 9px; height: 9px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
  .spacer { flex: 1; }
  .live, .clip { font-size: 11px; height: 22px; }
  .clip { cursor: grab; color: var(--di-response); border-color: rgba(255, 169, 77, 0.55); background: rgba(255, 169, 77, 0.08); }
  .clip:hover:not(:disabled) { background: rgba(255, 169, 77, 0.18); }
  .clip .grip { margin-right: 5px; opacity: 0.7; }
  .hint { color: var(--di-faint); font-size: 11px; }
`;
