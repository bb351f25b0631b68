/**
 * Browser entry for the `<di-preset-bar>` tests: mounts bars on a
 * PresetService over a stub target (which validates like the node: a
 * rejected state changes nothing) and exposes what the Node test needs to check.
 */
import '../../../../gui/presets/preset-bar.ts';
import type { DiPresetBar } from '../../../../gui/presets/preset-bar.ts';
import { PresetService, type PresetStoreLike, type PresetTarget } from '../../../../plugin/presets/service.ts';
import { PresetStoreError, UserPresetStore } from '../../../../plugin/presets/user-store.ts';
import { defaultState } from '../../../../plugin/state/defaults.ts';
import type { PluginState } from '../../../../plugin/state/schema.ts';
import { StateError, validateState } from '../../../../plugin/state/validate.ts';

/** A host that keeps a validated state, counts setState calls, and can be told to refuse the next one. */
class StubHost implements PresetTarget {
  state: PluginState = { ...defaultState(), devices: { midiOutputId: 'my-synth', midiInputIds: ['my-keys'] } };
  setCalls = 0;
  refuseNext = false;

  async getState(): Promise<PluginState> {
    return structuredClone(this.state);
  }

  async setState(input: PluginState): Promise<void> {
    if (this.refuseNext) {
      this.refuseNext = false;
      throw new StateError('parameters.tempo', 'expected a finite number, got "refused by the test host"');
    }
    const next = validateState(input);
    this.state = next;
    this.setCalls++;
  }
}

interface Mounted {
  bar: DiPresetBar;
  host: StubHost;
  service: PresetService;
  /** The store the service made itself, when it was given none. */
  ownStore: () => UserPresetStore | null;
  events: { type: string; detail: unknown }[];
}

const mounted = new Map<string, Mounted>();

const api = {
  /** Mounts a bar under `key`: with a store on `dbName`, a broken store, or none (the bar makes its own). */
  async mount(key: string, store: { dbName?: string; broken?: boolean; own?: boolean }): Promise<void> {
    const bar = document.createElement('di-preset-bar') as DiPresetBar;
    const host = new StubHost();
    const events: Mounted['events'] = [];
    bar.id = key;
    bar.shareBase = 'https://demo.test/host/';
    let given: PresetStoreLike | null = null;
    if (store.broken) {
      given = { list: () => Promise.reject(new PresetStoreError('User presets are unavailable: test store')), close: () => undefined } as unknown as PresetStoreLike;
    } else if (!store.own) {
      given = new UserPresetStore({ dbName: store.dbName });
    }
    const service = new PresetService(host, { store: given });
    bar.presets = service;
    const ownStore = () => (store.own ? (service as unknown as { store: UserPresetStore | null }).store : null);
    for (const type of ['di-preset-loaded', 'di-preset-error']) bar.addEventListener(type, (e) => events.push({ type, detail: (e as CustomEvent).detail }));
    document.body.append(bar);
    await bar.updateComplete;
    await bar.refresh();
    await bar.updateComplete;
    mounted.set(key, { bar, host, service, ownStore, events });
  },
  state: (key: string) => mounted.get(key)!.host.state,
  setCalls: (key: string) => mounted.get(key)!.host.setCalls,
  events: (key: string) => mounted.get(key)!.events,
  refuseNext: (key: string) => { mounted.get(key)!.host.refuseNext = true; },
  setHostState: (key: string, state: unknown) => { mounted.get(key)!.host.state = validateState(state); },
  /** Waits until the bar is idle and rendered. */
  async settle(key: string): Promise<void> {
    const { bar } = mounted.get(key)!;
    for (let i = 0; i < 50 && bar.tasks.busy; i++) await new Promise((r) => setTimeout(r, 20));
    await bar.updateComplete;
  },
  /** Drops a file with this text on the bar, as a drag and drop from the desktop would. */
  drop(key: string, text: string, name: string): void {
    const { bar } = mounted.get(key)!;
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], name, { type: 'application/json' }));
    bar.dispatchEvent(new DragEvent('dragenter', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    bar.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  },
  /** Starts a drag over the bar and says whether the drop overlay shows. */
  async dragOverlayShows(key: string): Promise<boolean> {
    const { bar } = mounted.get(key)!;
    const transfer = new DataTransfer();
    transfer.items.add(new File(['{}'], 'x.deepimprov.json'));
    bar.dispatchEvent(new DragEvent('dragenter', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    await bar.updateComplete;
    const shows = bar.shadowRoot!.querySelector('.drop') !== null;
    bar.dispatchEvent(new DragEvent('dragleave', { dataTransfer: transfer, bubbles: true }));
    await bar.updateComplete;
    return shows && bar.shadowRoot!.querySelector('.drop') === null;
  },
  /** Makes clipboard writes fail, as in a host that gives no clipboard permission. */
  breakClipboard(): void {
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) }, configurable: true });
  },
  /**
   * Removes a bar and disposes its service, as the node does when destroyed;
   * says whether the service released the store it made itself, and whether
   * the bar's download URLs and drop listeners went with it.
   */
  async unmount(key: string): Promise<{ storeReleased: boolean; pendingDownloads: number }> {
    const { bar, service, ownStore } = mounted.get(key)!;
    const hadStore = ownStore() !== null;
    bar.remove();
    service.dispose();
    return { storeReleased: hadStore && ownStore() === null, pendingDownloads: bar.tasks.pendingDownloads };
  },
};

(window as unknown as { barTest: typeof api }).barTest = api;
(window as unknown as { barReady: boolean }).barReady = true;
