/** Styles of `<di-loop-panel>`: compact, dark, the root element's palette. */
import { css } from 'lit';

export const loopPanelStyles = css`
  :host { display: block; min-width: 600px; padding: 10px; border-radius: 8px; background: var(--di-surface); }
  header { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; margin-bottom: 10px; }
  .spacer { flex: 1; }
  .title-row { display: flex; align-items: center; justify-content: space-between; gap: 8px; margin-top: -3px; }
  .title-row .title { margin-bottom: 0; }
  .activity {
    display: inline-flex; align-items: center; gap: 5px; height: 18px; margin-bottom: 3px; padding: 0 9px; border-radius: 999px; font-size: 11px;
    border: 1px solid var(--di-border); color: var(--di-faint); font-weight: 600; white-space: nowrap;
  }
  .activity .dot { width: 8px; height: 8px; border-radius: 50%; background: currentColor; opacity: 0.6; }
  .activity[data-state='waiting'] { color: var(--di-muted); }
  .activity[data-state='listening'] { color: var(--di-performer); border-color: var(--di-performer); background: rgba(79, 195, 247, 0.12); }
  .activity[data-state='thinking'] { color: var(--di-warn); border-color: var(--di-warn); background: rgba(227, 193, 75, 0.12); }
  .activity[data-state='answering'] { color: var(--di-response); border-color: var(--di-response); background: rgba(255, 169, 77, 0.14); }
  .activity[data-state='listening'] .dot, .activity[data-state='answering'] .dot { opacity: 1; }
  .activity[data-state='thinking'] .dot { animation: di-pulse 0.8s ease-in-out infinite alternate; }
  @keyframes di-pulse { from { opacity: 0.25; } to { opacity: 1; } }
  @media (prefers-reduced-motion: reduce) { .activity[data-state='thinking'] .dot { animation: none; opacity: 1; } }
  .arm { font-weight: 600; min-width: 74px; }
  .arm .dot { display: inline-block; width: 8px; height: 8px; margin-right: 5px; border-radius: 50%; border: 1px solid currentColor; vertical-align: 0; }
  .arm[aria-checked='true'] { background: var(--di-armed); border-color: var(--di-armed); color: #fff; }
  .arm[aria-checked='true'] .dot { background: #fff; border-color: #fff; }
  .arm[aria-checked='true']:hover { background: #f07272; }
  .panic { font-weight: 600; color: #ffb4b4; border-color: #8a3a3a; }
  .panic:hover { background: #4a2428 !important; }

  .stage { display: grid; grid-template-columns: 216px minmax(0, 1fr); gap: 10px; }
  .title { font-size: 10px; font-weight: 600; letter-spacing: 0.08em; text-transform: uppercase; color: var(--di-faint); margin: 0 0 4px 2px; }
  di-piano-roll { height: 220px; }

  .controls { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 8px; margin-top: 10px; }
  fieldset { display: flex; flex-direction: column; gap: 7px; margin: 0; padding: 4px 8px 8px; min-width: 0; border: 1px solid var(--di-line); border-radius: 6px; }
  legend { padding: 0 4px; font-size: 10px; font-weight: 600; letter-spacing: 0.08em; text-transform: uppercase; color: var(--di-faint); }
  .message { margin-top: 8px; color: #ee9d9d; }
`;
