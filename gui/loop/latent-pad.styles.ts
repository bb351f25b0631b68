/** Styles of `<di-latent-pad>`. */
import { css } from 'lit';

export const latentPadStyles = css`
  :host { display: block; position: relative; user-select: none; -webkit-user-select: none; }
  .pad {
    position: relative; width: 100%; aspect-ratio: 1; border: 1px solid var(--di-border); border-radius: 6px; overflow: hidden;
    background-color: var(--di-well);
    background-image:
      linear-gradient(to right, var(--di-line) 1px, transparent 1px),
      linear-gradient(to top, var(--di-line) 1px, transparent 1px);
    background-size: 25% 25%;
    background-position: -1px 100%;
    touch-action: none; cursor: crosshair;
  }
  :host([inactive]) .pad { opacity: 0.55; }
  canvas { position: absolute; inset: 0; width: 100%; height: 100%; pointer-events: none; }
  .cross { position: absolute; background: rgba(109, 139, 255, 0.25); pointer-events: none; }
  .cross.h { left: 0; right: 0; height: 1px; }
  .cross.v { top: 0; bottom: 0; width: 1px; }
  .puck {
    position: absolute; width: 14px; height: 14px; margin: -7px 0 0 -7px; border-radius: 50%; pointer-events: none;
    background: var(--di-accent); border: 2px solid #fff; box-shadow: 0 0 0 3px rgba(109, 139, 255, 0.3);
  }
  .pad:focus-visible { outline: 2px solid var(--di-accent); outline-offset: 1px; }
  .corner {
    position: absolute; display: flex; align-items: center; gap: 4px; padding: 3px; pointer-events: none;
  }
  .corner.c0 { left: 0; bottom: 0; }
  .corner.c1 { right: 0; bottom: 0; flex-direction: row-reverse; }
  .corner.c2 { left: 0; top: 0; }
  .corner.c3 { right: 0; top: 0; flex-direction: row-reverse; }
  .label {
    min-width: 18px; height: 18px; padding: 0 4px; border-radius: 3px; text-align: center; line-height: 18px; font-weight: 600;
    background: var(--di-raised); color: var(--di-text); max-width: 80px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap;
  }
  .label.empty { background: transparent; border: 1px dashed var(--di-border); line-height: 16px; color: var(--di-faint); }
  .capture { pointer-events: auto; padding: 0 5px; height: 18px; line-height: 16px; font-size: 11px; color: var(--di-muted); }
  .capture[aria-busy='true'] { color: var(--di-warn); }
  .label .count { margin-left: 4px; font-weight: 500; font-size: 10px; color: var(--di-performer); }
  .has-phrase .label { pointer-events: auto; cursor: help; }
  .peek {
    display: none; position: absolute; z-index: 2; padding: 6px 7px; border: 1px solid var(--di-border); border-radius: 5px;
    background: var(--di-surface); box-shadow: 0 4px 14px rgba(0, 0, 0, 0.45); pointer-events: none; white-space: nowrap;
  }
  .corner.c0 .peek, .corner.c1 .peek { bottom: calc(100% + 2px); }
  .corner.c2 .peek, .corner.c3 .peek { top: calc(100% + 2px); }
  .corner.c0 .peek, .corner.c2 .peek { left: 3px; }
  .corner.c1 .peek, .corner.c3 .peek { right: 3px; }
  .label:hover ~ .peek, .label:focus-visible ~ .peek { display: block; }
  .peek-title { font-size: 10px; font-weight: 600; letter-spacing: 0.06em; text-transform: uppercase; color: var(--di-faint); margin-bottom: 4px; }
  .mini-roll { display: block; background: var(--di-well); border-radius: 3px; }
  .mini-roll line { stroke: var(--di-line); stroke-width: 1; }
  .mini-roll line.bar { stroke: #3a4052; }
  .mini-roll rect { fill: var(--di-performer); }
  .peek-summary { margin-top: 4px; font-size: 11px; color: var(--di-muted); }
  .hint { position: absolute; left: 0; right: 0; bottom: 28px; text-align: center; font-size: 11px; color: var(--di-faint); pointer-events: none; }
`;
