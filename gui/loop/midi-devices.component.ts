/**
 * `<di-midi-devices>`: picks the hardware MIDI output the generated notes
 * also go to (through the node's Web MIDI bridge). It asks the browser for
 * MIDI access only when the user clicks it (a permission prompt must follow
 * a gesture, and merely showing the GUI must not prompt), and says plainly
 * when Web MIDI is unavailable: the notes still go to the host's MIDI output.
 */
import { LitElement, html } from 'lit';
import { live } from 'lit/directives/live.js';
import type { LoopHost, LoopHostMidiPort } from './loop-host.ts';
import { midiDevicesStyles } from './midi-devices.styles.ts';
import { loopTheme } from './theme.ts';

/** What the picker needs of the node. */
export type MidiDevicesHost = Pick<LoopHost, 'midiOutputs' | 'setMidiOutput'>;

/** Where the picker is: not asked yet, asking, showing the list, or unable. */
export type MidiPickerPhase = 'closed' | 'loading' | 'open' | 'unavailable';

const STILL_HOST = 'Generated notes still go to the host\'s MIDI output.';

export class DiMidiDevices extends LitElement {
  static override styles = [loopTheme, midiDevicesStyles];
  static override properties = {
    host: { attribute: false },
    selectedId: { attribute: false },
    phase: { state: true },
    ports: { state: true },
    message: { state: true },
  };

  /** The node; null disables the picker. */
  host: MidiDevicesHost | null = null;
  /** The chosen output's id (from the plugin state), or null for host output only. */
  selectedId: string | null = null;
  /** Where the picker is. */
  phase: MidiPickerPhase = 'closed';
  protected ports: LoopHostMidiPort[] = [];
  /** The last problem, in words, or ''. */
  message = '';

  /** Asks for MIDI access (the first time) and lists the outputs. Call it from a user gesture. */
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
      this.ports = await host.midiOutputs();
      this.phase = 'open';
      await this.updateComplete;
      this.renderRoot.querySelector('select')?.focus();
    } catch (error) {
      this.phase = 'unavailable';
      this.message = `${(error instanceof Error ? error.message : String(error)).replace(/\.$/, '')}. ${STILL_HOST}`;
    }
  }

  private async choose(id: string | null): Promise<void> {
    const host = this.host;
    if (!host) return;
    const previous = this.selectedId;
    this.selectedId = id;
    this.message = '';
    try {
      await host.setMidiOutput(id);
    } catch (error) {
      this.selectedId = previous;
      this.message = `Could not open that device: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  private get selectedName(): string {
    if (this.selectedId === null) return 'host only';
    return this.ports.find((p) => p.id === this.selectedId)?.name ?? 'hardware device';
  }

  override render() {
    const title = 'Send the generated notes to a hardware MIDI device as well as to the host';
    switch (this.phase) {
      case 'closed':
      case 'loading':
        return html`<button class="picker" aria-haspopup="listbox" title=${title} ?disabled=${!this.host || this.phase === 'loading'}
          @click=${() => this.open()}><span class="caption">MIDI out</span><span class="name">${this.phase === 'loading' ? 'asking…' : this.selectedName}</span> ▾</button>`;
      case 'open': {
        const known = this.selectedId === null || this.ports.some((p) => p.id === this.selectedId);
        return html`<span class="caption">MIDI out</span>
          <select aria-label="MIDI output device" title=${title}
            @change=${(e: Event) => { const v = (e.target as HTMLSelectElement).value; void this.choose(v === '' ? null : v); }}>
            <option value="" .selected=${live(this.selectedId === null)}>Host only</option>
            ${this.ports.map((p) => html`<option value=${p.id} .selected=${live(p.id === this.selectedId)}>${p.name}</option>`)}
            ${known ? '' : html`<option value=${this.selectedId ?? ''} .selected=${live(true)} disabled>missing device</option>`}
          </select>
          <button class="icon" title="List the devices again" aria-label="Refresh MIDI devices" @click=${() => this.open()}>↻</button>
          ${this.message ? html`<span class="message" role="alert">${this.message}</span>` : ''}`;
      }
      case 'unavailable':
        return html`<button class="icon" title="Try again" aria-label="Try Web MIDI again" @click=${() => this.open()}>MIDI out ↻</button>
          <span class="message" role="alert">${this.message}</span>`;
    }
  }
}
