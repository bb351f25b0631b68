/**
 * Browser entry for the user preset store tests: scenarios that run against
 * Chromium's real IndexedDB and return plain data for the Node test to check.
 */
import { openDB } from 'idb';
import { FACTORY_PRESETS } from '../../../../plugin/presets/factory.ts';
import { PresetStoreError, UserPresetStore } from '../../../../plugin/presets/user-store.ts';
import { StateError } from '../../../../plugin/state/validate.ts';
import type { PluginState } from '../../../../plugin/state/schema.ts';

/** What a failed call threw, as data. */
async function caught(fn: () => unknown): Promise<{ name: string; message: string } | null> {
  try {
    await fn();
    return null;
  } catch (err) {
    const kind = err instanceof StateError ? 'StateError' : err instanceof PresetStoreError ? 'PresetStoreError' : `other ${String(err)}`;
    return { name: kind, message: (err as Error).message };
  }
}

const stateA = FACTORY_PRESETS[0].state;
const stateB = FACTORY_PRESETS[3].state;

const scenarios = {
  /** Save, list, get, rename, update, delete. */
  async crud(dbName: string) {
    let clock = 1000;
    const store = new UserPresetStore({ dbName, now: () => clock++ });
    const empty = await store.list();
    const beta = await store.save('  Beta ', stateA);
    const alpha = await store.save('alpha', stateB);
    const listed = await store.list();
    const got = await store.get(beta.id);
    const renamed = await store.rename(beta.id, 'Gamma');
    const changed: PluginState = { ...stateB, seed: 77 };
    const updated = await store.update(alpha.id, changed);
    const afterUpdate = await store.get(alpha.id);
    await store.delete(alpha.id);
    const afterDelete = await store.list();
    const missing = await store.get(alpha.id);
    store.close();
    store.close();
    const reopened = await store.list();
    store.close();
    return { empty, beta, alpha, listed, got, renamed, updated, afterUpdate, afterDelete, missing: missing ?? null, reopened, stateA, stateB };
  },

  /** Saves one preset and closes the store (the test then reloads the page). */
  async saveOne(dbName: string, name: string) {
    const store = new UserPresetStore({ dbName });
    const saved = await store.save(name, stateA);
    store.close();
    return saved;
  },

  async listNames(dbName: string) {
    const store = new UserPresetStore({ dbName });
    const names = (await store.list()).map((p) => p.name);
    store.close();
    return names;
  },

  /** Two stores (two plugin instances) on one database see each other's changes. */
  async twoInstances(dbName: string) {
    const a = new UserPresetStore({ dbName });
    const b = new UserPresetStore({ dbName });
    const saved = await a.save('Shared', stateA);
    const seenByB = (await b.list()).map((p) => p.id);
    await b.delete(saved.id);
    const seenByA = (await a.list()).map((p) => p.id);
    a.close();
    b.close();
    return { savedId: saved.id, seenByB, seenByA };
  },

  /** Bad names, bad states and unknown ids fail clearly and save nothing. */
  async errors(dbName: string) {
    const store = new UserPresetStore({ dbName });
    const result = {
      emptyName: await caught(() => store.save('   ', stateA)),
      longName: await caught(() => store.save('x'.repeat(300), stateA)),
      badState: await caught(() => store.save('ok', { schemaVersion: 2, seed: -1 } as unknown as PluginState)),
      renameMissing: await caught(() => store.rename('nope', 'x')),
      deleteMissing: await caught(() => store.delete('nope')),
      updateMissing: await caught(() => store.update('nope', stateA)),
      badDbName: await caught(() => new UserPresetStore({ dbName: 'other' })),
      left: (await store.list()).length,
    };
    store.close();
    return result;
  },

  /** Many saves at once all land. */
  async parallel(dbName: string) {
    const store = new UserPresetStore({ dbName });
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.save(`p${String(i).padStart(2, '0')}`, { ...stateA, seed: i })));
    const presets = await store.list();
    store.close();
    return { names: presets.map((p) => p.name), seeds: presets.map((p) => p.state.seed) };
  },

  /** A record saved by the 0.0.x shell migrates; a broken record is skipped by list() but kept, and renaming it changes nothing. */
  async migrationAndBroken(dbName: string) {
    const store = new UserPresetStore({ dbName });
    await store.list(); // creates the database
    store.close();
    const raw = await openDB(dbName, 1);
    await raw.put('presets', { id: 'old', name: 'Old', state: { version: 1, parameterValues: { density: { id: 'density', value: 0.9, normalized: false } } }, createdAt: 1, updatedAt: 1 });
    await raw.put('presets', { id: 'bad', name: 'Bad', state: { schemaVersion: 2, seed: 'x' }, createdAt: 2, updatedAt: 2 });
    raw.close();
    const listed = await store.list();
    const getBad = await caught(() => store.get('bad'));
    const renameBad = await caught(() => store.rename('bad', 'Still bad'));
    store.close();
    const again = await openDB(dbName, 1);
    const records = await again.getAll('presets');
    again.close();
    return { listed, getBad, renameBad, records };
  },

  /** With no IndexedDB at all, every call fails with a PresetStoreError that says so. */
  async unavailable() {
    Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true });
    const store = new UserPresetStore({ dbName: 'deep-improv-none' });
    return { list: await caught(() => store.list()), save: await caught(() => store.save('x', stateA)) };
  },
};

(window as unknown as { storeScenarios: typeof scenarios }).storeScenarios = scenarios;
(window as unknown as { storeReady: boolean }).storeReady = true;
