/**
 * `<di-preset-bar>`: choose, save, rename, delete, export, import and share
 * presets. It lists the factory presets and the user's presets (IndexedDB),
 * exports the current state as a `.deepimprov.json` file, imports one by the
 * file picker or by dropping it on the bar, copies a share link, and opens a
 * pasted link or share string.
 *
 * It talks to the plugin only through a {@link PresetHost} (`getState` /
 * `setState`); loading a preset keeps the plugin's current Web MIDI devices
 * (`applyPreset`). Every failure is shown in the bar, with the validator's
 * message as it is (`parameters.temperature: expected a finite number, got
 * "hot"`), and sent as a `di-preset-error` event; a successful load sends
 * `di-preset-loaded`.
 *
 * Resources: a store it made itself is closed, and its drag listeners
 * removed, when the element disconnects (or on {@link DiPresetBar.dispose}).
 */
import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { applyPreset } from '../../plugin/presets/apply.ts';
import { FACTORY_PRESETS } from '../../plugin/presets/factory.ts';
import { PRESET_FILE_EXTENSION, presetToFile, readPresetFile } from '../../plugin/presets/file.ts';
import type { Preset } from '../../plugin/presets/preset.ts';
import { parseShareInput, shareLink } from '../../plugin/presets/share.ts';
import { UserPresetStore, type UserPreset } from '../../plugin/presets/user-store.ts';
import type { PluginState } from '../../plugin/state/schema.ts';
import {
  PRESET_ERROR_EVENT, PRESET_LOADED_EVENT, type PresetErrorDetail, type PresetLoadedDetail, type PresetSource,
} from './events.ts';
import { presetBarStyles } from './preset-bar.styles.ts';
import type { PresetHost } from './preset-host.ts';

/** The inline form currently open, if any. */
type Mode = 'idle' | 'saving' | 'renaming' | 'deleting' | 'pasting';

/** A line of feedback under the bar. */
interface Message {
  kind: 'error' | 'info';
  text: string;
}

/** How long an object URL for a download is kept before it is revoked, in milliseconds. */
const DOWNLOAD_URL_LIFETIME_MS = 10_000;

export class DiPresetBar extends LitElement {
  static override styles = presetBarStyles;
  static override properties = {
    presetHost: { attribute: false },
    store: { attribute: false },
    shareBase: { attribute: 'share-base' },
    userPresets: { state: true },
    storeProblem: { state: true },
    selected: { state: true },
    mode: { state: true },
    message: { state: true },
    link: { state: true },
    dragging: { state: true },
    busy: { state: true },
  };

  /** The plugin to read and set states on. Default null (every action then says no plugin is connected). */
  presetHost: PresetHost | null = null;
  /**
   * Where user presets live. Default null: the bar makes a {@link UserPresetStore}
   * on the default database when it connects, and closes it when it disconnects.
   */
  store: UserPresetStore | null = null;
  /** The page share links open (the demo host's URL). Default '': this document's URL without its fragment. */
  shareBase = '';

  /** User presets as last listed. */
  protected userPresets: UserPreset[] = [];
  /** Why user presets are unavailable, or '' when they are available. */
  protected storeProblem = '';
  /** The selected entry: `factory:<id>`, `user:<id>`, or '' for none. */
  protected selected = '';
  protected mode: Mode = 'idle';
  protected message: Message | null = null;
  /** The last share link made, shown so it can be copied by hand. */
  protected link = '';
  protected dragging = false;
  protected busy = false;

