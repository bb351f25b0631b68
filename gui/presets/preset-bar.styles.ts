/** Styles of `<di-preset-bar>` (the dark palette of the GUI root). */
import { css } from 'lit';

export const presetBarStyles = css`
  :host {
    display: block;
    position: relative;
    font: 13px/1.4 system-ui, sans-serif;
    color: #e8e8ee;
  }
  .bar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; }
  select, input[type='text'] {
    font: inherit; color: inherit; background: #23262f; border: 1px solid #454a5a; border-radius: 4px; padding: 2px 6px;
  }
  select { min-width: 180px; }
  button {
    font: inherit; color: inherit; background: #2c2f3a; border: 1px solid #454a5a; border-radius: 4px; padding: 2px 10px; cursor: pointer;
  }
  button:hover:not(:disabled) { background: #373b49; }
  button:disabled { opacity: 0.45; cursor: default; }
  button.danger { border-color: #8a3b3b; }
  form, .link { display: flex; align-items: center; gap: 6px; margin-top: 6px; }
  form input[type='text'], .link input { flex: 1; min-width: 0; }
  .description { color: #b8b8c4; font-size: 12px; margin-top: 4px; min-height: 1.4em; }
  .message { font-size: 12px; margin: 4px 0 0; white-space: pre-wrap; overflow-wrap: anywhere; }
  .message.error { color: #ee9d9d; }
  .message.info { color: #9fd8b4; }
  .drop {
    position: absolute; inset: -4px; display: flex; align-items: center; justify-content: center;
    border: 2px dashed #7aa2f7; border-radius: 6px; background: rgba(27, 29, 36, 0.92); color: #c9d6ff; pointer-events: none;
  }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
