/** Styles of `<di-midi-inputs>`: the MIDI-out picker's, plus the dropdown list of checkboxes. */
import { css } from 'lit';
import { midiDevicesStyles } from './midi-devices.styles.ts';

export const midiInputsStyles = [midiDevicesStyles, css`
  :host { position: relative; }
  .list {
    position: absolute; top: calc(100% + 4px); left: 0; z-index: 10; display: flex; flex-direction: column; gap: 4px;
    min-width: 200px; max-width: 320px; padding: 8px; border: 1px solid var(--di-border); border-radius: 6px; background: var(--di-surface);
  }
  .list label { display: flex; align-items: center; gap: 6px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; cursor: pointer; }
  .list label.missing { color: var(--di-warn); }
  .list .row { display: flex; justify-content: flex-end; gap: 4px; }
  .empty { color: var(--di-muted); }
`];
