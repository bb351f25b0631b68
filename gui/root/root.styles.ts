/** Styles of `<deep-improv-gui>`. */
import { css } from 'lit';

export const rootStyles = css`
  :host {
    display: block;
    box-sizing: border-box;
    min-width: 0;
    max-width: 100%;
    padding: 12px;
    font: 13px/1.4 system-ui, sans-serif;
    color: #e8e8ee;
    background: #1b1d24;
    border-radius: 8px;
  }
  header { display: flex; align-items: center; gap: 12px; }
  h1 { font-size: 15px; margin: 0; font-weight: 600; letter-spacing: 0.02em; }
  .status { display: flex; gap: 10px; font-size: 12px; color: #b8b8c4; }
  .dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; margin-right: 4px; background: #777; }
  .dot.ready { background: #4cd787; }
  .dot.loading { background: #e3c14b; }
  .dot.warning { background: #f0a13c; }
  .dot.error { background: #ee5d5d; }
  .message { color: #ee9d9d; font-size: 12px; margin-top: 4px; }
  button { font: inherit; color: inherit; background: #2c2f3a; border: 1px solid #454a5a; border-radius: 4px; padding: 2px 10px; cursor: pointer; }
  button:hover { background: #373b49; }
  .spacer { flex: 1; }
`;

/** Tabs, banners and the preset bar's place. */
export const layoutStyles = css`
  .message.warning { color: #f0c46a; }
  .note { color: #9fd7b4; font-size: 12px; margin-top: 4px; }
  di-preset-bar { display: block; margin-top: 10px; }
  nav { display: flex; gap: 4px; margin-top: 10px; border-bottom: 1px solid #333846; }
  nav button { border: none; border-radius: 4px 4px 0 0; background: transparent; padding: 4px 14px; color: #a9abb8; }
  nav button.active { background: #2c2f3a; color: #e8e8ee; }
  section.tab { padding-top: 10px; min-height: 120px; min-width: 0; }
  /* The tab's panel takes the width the host gives (these outer rules win over the panel's own :host sizing). */
  section.tab > * { min-width: 0; max-width: 100%; }
  section.tab[hidden] { display: none; }
  .loading { color: #a9abb8; }
`;
