/** Styles of `<di-midi-devices>`. */
import { css } from 'lit';

export const midiDevicesStyles = css`
  :host { display: inline-flex; align-items: center; gap: 4px; min-width: 0; max-width: 100%; }
  .picker { display: inline-flex; align-items: center; gap: 6px; max-width: 220px; white-space: nowrap; }
  .picker .name { overflow: hidden; text-overflow: ellipsis; }
  .caption { color: var(--di-muted); }
  select { height: 22px; max-width: 200px; }
  .message { color: var(--di-warn); max-width: 340px; font-size: 11px; line-height: 1.25; }
  .icon { padding: 2px 6px; }
`;
