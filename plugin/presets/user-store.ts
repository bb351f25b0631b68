/**
 * User presets, kept in the browser's IndexedDB (through `idb`), shared by
 * every instance of the plugin on the same origin.
 *
 * Every state is validated on the way in and again on the way out, so a
 * preset saved by an older version migrates when it is read, and a record
 * that no longer validates is left out of `list()` but kept in the database
 * (nothing is deleted behind the user's back).
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { describe } from '../state/reader.ts';
import { STATE_LIMITS, type PluginState } from '../state/schema.ts';
import { StateError, validateState } from '../state/validate.ts';
import type { Preset } from './preset.ts';

/** Default database name (one per origin, shared by all instances). */
export const USER_PRESET_DB = 'deep-improv-presets';
/** Version of the database layout (not of the state schema). */
const DB_VERSION = 1;
const STORE = 'presets';

/** A saved user preset. */
export interface UserPreset extends Preset {
  /** When it was first saved, in milliseconds since 1970 (`Date.now()`). */
  createdAt: number;
  /** When its name or state last changed, in milliseconds since 1970. */
  updatedAt: number;
}

/** What the database holds per preset (the state as saved, validated again when read). */
interface StoredPreset {
  id: string;
  name: string;
  state: unknown;
  createdAt: number;
  updatedAt: number;
}

interface PresetDb extends DBSchema {
  presets: { key: string; value: StoredPreset };
}

/** A storage problem: IndexedDB missing or failing, or no preset with an id. */
export class PresetStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PresetStoreError';
  }
}

/** Options for {@link UserPresetStore}. */
export interface UserPresetStoreOptions {
  /** Database name; must contain `deep-improv`. Default {@link USER_PRESET_DB}. Tests use their own. */
  dbName: string;
  /** The clock for `createdAt`/`updatedAt`, in ms since 1970. Default `Date.now`. */
  now: () => number;
}

/** A random id (crypto.randomUUID is missing outside secure contexts, so fall back to getRandomValues). */
function newId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * A preset name: trimmed, 1 to 256 characters.
 * @throws StateError otherwise.
 */
export function checkPresetName(name: unknown): string {
  const trimmed = typeof name === 'string' ? name.trim() : name;
  if (typeof trimmed !== 'string' || trimmed.length === 0 || trimmed.length > STATE_LIMITS.maxStringChars) {
    throw new StateError('name', `expected a preset name of 1 to ${STATE_LIMITS.maxStringChars} characters, got ${describe(name)}`);
  }
  return trimmed;
}

/**
 * Save, rename, delete and list user presets. The constructor does nothing;
 * the database opens on first use. Call {@link close} when done (idempotent;
 * a later call opens it again).
 */
export class UserPresetStore {
  private readonly options: UserPresetStoreOptions;
  private db: Promise<IDBPDatabase<PresetDb>> | null = null;

  /** @throws PresetStoreError when `dbName` does not contain `deep-improv`. */
  constructor(options: Partial<UserPresetStoreOptions> = {}) {
    this.options = { dbName: USER_PRESET_DB, now: Date.now, ...options };
    if (!this.options.dbName.includes('deep-improv')) {
      throw new PresetStoreError(`The preset database name must contain "deep-improv"; got "${this.options.dbName}"`);
    }
  }

  /**
   * Every user preset that validates, by name (then by creation time).
   * @throws PresetStoreError when IndexedDB is unavailable or fails.
   */
  async list(): Promise<UserPreset[]> {
    const records = await this.run((db) => db.getAll(STORE));
    const presets: UserPreset[] = [];
    for (const record of records) {
      const preset = this.read(record);
      if (preset) presets.push(preset);
    }
    return presets.sort((a, b) => a.name.localeCompare(b.name) || a.createdAt - b.createdAt);
  }

  /**
   * One preset by id, or undefined when there is none.
   * @throws StateError when it is stored but no longer validates; PresetStoreError on storage failure.
   */
  async get(id: string): Promise<UserPreset | undefined> {
    const record = await this.run((db) => db.get(STORE, String(id)));
    if (!record) return undefined;
    const state = validateState(record.state);
    return this.toPreset(record, state);
  }

  /**
   * Saves a new preset (always a new id, even when the name exists).
   * @param name 1 to 256 characters (trimmed); also stored as `state.name`.
   * @param state The state (validated; an invalid one saves nothing).
   * @throws StateError for a bad name or state; PresetStoreError on storage failure.
   */
  async save(name: string, state: PluginState): Promise<UserPreset> {
    const cleanName = checkPresetName(name);
    const valid = validateState(state);
    valid.name = cleanName;
    const now = this.options.now();
    const record: StoredPreset = { id: newId(), name: cleanName, state: valid, createdAt: now, updatedAt: now };
    await this.run((db) => db.add(STORE, record));
    return this.toPreset(record, validateState(valid));
  }

