/** Styles of `<di-mode-selector>`: a segmented control. */
import { css } from 'lit';

export const modeSelectorStyles = css`
  :host { display: inline-block; }
  .group { display: inline-flex; border: 1px solid var(--di-border); border-radius: 5px; overflow: hidden; background: var(--di-well); }
  button {
    border: 0; border-radius: 0; background: transparent; color: var(--di-muted); padding: 4px 12px; font-weight: 500; white-space: nowrap;
  }
  button + button { border-left: 1px solid var(--di-border); }
  button:hover:not([aria-checked='true']) { background: var(--di-raised); color: var(--di-text); }
  button[aria-checked='true'] { background: var(--di-accent); color: #fff; }
  button:focus-visible { outline-offset: -2px; }
`;
