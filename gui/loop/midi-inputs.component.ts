/**
 * `<di-midi-inputs>`: picks the hardware MIDI inputs the plugin listens to
 * (through the node's Web MIDI bridge): notes to play in, and the 24-ppqn
 * clock it follows when `syncSource` is MIDI clock. Several inputs may be
 * enabled at once. Like `<di-midi-devices>` it asks the browser for MIDI
 * access only when the user clicks it (a permission prompt must follow a
 * gesture, and merely showing the GUI must not prompt), and says plainly
 * when Web MIDI is unavailable: the plugin still hears the host's MIDI.
 */
import { LitElement, html } from 'lit';
import { live } from 'lit/directives/live.js';
import { MIDI_INPUTS_EVENT, type MidiInputsDetail } from './events.ts';
import type { LoopHost, LoopHostMidiPort } from './loop-host.ts';
import type { MidiPickerPhase } from './midi-devices.component.ts';
import { midiInputsStyles } from './midi-inputs.styles.ts';
import { loopTheme } from './theme.ts';

/** What the picker needs of the node. */
export type MidiInputsHost = Pick<LoopHost, 'midiInputs' | 'setMidiInputs'>;

const STILL_HOST = 'The plugin still hears the host\'s MIDI input.';

/**
 * The picker's caption for a choice: "none", the device's name, or "N devices".
 * @param ids the chosen input ids
 * @param ports the inputs listed so far (empty before the first click)
 */
export function midiInputsLabel(ids: readonly string[], ports: readonly LoopHostMidiPort[]): string {
  if (ids.length === 0) return 'none';
  if (ids.length > 1) return `${ids.length} devices`;
  return ports.find((p) => p.id === ids[0])?.name ?? '1 device';
}

export class DiMidiInputs extends LitElement {
  static override styles = [loopTheme, midiInputsStyles];
  static override properties = {
    host: { attribute: false },
    selectedIds: { attribute: false },
    phase: { state: true },
    ports: { state: true },
    busy: { state: true },
    message: { state: true },
  };

  /** The node; null disables the picker. */
  host: MidiInputsHost | null = null;
  /** The enabled inputs' ids (from the plugin state); empty: none. */
  selectedIds: readonly string[] = [];
  /** Where the picker is. */
  phase: MidiPickerPhase = 'closed';
  protected ports: LoopHostMidiPort[] = [];
  /** True while the node opens or closes inputs; the checkboxes wait. */
  protected busy = false;
  /** The last problem, in words, or ''. */
  message = '';

  /** Asks for MIDI access (the first time) and lists the inputs. Call it from a user gesture. */
  async open(): Promise<void> {
    const host = this.host;
    if (!host || this.phase === 'loading') return;
    if (typeof navigator.requestMIDIAccess !== 'function') {
      this.phase = 'unavailable';
      this.message = `Web MIDI is not available in this browser or page (it needs a browser that supports it and a secure https or localhost page). ${STILL_HOST}`;
      return;
    }
    this.phase = 'loading';
    this.message = '';
    try {
      this.ports = await host.midiInputs();
      this.phase = 'open';
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('input[type="checkbox"]')?.focus();
    } catch (error) {
      this.phase = 'unavailable';
      this.message = `${(error instanceof Error ? error.message : String(error)).replace(/\.$/, '')}. ${STILL_HOST}`;
    }
  }

  /** Folds the list back into the picker button. */
  close(): void {
    if (this.phase === 'open') this.phase = 'closed';
  }

  private async toggle(id: string, on: boolean): Promise<void> {
    const host = this.host;
    if (!host || this.busy) return;
    const previous = this.selectedIds;
    const rest = previous.filter((x) => x !== id);
    // Listed order, then ids that are chosen but not present (a restored state can name a device that is gone).
    const listed = this.ports.map((p) => p.id);
    const next = on ? [...listed.filter((x) => x === id || rest.includes(x)), ...rest.filter((x) => !listed.includes(x))] : rest;
    this.select(next);
    this.busy = true;
    this.message = '';
    try {
      await host.setMidiInputs([...next]);
      // Again once the node has it, so the panel drops state reads that began before.
      this.select(next);
    } catch (error) {
      this.select(previous);
      this.message = `Could not open that device: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.busy = false;
    }
  }

  /** Shows `ids` as chosen and tells the panel, which passes the state's choice back down (arrays are re-set on each render). */
  private select(ids: readonly string[]): void {
    this.selectedIds = ids;
    this.dispatchEvent(new CustomEvent<MidiInputsDetail>(MIDI_INPUTS_EVENT, { detail: { ids }, bubbles: true, composed: true }));
  }

  private item(id: string, name: string, missing: boolean) {
    const checked = this.selectedIds.includes(id);
    return html`<label class=${missing ? 'missing' : ''} title=${missing ? `Not connected now (${id}); uncheck to forget it` : name}>
      <input type="checkbox" data-id=${id} .checked=${live(checked)} ?disabled=${this.busy}
        @change=${(e: Event) => void this.toggle(id, (e.target as HTMLInputElement).checked)}>
      <span>${missing ? 'missing device' : name}</span></label>`;
  }

  override render() {
    const title = 'Hardware MIDI inputs the plugin listens to: notes to play in, and the clock it follows with Sync = MIDI clock';
    const name = this.phase === 'loading' ? 'asking…' : midiInputsLabel(this.selectedIds, this.ports);
    if (this.phase === 'unavailable') {
      return html`<button class="icon" title="Try again" aria-label="Try Web MIDI inputs again" @click=${() => this.open()}>MIDI in ↻</button>
        <span class="message" role="alert">${this.message}</span>`;
    }
    const open = this.phase === 'open';
    const picker = html`<button class="picker" aria-haspopup="true" aria-expanded=${open ? 'true' : 'false'} title=${title}
      ?disabled=${!this.host || this.phase === 'loading'} @click=${() => (open ? this.close() : this.open())}>
      <span class="caption">MIDI in</span><span class="name">${name}</span> ${open ? '▴' : '▾'}</button>`;
    if (!open) return picker;
    const missing = this.selectedIds.filter((id) => !this.ports.some((p) => p.id === id));
    return html`${picker}
      <div class="list" role="group" aria-label="MIDI input devices" @keydown=${(e: KeyboardEvent) => { if (e.key === 'Escape') this.close(); }}>
        ${this.ports.length === 0 && missing.length === 0 ? html`<span class="empty">No MIDI inputs connected.</span>` : ''}
        ${this.ports.map((p) => this.item(p.id, p.name, false))}
        ${missing.map((id) => this.item(id, id, true))}
        <div class="row">
          <button class="icon" title="List the devices again" aria-label="Refresh MIDI inputs" @click=${() => this.open()}>↻</button>
          <button class="icon" title="Close the list" @click=${() => this.close()}>Done</button>
        </div>
        ${this.message ? html`<span class="message" role="alert">${this.message}</span>` : ''}
      </div>`;
  }
}