  /**
   * Replaces a preset's state, keeping its id and name.
   * @throws StateError for a bad state; PresetStoreError when there is no such preset.
   */
  async update(id: string, state: PluginState): Promise<UserPreset> {
    const valid = validateState(state);
    return this.change(id, (record) => {
      valid.name = record.name;
      return { ...record, state: valid };
    });
  }

  /**
   * Renames a preset (its state's `name` too).
   * @throws StateError for a bad name, or when the stored state no longer
   *   validates (nothing is changed then); PresetStoreError when there is no such preset.
   */
  async rename(id: string, name: string): Promise<UserPreset> {
    const cleanName = checkPresetName(name);
    return this.change(id, (record) => ({ ...record, name: cleanName, state: { ...validateState(record.state), name: cleanName } }));
  }

  /**
   * Deletes a preset.
   * @throws PresetStoreError when there is no such preset or storage fails.
   */
  async delete(id: string): Promise<void> {
    await this.run(async (db) => {
      const tx = db.transaction(STORE, 'readwrite');
      if (!(await tx.store.getKey(String(id)))) {
        abort(tx);
        throw new PresetStoreError(`No user preset with id "${String(id)}"`);
      }
      await tx.store.delete(String(id));
      await tx.done;
    });
  }

  /** Closes the database connection. Idempotent; a later call opens it again. */
  close(): void {
    const db = this.db;
    this.db = null;
    db?.then((d) => d.close(), () => undefined);
  }

  /** Reads, changes and writes one record in a single transaction (aborted, changing nothing, if `edit` throws). */
  private async change(id: string, edit: (record: StoredPreset) => StoredPreset): Promise<UserPreset> {
    const updated = await this.run(async (db) => {
      const tx = db.transaction(STORE, 'readwrite');
      const record = await tx.store.get(String(id));
      if (!record) {
        abort(tx);
        throw new PresetStoreError(`No user preset with id "${String(id)}"`);
      }
      let next: StoredPreset;
      try {
        next = { ...edit(record), updatedAt: this.options.now() };
      } catch (err) {
        abort(tx);
        throw err;
      }
      await tx.store.put(next);
      await tx.done;
      return next;
    });
    return this.toPreset(updated, validateState(updated.state));
  }

  /** A stored record as a preset, or null when its state no longer validates. */
  private read(record: StoredPreset): UserPreset | null {
    try {
      return this.toPreset(record, validateState(record.state));
    } catch {
      return null;
    }
  }

  private toPreset(record: StoredPreset, state: PluginState): UserPreset {
    return { id: record.id, name: record.name, description: '', state, createdAt: record.createdAt, updatedAt: record.updatedAt };
  }

  /** Opens the database (once) and runs `fn`, turning storage failures into PresetStoreError. */
  private async run<T>(fn: (db: IDBPDatabase<PresetDb>) => Promise<T>): Promise<T> {
    let db: IDBPDatabase<PresetDb>;
    try {
      db = await this.open();
    } catch (err) {
      this.db = null; // let a later call try again (e.g. after the user leaves private mode)
      if (err instanceof PresetStoreError) throw err;
      throw new PresetStoreError(`User presets are unavailable: IndexedDB could not be opened (${errorText(err)}). Export presets to files instead.`, { cause: err });
    }
    try {
      return await fn(db);
    } catch (err) {
      if (err instanceof PresetStoreError || err instanceof StateError) throw err;
      throw new PresetStoreError(`User preset storage failed (${errorText(err)})`, { cause: err });
    }
  }

  private open(): Promise<IDBPDatabase<PresetDb>> {
    if (typeof indexedDB === 'undefined' || indexedDB === null) {
      return Promise.reject(new PresetStoreError('User presets are unavailable: this browser context has no IndexedDB (private mode or a sandboxed frame?). Export presets to files instead.'));
    }
    this.db ??= openDB<PresetDb>(this.options.dbName, DB_VERSION, {
      upgrade(db) {
        if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath: 'id' });
      },
      // Another tab wants a newer layout: step aside instead of blocking it.
      blocking: (_current, _next, event) => (event.target as IDBDatabase).close(),
    });
    return this.db;
  }
}

/** Aborts a transaction, observing its `done` promise (which then rejects) so no unhandled rejection is reported. */
function abort(tx: { abort(): void; done: Promise<void> }): void {
  tx.done.catch(() => undefined);
  tx.abort();
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