  private ownsStore = false;
  /** Nesting count of dragenter/dragleave, which fire for every child crossed. */
  private dragDepth = 0;
  private readonly revokeTimers = new Set<ReturnType<typeof setTimeout>>();

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('dragenter', this.onDragEnter);
    this.addEventListener('dragover', this.onDragOver);
    this.addEventListener('dragleave', this.onDragLeave);
    this.addEventListener('drop', this.onDrop);
    void this.refresh();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.release();
  }

  /** Releases the store it made, its listeners and pending download URLs. Idempotent; the element can be dropped afterwards. */
  dispose(): void {
    this.release();
    this.presetHost = null;
  }

  private release(): void {
    this.removeEventListener('dragenter', this.onDragEnter);
    this.removeEventListener('dragover', this.onDragOver);
    this.removeEventListener('dragleave', this.onDragLeave);
    this.removeEventListener('drop', this.onDrop);
    for (const timer of this.revokeTimers) clearTimeout(timer);
    this.revokeTimers.clear();
    if (this.ownsStore) {
      this.store?.close();
      this.store = null;
      this.ownsStore = false;
    }
  }

  /** The store, made on first use when none was given. */
  private userStore(): UserPresetStore {
    if (!this.store) {
      this.store = new UserPresetStore();
      this.ownsStore = true;
    }
    return this.store;
  }

  /** Re-reads the user presets (also when the list gets focus, to see other instances' saves). */
  async refresh(): Promise<void> {
    try {
      this.userPresets = await this.userStore().list();
      this.storeProblem = '';
    } catch (err) {
      this.userPresets = [];
      this.storeProblem = errorMessage(err);
    }
  }

  // ---- actions -------------------------------------------------------------------------------

  /** Runs an action with the bar marked busy; a failure becomes the error line and an event. */
  private async act(failure: string, action: () => Promise<void>): Promise<void> {
    this.busy = true;
    try {
      await action();
    } catch (err) {
      const text = `${failure}: ${errorMessage(err)}`;
      this.message = { kind: 'error', text };
      const detail: PresetErrorDetail = { message: text, errorName: err instanceof Error ? err.name : typeof err };
      this.dispatchEvent(new CustomEvent(PRESET_ERROR_EVENT, { detail, bubbles: true, composed: true }));
    } finally {
      this.busy = false;
    }
  }

  private connectedHost(): PresetHost {
    if (!this.presetHost) throw new Error('no plugin is connected to the preset bar');
    return this.presetHost;
  }

  /** Applies a preset's state (keeping the plugin's devices) and reports it. */
  private async load(name: string, state: PluginState, source: PresetSource): Promise<void> {
    const host = this.connectedHost();
    await host.setState(applyPreset(await host.getState(), state));
    this.message = { kind: 'info', text: `Loaded “${name}”` };
    const detail: PresetLoadedDetail = { name, source };
    this.dispatchEvent(new CustomEvent(PRESET_LOADED_EVENT, { detail, bubbles: true, composed: true }));
  }

  private selectedPreset(): { preset: Preset; source: 'factory' | 'user' } | null {
    const [kind, id] = splitOnce(this.selected, ':');
    if (kind === 'factory') {
      const preset = FACTORY_PRESETS.find((p) => p.id === id);
      return preset ? { preset, source: 'factory' } : null;
    }
    if (kind === 'user') {
      const preset = this.userPresets.find((p) => p.id === id);
      return preset ? { preset, source: 'user' } : null;
    }
    return null;
  }

  private onSelect(event: Event): void {
    const previous = this.selected;
    this.selected = (event.target as HTMLSelectElement).value;
    this.mode = 'idle';
    const chosen = this.selectedPreset();
    if (!chosen) return;
    void this.act(`Could not load “${chosen.preset.name}”`, async () => {
      try {
        await this.load(chosen.preset.name, chosen.preset.state, chosen.source);
      } catch (err) {
        this.selected = previous; // the plugin kept its state: show the selection it still has
        throw err;
      }
    });
  }

  private submitSave(name: string): Promise<void> {
    return this.act('Could not save the preset', async () => {
      const state = await this.connectedHost().getState();
      const saved = await this.userStore().save(name, state);
      await this.refresh();
      this.selected = `user:${saved.id}`;
      this.mode = 'idle';
      this.message = { kind: 'info', text: `Saved “${saved.name}”` };
    });
  }

  private submitRename(name: string): Promise<void> {
    const chosen = this.selectedPreset();
    if (chosen?.source !== 'user') return Promise.resolve();
    return this.act(`Could not rename “${chosen.preset.name}”`, async () => {
      const renamed = await this.userStore().rename(chosen.preset.id, name);
      await this.refresh();
      this.mode = 'idle';
      this.message = { kind: 'info', text: `Renamed to “${renamed.name}”` };
    });
  }

  private confirmDelete(): Promise<void> {
    const chosen = this.selectedPreset();
    if (chosen?.source !== 'user') return Promise.resolve();
    return this.act(`Could not delete “${chosen.preset.name}”`, async () => {
      await this.userStore().delete(chosen.preset.id);
      await this.refresh();
      this.selected = '';
      this.mode = 'idle';
      this.message = { kind: 'info', text: `Deleted “${chosen.preset.name}”` };
    });
  }

  /** Downloads the current state as a preset file, named after the state's name or the selected preset. */
  private exportFile(): Promise<void> {
    return this.act('Could not export the preset', async () => {
      const state = await this.connectedHost().getState();
      const name = state.name ?? this.selectedPreset()?.preset.name ?? 'Deep Improv preset';
      const file = presetToFile(state, name);
      const url = URL.createObjectURL(file);
      const anchor = document.createElement('a');
      anchor.href = url;
      anchor.download = file.name;
      anchor.style.display = 'none';
      this.renderRoot.appendChild(anchor);
      anchor.click();
      anchor.remove();
      // Revoking at once can cancel the download in some browsers; give it time.
      const timer = setTimeout(() => { URL.revokeObjectURL(url); this.revokeTimers.delete(timer); }, DOWNLOAD_URL_LIFETIME_MS);
      this.revokeTimers.add(timer);
      this.message = { kind: 'info', text: `Exported ${file.name}` };
    });
  }

  /** Loads a preset file (from the picker or a drop). */
  async importFile(file: File): Promise<void> {
    await this.act(`Could not import ${file.name || 'the file'}`, async () => {
      const state = await readPresetFile(file);
      await this.load(state.name ?? file.name, state, 'file');
      this.selected = '';
    });
  }

  private onFilePicked(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = ''; // picking the same file again must fire `change` again
    if (file) void this.importFile(file);
  }

  /** Makes a share link of the current state, shows it, and copies it to the clipboard when allowed. */
  private copyLink(): Promise<void> {
    return this.act('Could not make a share link', async () => {
      const state = await this.connectedHost().getState();
      const base = this.shareBase || document.baseURI.replace(/#.*$/, '');
      this.link = shareLink(base, state);
      try {
        await navigator.clipboard.writeText(this.link);
        this.message = { kind: 'info', text: 'Share link copied to the clipboard' };
      } catch {
        // Clipboard access needs focus and permission, which hosts may not give: let the user copy it.
        this.message = { kind: 'info', text: 'Copy the share link below' };
      }
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('.link input')?.select();
    });
  }

  private submitPaste(text: string): Promise<void> {
    return this.act('Could not open the link', async () => {
      const state = parseShareInput(text);
      await this.load(state.name ?? 'shared preset', state, 'link');
      this.selected = '';
      this.mode = 'idle';
    });
  }

  // ---- drag and drop -------------------------------------------------------------------------

  private readonly onDragEnter = (event: DragEvent): void => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    this.dragDepth++;
    this.dragging = true;
  };

  private readonly onDragOver = (event: DragEvent): void => {
    if (!hasFiles(event)) return;
    event.preventDefault(); // allows the drop
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  };

  private readonly onDragLeave = (): void => {
    this.dragDepth = Math.max(0, this.dragDepth - 1);
    if (this.dragDepth === 0) this.dragging = false;
  };

  private readonly onDrop = (event: DragEvent): void => {
    this.dragDepth = 0;
    this.dragging = false;
    const file = event.dataTransfer?.files?.[0];
    if (!file) return;
    event.preventDefault();
    void this.importFile(file);
  };

  // ---- rendering -----------------------------------------------------------------------------

  private renderPresetList(): TemplateResult {
    const option = (value: string, name: string, title: string) =>
      html`<option value=${value} title=${title} ?selected=${this.selected === value}>${name}</option>`;
    const user = this.userPresets.length > 0
      ? this.userPresets.map((p) => option(`user:${p.id}`, p.name, ''))
      : html`<option disabled>${this.storeProblem ? '(unavailable)' : '(none saved yet)'}</option>`;
    return html`
      <option value="" ?selected=${this.selected === ''}>Choose a preset…</option>
      <optgroup label="Factory">${FACTORY_PRESETS.map((p) => option(`factory:${p.id}`, p.name, p.description))}</optgroup>
      <optgroup label="My presets">${user}</optgroup>
    `;
  }

  /** An inline one-field form (save, rename, open link). */
  private renderForm(label: string, value: string, submit: string, onSubmit: (text: string) => Promise<void>): TemplateResult {
    const send = (event: Event) => {
      event.preventDefault();
      const input = (event.target as HTMLFormElement).querySelector('input')!;
      void onSubmit(input.value);
    };
    return html`
      <form data-form=${this.mode} @submit=${send} @keydown=${(e: KeyboardEvent) => { if (e.key === 'Escape') this.mode = 'idle'; }}>
        <label class="sr-only" for="field">${label}</label>
        <input id="field" type="text" .value=${value} placeholder=${label} autocomplete="off" ?disabled=${this.busy}>
        <button type="submit" ?disabled=${this.busy}>${submit}</button>
        <button type="button" @click=${() => { this.mode = 'idle'; }}>Cancel</button>
      </form>
    `;
  }

  private renderMode(): TemplateResult | typeof nothing {
    const chosen = this.selectedPreset();
    switch (this.mode) {
      case 'saving':
        return this.renderForm('Name of the new preset', chosen?.preset.name ?? 'My preset', 'Save', (t) => this.submitSave(t));
      case 'renaming':
        return this.renderForm('New name', chosen?.preset.name ?? '', 'Rename', (t) => this.submitRename(t));
      case 'pasting':
        return this.renderForm('Paste a share link or string', '', 'Open', (t) => this.submitPaste(t));
      case 'deleting':
        return html`
          <form data-form="deleting" @submit=${(e: Event) => { e.preventDefault(); void this.confirmDelete(); }}>
            <span>Delete “${chosen?.preset.name}”? This cannot be undone.</span>
            <button type="submit" class="danger" ?disabled=${this.busy}>Delete</button>
            <button type="button" @click=${() => { this.mode = 'idle'; }}>Cancel</button>
          </form>
        `;
      default:
        return nothing;
    }
  }

  protected override updated(changed: PropertyValues): void {
    // `?selected` only sets an option's default; once the user has picked one, only `value` moves the selection.
    const select = this.renderRoot.querySelector('select');
    if (select && select.value !== this.selected) select.value = this.selected;
    // Focus the field of a form that just opened, so Enter saves and Escape cancels.
    if (changed.has('mode')) this.renderRoot.querySelector<HTMLInputElement>('form input')?.focus();
  }

  override render(): TemplateResult {
    const chosen = this.selectedPreset();
    const isUser = chosen?.source === 'user';
    const open = (mode: Mode) => () => { this.mode = this.mode === mode ? 'idle' : mode; };
    return html`
      <div class="bar">
        <label class="sr-only" for="preset">Preset</label>
        <select id="preset" @change=${this.onSelect} @focus=${() => void this.refresh()} ?disabled=${this.busy}>${this.renderPresetList()}</select>
        <button data-action="save" @click=${open('saving')} ?disabled=${this.busy || this.storeProblem !== ''}
          title=${this.storeProblem || 'Save the current settings as a new preset'}>Save…</button>
        <button data-action="rename" @click=${open('renaming')} ?disabled=${this.busy || !isUser}>Rename…</button>
        <button data-action="delete" @click=${open('deleting')} ?disabled=${this.busy || !isUser}>Delete</button>
        <button data-action="export" @click=${() => void this.exportFile()} ?disabled=${this.busy}
          title="Download the current settings as a ${PRESET_FILE_EXTENSION} file">Export</button>
        <button data-action="import" @click=${() => this.renderRoot.querySelector<HTMLInputElement>('input[type=file]')?.click()} ?disabled=${this.busy}
          title="Load a ${PRESET_FILE_EXTENSION} file (or drop one here)">Import…</button>
        <input type="file" hidden accept="${PRESET_FILE_EXTENSION},.json,application/json" @change=${this.onFilePicked}>
        <button data-action="copy-link" @click=${() => void this.copyLink()} ?disabled=${this.busy}>Copy link</button>
        <button data-action="open-link" @click=${open('pasting')} ?disabled=${this.busy}>Open link…</button>
      </div>
      <div class="description">${chosen?.preset.description ?? ''}</div>
      ${this.renderMode()}
      ${this.link ? html`<div class="link"><label class="sr-only" for="link">Share link</label><input id="link" type="text" readonly .value=${this.link}></div>` : nothing}
      ${this.message
        ? html`<div class="message ${this.message.kind}" role=${this.message.kind === 'error' ? 'alert' : 'status'}>${this.message.text}</div>`
        : nothing}
      ${this.storeProblem && !this.message ? html`<div class="message info" role="status">${this.storeProblem}</div>` : nothing}
      ${this.dragging ? html`<div class="drop">Drop a ${PRESET_FILE_EXTENSION} file to load it</div>` : nothing}
    `;
  }
}

/** True when a drag carries files. */
function hasFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}

/** The message to show for anything thrown. */
function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Splits `text` at the first `separator`. */
function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}
