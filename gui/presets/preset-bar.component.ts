/**
 * `<di-preset-bar>`: choose, save, rename, delete, export, import and share
 * presets. It lists the factory presets and the user's presets, exports the
 * current state as a `.deepimprov.json` file, imports one by the file picker
 * or by dropping it on the bar, copies a share link, and opens a pasted link
 * or share string.
 *
 * It only renders and calls: everything it does goes through `presets`, the
 * {@link PresetService} the node hands it (`node.presets`), which reads and
 * validates files and links, keeps the store and loads presets keeping the
 * plugin's Web MIDI devices. Every failure is shown in the bar, with the
 * validator's message as it is (`parameters.temperature: expected a number
 * from 0.05 to 2, got "hot"`), and sent as a `di-preset-error` event; a
 * successful load sends `di-preset-loaded`.
 *
 * Resources: its drop listeners and download URLs are released when the
 * element disconnects; the service belongs to whoever made it (the node).
 */
import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { PRESET_FILE_EXTENSION, type PluginState, type Preset, type PresetService, type UserPreset } from '../../plugin/gui-api.ts';
import { TaskStatusController, errorText } from '../shared/task-status.controller.ts';
import {
  PRESET_ERROR_EVENT, PRESET_LOADED_EVENT, type PresetErrorDetail, type PresetLoadedDetail, type PresetSource,
} from './events.ts';
import { FileDropController } from './file-drop.controller.ts';
import { presetBarStyles } from './preset-bar.styles.ts';

/** The inline form currently open, if any. */
type Mode = 'idle' | 'saving' | 'renaming' | 'deleting' | 'pasting';

export class DiPresetBar extends LitElement {
  static override styles = presetBarStyles;
  static override properties = {
    presets: { attribute: false },
    shareBase: { attribute: 'share-base' },
    userPresets: { state: true },
    storeProblem: { state: true },
    selected: { state: true },
    mode: { state: true },
    link: { state: true },
    opened: { state: true },
  };

  /** The presets service (`node.presets`). Default null: every action then says no plugin is connected. */
  presets: PresetService | null = null;
  /** The page share links open (the demo host's URL). Default '': this document's URL without its fragment. */
  shareBase = '';
  /** Busy flag, message line and downloads. */
  readonly tasks = new TaskStatusController(this);
  /** Files dropped on the bar are imported. */
  readonly drop = new FileDropController(this, (file) => void this.importFile(file));

