/** Styles of `<di-param-control>`: a compact labelled control, readable at a glance. */
import { css } from 'lit';

export const paramControlStyles = css`
  :host { display: block; min-width: 0; }
  :host([disabled]) { opacity: 0.4; }
  :host([inline]) { display: flex; align-items: center; gap: 6px; }
  :host([inline]) label { flex: none; }
  :host([inline]) select { margin-top: 0; }
  .head { display: flex; align-items: baseline; gap: 6px; min-height: 16px; }
  label { flex: 1; min-width: 0; color: var(--di-muted); overflow-wrap: break-word; cursor: default; user-select: none; }
  output { color: var(--di-text); font-variant-numeric: tabular-nums; white-space: nowrap; }
  select { width: 100%; height: 22px; margin-top: 2px; }
  .row { display: flex; align-items: center; gap: 6px; min-height: 22px; }
  .row label { flex: 1; }

  input[type='range'] {
    -webkit-appearance: none; appearance: none; width: 100%; height: 18px; margin: 2px 0 0; background: transparent; cursor: pointer;
  }
  input[type='range']::-webkit-slider-runnable-track {
    height: 4px; border-radius: 2px;
    background: linear-gradient(to right, var(--di-accent) 0 var(--fill, 50%), var(--di-raised) var(--fill, 50%) 100%);
  }
  input[type='range']::-webkit-slider-thumb {
    -webkit-appearance: none; appearance: none; width: 12px; height: 12px; margin-top: -4px; border-radius: 50%;
    background: var(--di-text); border: 2px solid var(--di-surface);
  }
  input[type='range']::-moz-range-track { height: 4px; border-radius: 2px; background: var(--di-raised); }
  input[type='range']::-moz-range-progress { height: 4px; border-radius: 2px; background: var(--di-accent); }
  input[type='range']::-moz-range-thumb { width: 10px; height: 10px; border-radius: 50%; background: var(--di-text); border: 2px solid var(--di-surface); }
  input:disabled, select:disabled, button:disabled { cursor: default; }

  .switch { display: inline-flex; align-items: center; gap: 6px; padding: 0; border: 0; background: none; color: var(--di-muted); }
  .switch:hover:not(:disabled) { background: none; }
  .track { position: relative; width: 28px; height: 16px; border-radius: 8px; background: var(--di-raised); border: 1px solid var(--di-border); transition: background 0.12s; }
  .knob { position: absolute; top: 2px; left: 2px; width: 10px; height: 10px; border-radius: 50%; background: var(--di-muted); transition: left 0.12s; }
  .switch[aria-checked='true'] .track { background: var(--di-accent); border-color: var(--di-accent); }
  .switch[aria-checked='true'] .knob { left: 14px; background: #fff; }
  .switch[aria-checked='true'] { color: var(--di-text); }
`;
