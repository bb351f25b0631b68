/**
 * The presets service: everything a GUI does with presets, behind one object
 * the node hands it (`node.presets`), so the GUI only renders and calls:
 * the factory and user presets, loading one (keeping the performer's Web MIDI
 * devices), saving, renaming and deleting user presets, preset files out and
 * in, share links out (and to the clipboard) and in.
 *
 * Every state that comes in is validated (`plugin/state`), and every failure
 * is a `StateError` or `PresetStoreError` whose message can be shown as it is.
 */
import { applyPreset } from './apply.ts';
import { FACTORY_PRESETS } from './factory.ts';
import { presetToFile, readPresetFile } from './file.ts';
import type { Preset } from './preset.ts';
import { parseShareInput, shareLink } from './share.ts';
import { UserPresetStore, type UserPreset } from './user-store.ts';
import type { PluginState } from '../state/schema.ts';

/** What the service needs of the plugin: read the whole state, set a whole state. `DeepImprovNode` is one. */
export interface PresetTarget {
  /** The complete current state. */
  getState(): Promise<PluginState>;
  /**
   * Replaces the whole state.
   * @throws StateError when the state is invalid; the plugin's state is then unchanged.
   */
  setState(state: PluginState): Promise<void>;
}

/** The parts of a {@link UserPresetStore} the service uses (tests hand it a stand-in). */
export type PresetStoreLike = Pick<UserPresetStore, 'list' | 'save' | 'rename' | 'delete' | 'close'>;

/** Options for {@link PresetService}. */
export interface PresetServiceOptions {
  /**
   * Where user presets live. Default null: the service makes a
   * {@link UserPresetStore} on the default database on first use and closes
   * it on {@link PresetService.dispose}. A store given here is the caller's to close.
   */
  store: PresetStoreLike | null;
}

/** A share link made for the current state, and whether it reached the clipboard. */
export interface CopiedLink {
  link: string;
  /** False when the host gave no clipboard access: show the link so the user can copy it. */
  copied: boolean;
}

/** Presets for one plugin. Cheap to make; call {@link dispose} when done (idempotent). */
export class PresetService {
  /** The factory presets, in menu order. */
  readonly factory: readonly Preset[] = FACTORY_PRESETS;
  private readonly target: PresetTarget;
  private store: PresetStoreLike | null;
  private ownsStore = false;

  constructor(target: PresetTarget, options: Partial<PresetServiceOptions> = {}) {
    this.target = target;
    this.store = options.store ?? null;
  }

  /**
   * Every user preset that validates, by name.
   * @throws PresetStoreError when IndexedDB is unavailable or fails.
   */
  listUserPresets(): Promise<UserPreset[]> {
    return this.userStore().list();
  }

  /**
   * Applies a preset's state to the plugin, keeping its current Web MIDI devices (`applyPreset`).
   * @throws StateError when the state is invalid; the plugin is then unchanged.
   */
  async apply(state: PluginState): Promise<void> {
    await this.target.setState(applyPreset(await this.target.getState(), state));
  }

  /**
   * Saves the plugin's current state as a new user preset.
   * @param name 1 to 256 characters (trimmed).
   * @throws StateError for a bad name; PresetStoreError on storage failure.
   */
  async saveCurrent(name: string): Promise<UserPreset> {
    return this.userStore().save(name, await this.target.getState());
  }

  /**
   * Renames a user preset.
   * @throws StateError for a bad name; PresetStoreError when there is no such preset.
   */
  rename(id: string, name: string): Promise<UserPreset> {
    return this.userStore().rename(id, name);
  }

  /**
   * Deletes a user preset.
   * @throws PresetStoreError when there is no such preset or storage fails.
   */
  delete(id: string): Promise<void> {
    return this.userStore().delete(id);
  }

  /**
   * The plugin's current state as a `.deepimprov.json` file, named after the
   * state's own name, else `fallbackName`.
   * @throws StateError when the name is not valid.
   */
  async exportFile(fallbackName: string): Promise<File> {
    const state = await this.target.getState();
    return presetToFile(state, state.name ?? fallbackName);
  }

  /**
   * Reads a preset file the user picked or dropped and applies it.
   * @returns The preset as read (its `name` from the file, when it has one).
   * @throws StateError when the file is not a valid preset (binary data, no
   *   parameters, an invalid state…); the plugin is then unchanged.
   */
  async importFile(file: Blob): Promise<PluginState> {
    const state = await readPresetFile(file);
    await this.apply(state);
    return state;
  }

  /**
   * A share link of the plugin's current state (without its devices).
   * @param base The page the link opens. Default: this document's URL without its fragment.
   * @throws StateError when the state is not valid; TypeError when `base` is not a URL.
   */
  async shareLink(base = defaultShareBase()): Promise<string> {
    return shareLink(base, await this.target.getState());
  }

  /** Makes a share link of the current state (see {@link shareLink}) and tries to put it on the clipboard. */
  async copyShareLink(base?: string): Promise<CopiedLink> {
    const link = await this.shareLink(base);
    try {
      await navigator.clipboard.writeText(link);
      return { link, copied: true };
    } catch {
      // Clipboard access needs focus and permission, which hosts may not give.
      return { link, copied: false };
    }
  }

  /**
   * Opens what the user pasted (a share link or a bare share string) and applies it.
   * @returns The preset as decoded.
   * @throws StateError when it is neither or does not decode; the plugin is then unchanged.
   */
  async openShareInput(text: string): Promise<PluginState> {
    const state = parseShareInput(text);
    await this.apply(state);
    return state;
  }

  /** Closes the store the service made itself (a given store is left to its owner). Idempotent; later calls open a new one. */
  dispose(): void {
    if (this.ownsStore) {
      this.store?.close();
      this.store = null;
      this.ownsStore = false;
    }
  }

  /** The store, made on first use when none was given. */
  private userStore(): PresetStoreLike {
    if (!this.store) {
      this.store = new UserPresetStore();
      this.ownsStore = true;
    }
    return this.store;
  }
}

/** This document's URL without its fragment ('' outside a document). */
function defaultShareBase(): string {
  return typeof document === 'undefined' ? '' : document.baseURI.replace(/#.*$/, '');
}
