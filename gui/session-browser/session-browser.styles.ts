/** Styles of `<di-session-browser>` (on top of the loop GUI's theme, `gui/loop/theme.ts`). */
import { css } from 'lit';

export const sessionBrowserStyles = css`
  :host { display: block; }
  .toolbar { display: flex; align-items: center; gap: 8px; margin-bottom: 6px; }
  .toolbar strong { margin-right: auto; }
  .import {
    display: inline-block; background: var(--di-raised); border: 1px solid var(--di-border); border-radius: 4px;
    padding: 2px 8px; cursor: pointer; position: relative; overflow: hidden;
  }
  .import:hover { background: var(--di-raisedHover); }
  .import.disabled { opacity: 0.45; cursor: default; }
  .import input { position: absolute; inset: 0; opacity: 0; cursor: inherit; width: 100%; }
  table.sessions { width: 100%; border-collapse: collapse; }
  .sessions th { text-align: left; font-weight: 600; color: var(--di-muted); border-bottom: 1px solid var(--di-border); padding: 2px 6px; }
  .sessions td { padding: 3px 6px; border-bottom: 1px solid var(--di-line); white-space: nowrap; }
  .sessions td.name { white-space: normal; overflow-wrap: anywhere; }
  /* The event counts may wrap too, so the table fits a narrow host. */
  .sessions td:nth-child(4) { white-space: normal; }
  .sessions tbody tr { cursor: pointer; }
  .sessions tbody tr:hover { background: var(--di-raised); }
  .sessions tbody tr.selected { background: var(--di-raisedHover); }
  .state { font-size: 11px; padding: 0 4px; border-radius: 3px; border: 1px solid var(--di-border); }
  .state.recording { color: var(--di-ok); border-color: var(--di-ok); }
  .state.interrupted { color: var(--di-warn); border-color: var(--di-warn); }
  .state.imported { color: var(--di-accent); border-color: var(--di-accent); }
  .badges .state + .state { margin-left: 4px; }
  button.save-mid { padding: 0 6px; font-size: 11px; }
  .option { display: inline-flex; align-items: center; gap: 3px; color: var(--di-muted); }
  .empty, .muted { color: var(--di-muted); }
  .message { margin: 6px 0; white-space: pre-wrap; overflow-wrap: anywhere; }
  .message.error { color: #ee9d9d; }
  .message.info { color: #9fd8b4; }
  .detail { margin-top: 10px; border-top: 1px solid var(--di-border); padding-top: 8px; }
  .detail header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 8px; }
  .detail h3 { margin: 0; font-size: 14px; }
  .actions, .inline { display: flex; flex-wrap: wrap; gap: 6px; margin: 6px 0; align-items: center; }
  .inline input[type='text'] {
    font: inherit; color: inherit; background: var(--di-well); border: 1px solid var(--di-border); border-radius: 4px; padding: 2px 6px; min-width: 200px;
  }
  .confirm span { color: #ee9d9d; }
  button.danger { border-color: #8a3b3b; }
  .plot-head { display: flex; align-items: center; gap: 8px; margin-top: 8px; color: var(--di-muted); }
  .plot-head select { min-width: 160px; }
  canvas { display: block; width: 100%; background: var(--di-well); border: 1px solid var(--di-line); border-radius: 4px; margin-top: 4px; }
  canvas.features { height: 160px; }
  canvas.roll { height: 160px; }
  .legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin: 0 3px 0 8px; vertical-align: -1px; }
  .legend i.performer { background: var(--di-performer); }
  .legend i.plugin { background: var(--di-response); }
  .legend i.detected { background: var(--di-faint); }
  .markers { margin: 6px 0 0; padding-left: 20px; color: var(--di-muted); }
  .markers .time { font-variant-numeric: tabular-nums; color: var(--di-warn); margin-right: 4px; }
`;
