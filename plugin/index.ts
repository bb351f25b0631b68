/**
 * Deep Improv's WAM entry: the default export is the WebAudioModule class a
 * host loads by URL (`import(url)`, then `createInstance(groupId, context,
 * initialState)`). Every asset is found relative to this file, so the built
 * folder works from any origin.
 */
import { WebAudioModule } from '@webaudiomodules/sdk';
import type { WamDescriptor } from '@webaudiomodules/api';
import { DESCRIPTOR } from './descriptor.ts';
import { MODULE_ID } from '../protocol/module-id.ts';
import { DeepImprovNode } from './node.ts';
import type { PhraseMidiOptions } from './phrase-midi.ts';
import type { Phrase } from '../protocol/phrase.ts';

let instanceCounter = 0;

export default class DeepImprov extends WebAudioModule<DeepImprovNode> {
  private readonly uniqueInstanceId: string;
  private guiElements = new Set<HTMLElement & { dispose?: () => void }>();
  private resolveNodeCreated: (node: DeepImprovNode) => void = () => {};
  /**
   * Resolves with the node as soon as it exists, before it is ready, so a
   * host can follow `node.onStatus` (processor, then models) while
   * `initialize()` is still loading.
   */
  readonly nodeCreated: Promise<DeepImprovNode> = new Promise((resolve) => { this.resolveNodeCreated = resolve; });

  constructor(groupId: string, audioContext: BaseAudioContext) {
    super(groupId, audioContext);
    this._descriptor = { ...DESCRIPTOR } as WamDescriptor;
    instanceCounter++;
    // performance.now() is coarsened in most hosts: two instances created in
    // the same tick would share the SDK's default id and each other's events.
    this.uniqueInstanceId = `${MODULE_ID}#${instanceCounter}-${Math.random().toString(36).slice(2, 10)}`;
  }

  /** The module id: the descriptor's identifier with the version. */
  override get moduleId(): string {
    return MODULE_ID;
  }

  override get instanceId(): string {
    return this.uniqueInstanceId;
  }

  /**
   * Loads the processor, creates the node and waits for it (and the worker) to be ready.
   * @throws StateError when `initialState` is given and invalid.
   */
  override async createAudioNode(initialState?: unknown): Promise<DeepImprovNode> {
    await DeepImprovNode.addModules(this.audioContext, this.moduleId);
    const node = new DeepImprovNode(this);
    this.resolveNodeCreated(node);
    try {
      await node.setup(initialState);
    } catch (error) {
      node.destroy();
      throw error;
    }
    return node;
  }

  override async initialize(state?: unknown): Promise<this> {
    if (!this._audioNode) this.audioNode = await this.createAudioNode(state);
    this.initialized = true;
    return this;
  }

  /** The GUI's root element (`<deep-improv-gui>`), bound to this instance's node. */
  override async createGui(): Promise<HTMLElement> {
    const { createGuiElement } = await import('../gui/index.ts');
    const element = createGuiElement(this.audioNode);
    this.guiElements.add(element);
    return element;
  }

  /** Detaches a GUI made by {@link createGui} and releases its listeners. */
  override destroyGui(gui?: Element): void {
    const element = gui as (HTMLElement & { dispose?: () => void }) | undefined;
    if (!element || !this.guiElements.has(element)) return;
    this.guiElements.delete(element);
    element.dispose?.();
    element.remove();
  }
}

export { DeepImprovNode };
/** Reads a preset shared as a link (`#preset=…` or `?preset=`); hosts use it to open shared links. */
export { readPresetFromUrl } from './presets/share.ts';
export type { PhraseMidiOptions } from './phrase-midi.ts';

/**
 * One phrase (e.g. a generated answer) as `.mid` bytes, for drag and drop or
 * a download (see plugin/phrase-midi.ts; the GUI uses that module's
 * synchronous version). The writer loads on first use, so a host that never
 * exports pays nothing when it loads the plugin.
 * @throws Error when the tempo is not positive or a note is outside MIDI's ranges.
 */
export async function phraseToMidi(phrase: Phrase, options: Partial<PhraseMidiOptions> = {}): Promise<Uint8Array> {
  const { phraseToMidi: write } = await import('./phrase-midi.ts');
  return write(phrase, options);
}