  /** User presets as last listed. */
  protected userPresets: UserPreset[] = [];
  /** Why user presets are unavailable, or '' when they are available. */
  protected storeProblem = '';
  /** The selected entry: `factory:<id>`, `user:<id>`, or '' for none. */
  protected selected = '';
  protected mode: Mode = 'idle';
  /** The last share link made, shown so it can be copied by hand. */
  protected link = '';
  /** The preset last opened from a link or a file, which the menu names while no listed preset is selected; null for none. */
  protected opened: { name: string; source: 'link' | 'file' } | null = null;
  /** The service the user presets were last listed from. */
  private listedFor: PresetService | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.listedFor = this.presets;
    void this.refresh();
  }

  /** Forgets the service; the element can be dropped afterwards. Idempotent. */
  dispose(): void {
    this.presets = null;
  }

  /** Re-reads the user presets (also when the list gets focus, to see other instances' saves). */
  async refresh(): Promise<void> {
    if (!this.presets) return;
    try {
      this.userPresets = await this.presets.listUserPresets();
      this.storeProblem = '';
    } catch (err) {
      this.userPresets = [];
      this.storeProblem = errorText(err);
    }
  }

  protected override willUpdate(): void {
    // A new service (another plugin) has other user presets.
    if (this.isConnected && this.presets !== this.listedFor) {
      this.listedFor = this.presets;
      void this.refresh();
    }
  }

  // ---- actions -------------------------------------------------------------------------------

  /** Runs an action through the task controller; a failure becomes the error line and a `di-preset-error` event. */
  private act(failure: string, action: (presets: PresetService) => Promise<void>): Promise<boolean> {
    return this.tasks.run(failure, () => {
      if (!this.presets) throw new Error('no plugin is connected to the preset bar');
      return action(this.presets);
    }, (message, err) => {
      const detail: PresetErrorDetail = { message, errorName: err instanceof Error ? err.name : typeof err };
      this.dispatchEvent(new CustomEvent(PRESET_ERROR_EVENT, { detail, bubbles: true, composed: true }));
    });
  }

  /** Says a preset was applied, in the bar and as a `di-preset-loaded` event. */
  private loaded(name: string, source: PresetSource): void {
    this.tasks.info(`Loaded “${name}”`);
    const detail: PresetLoadedDetail = { name, source };
    this.dispatchEvent(new CustomEvent(PRESET_LOADED_EVENT, { detail, bubbles: true, composed: true }));
  }

  private selectedPreset(): { preset: Preset; source: 'factory' | 'user' } | null {
    const [kind, id] = splitOnce(this.selected, ':');
    if (kind === 'factory') {
      const preset = this.presets?.factory.find((p) => p.id === id);
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
    void this.act(`Could not load “${chosen.preset.name}”`, async (presets) => {
      try {
        await presets.apply(chosen.preset.state);
      } catch (err) {
        this.selected = previous; // the plugin kept its state: show the selection it still has
        throw err;
      }
      this.loaded(chosen.preset.name, chosen.source);
    });
  }

  private submitSave(name: string): Promise<boolean> {
    return this.act('Could not save the preset', async (presets) => {
      const saved = await presets.saveCurrent(name);
      await this.refresh();
      this.selected = `user:${saved.id}`;
      this.mode = 'idle';
      this.tasks.info(`Saved “${saved.name}”`);
    });
  }

  private async submitRename(name: string): Promise<void> {
    const chosen = this.selectedPreset();
    if (chosen?.source !== 'user') return;
    await this.act(`Could not rename “${chosen.preset.name}”`, async (presets) => {
      const renamed = await presets.rename(chosen.preset.id, name);
      await this.refresh();
      this.mode = 'idle';
      this.tasks.info(`Renamed to “${renamed.name}”`);
    });
  }

  private async confirmDelete(): Promise<void> {
    const chosen = this.selectedPreset();
    if (chosen?.source !== 'user') return;
    await this.act(`Could not delete “${chosen.preset.name}”`, async (presets) => {
      await presets.delete(chosen.preset.id);
      await this.refresh();
      this.selected = '';
      this.mode = 'idle';
      this.tasks.info(`Deleted “${chosen.preset.name}”`);
    });
  }

  /** Downloads the current state as a preset file, named after the state's name or the selected preset. */
  private exportFile(): Promise<boolean> {
    return this.act('Could not export the preset', async (presets) => {
      const file = await presets.exportFile(this.selectedPreset()?.preset.name ?? 'Deep Improv preset');
      this.tasks.download(file, file.name);
      this.tasks.info(`Exported ${file.name}`);
    });
  }

  /** Loads a preset file (from the picker or a drop). */
  async importFile(file: File): Promise<void> {
    await this.act(`Could not import ${file.name || 'the file'}`, async (presets) => {
      const state = await presets.importFile(file);
      this.selected = '';
      this.opened = { name: state.name ?? file.name, source: 'file' };
      this.loaded(this.opened.name, 'file');
    });
  }

  private onFilePicked(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = ''; // picking the same file again must fire `change` again
    if (file) void this.importFile(file);
  }

  /** Makes a share link of the current state, shows it, and copies it to the clipboard when allowed. */
  private copyLink(): Promise<boolean> {
    return this.act('Could not make a share link', async (presets) => {
      const { link, copied } = await presets.copyShareLink(this.shareBase || undefined);
      this.link = link;
      this.tasks.info(copied ? 'Share link copied to the clipboard' : 'Copy the share link below');
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('.link input')?.select();
    });
  }

  /**
   * Opens a share link or string (what the user pastes, or the link a host page was opened with)
   * and names it in the menu.
   * @returns Whether it was applied; when not, the bar shows why and the plugin is unchanged.
   */
  openShareInput(text: string): Promise<boolean> {
    return this.act('Could not open the link', async (presets) => {
      const state: PluginState = await presets.openShareInput(text);
      this.selected = '';
      this.mode = 'idle';
      this.opened = { name: state.name ?? 'shared preset', source: 'link' };
      this.loaded(this.opened.name, 'link');
    });
  }

  // ---- rendering -----------------------------------------------------------------------------

  private renderPresetList(): TemplateResult {
    const option = (value: string, name: string, title: string) =>
      html`<option value=${value} title=${title} ?selected=${this.selected === value}>${name}</option>`;
    const user = this.userPresets.length > 0
      ? this.userPresets.map((p) => option(`user:${p.id}`, p.name, ''))
      : html`<option disabled>${this.storeProblem ? '(unavailable)' : '(none saved yet)'}</option>`;
    return html`
      <option value="" ?selected=${this.selected === ''}>${this.opened
        ? `${this.opened.name} (${this.opened.source === 'link' ? 'shared link' : 'file'})` : 'Choose a preset…'}</option>
      <optgroup label="Factory">${(this.presets?.factory ?? []).map((p) => option(`factory:${p.id}`, p.name, p.description))}</optgroup>
      <optgroup label="My presets">${user}</optgroup>
    `;
  }

  /** An inline one-field form (save, rename, open link). */
  private renderForm(label: string, value: string, submit: string, onSubmit: (text: string) => Promise<unknown>): TemplateResult {
    const send = (event: Event) => {
      event.preventDefault();
      const input = (event.target as HTMLFormElement).querySelector('input')!;
      void onSubmit(input.value);
    };
    const busy = this.tasks.busy;
    return html`
      <form data-form=${this.mode} @submit=${send} @keydown=${(e: KeyboardEvent) => { if (e.key === 'Escape') this.mode = 'idle'; }}>
        <label class="sr-only" for="field">${label}</label>
        <input id="field" type="text" .value=${value} placeholder=${label} autocomplete="off" ?disabled=${busy}>
        <button type="submit" ?disabled=${busy}>${submit}</button>
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
        return this.renderForm('Paste a share link or string', '', 'Open', (t) => this.openShareInput(t));
      case 'deleting':
        return html`
          <form data-form="deleting" @submit=${(e: Event) => { e.preventDefault(); void this.confirmDelete(); }}>
            <span>Delete “${chosen?.preset.name}”? This cannot be undone.</span>
            <button type="submit" class="danger" ?disabled=${this.tasks.busy}>Delete</button>
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
    const busy = this.tasks.busy;
    const open = (mode: Mode) => () => { this.mode = this.mode === mode ? 'idle' : mode; };
    return html`
      <div class="bar">
        <label class="sr-only" for="preset">Preset</label>
        <select id="preset" @change=${this.onSelect} @focus=${() => void this.refresh()} ?disabled=${busy}>${this.renderPresetList()}</select>
        <button data-action="save" @click=${open('saving')} ?disabled=${busy || this.storeProblem !== ''}
          title=${this.storeProblem || 'Save the current settings as a new preset'}>Save…</button>
        <button data-action="rename" @click=${open('renaming')} ?disabled=${busy || !isUser}>Rename…</button>
        <button data-action="delete" @click=${open('deleting')} ?disabled=${busy || !isUser}>Delete</button>
        <button data-action="export" @click=${() => void this.exportFile()} ?disabled=${busy}
          title="Download the current settings as a ${PRESET_FILE_EXTENSION} file">Export</button>
        <button data-action="import" @click=${() => this.renderRoot.querySelector<HTMLInputElement>('input[type=file]')?.click()} ?disabled=${busy}
          title="Load a ${PRESET_FILE_EXTENSION} file (or drop one here)">Import…</button>
        <input type="file" hidden accept="${PRESET_FILE_EXTENSION},.json,application/json" @change=${this.onFilePicked}>
        <button data-action="copy-link" @click=${() => void this.copyLink()} ?disabled=${busy}>Copy link</button>
        <button data-action="open-link" @click=${open('pasting')} ?disabled=${busy}>Open link…</button>
      </div>
      <div class="description">${chosen?.preset.description ?? ''}</div>
      ${this.renderMode()}
      ${this.link ? html`<div class="link"><label class="sr-only" for="link">Share link</label><input id="link" type="text" readonly .value=${this.link}></div>` : nothing}
      ${this.tasks.renderMessage()}
      ${this.storeProblem && !this.tasks.message ? html`<p class="message info" role="status">${this.storeProblem}</p>` : nothing}
      ${this.drop.dragging ? html`<div class="drop">Drop a ${PRESET_FILE_EXTENSION} file to load it</div>` : nothing}
    `;
  }
}

/** Splits `text` at the first `separator`. */
function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}
