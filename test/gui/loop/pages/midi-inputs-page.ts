/**
 * Page-side helpers of the MIDI-input picker test (loaded after
 * test/helpers/pages/host.ts). `navigator.requestMIDIAccess` is replaced by
 * two fake MIDI inputs that emit MIDIMessageEvents (the browser API
 * boundary) and counts how often it is asked; everything else is real: the
 * loop panel bound to the plugin's node in a real AudioContext, chained to
 * the demo synth, which logs the MIDI it receives (midiThru on). `mount`
 * builds it; `withoutWebMidi` removes Web MIDI from the page first.
 */
import { LOOP_PANEL_TAG } from '../../../../gui/loop/loop-panel.ts';

const w = window as any;

/** A MIDIInput as the Web MIDI API gives one. */
class FakeInput extends EventTarget {
  readonly manufacturer = 'test';
  readonly type = 'input';
  readonly version = '1';
  state = 'connected';
  connection = 'closed';
  onmidimessage: ((event: Event) => void) | null = null;
  onstatechange: ((event: Event) => void) | null = null;

  constructor(readonly id: string, readonly name: string) {
    super();
  }

  async open() {
    this.connection = 'open';
    return this;
  }

  async close() {
    this.connection = 'closed';
    return this;
  }

  /** Emits a MIDIMessageEvent with these bytes, stamped now (performance.now() clock). */
  emit(bytes: number[]) {
    const data = new Uint8Array(bytes);
    const event = new MIDIMessageEvent('midimessage', { data });
    Object.defineProperty(event, 'timeStamp', { value: performance.now() });
    this.onmidimessage?.(event);
    this.dispatchEvent(event);
  }
}

const inputs = [new FakeInput('keys-in', 'Keys'), new FakeInput('pads-in', 'Pads')];
const access = { inputs: new Map(inputs.map((i) => [i.id, i])), outputs: new Map(), sysexEnabled: false, onstatechange: null };
/** How often the page asked for MIDI access. */
w.accessRequests = 0;
Object.defineProperty(Navigator.prototype, 'requestMIDIAccess', {
  configurable: true,
  value: async () => { w.accessRequests++; return access; },
});

/** Makes the page a browser without Web MIDI. */
w.withoutWebMidi = () => { delete (Navigator.prototype as any).requestMIDIAccess; };

/** Makes the browser refuse MIDI access, as when the user blocks the prompt. */
w.refuseWebMidi = () => {
  Object.defineProperty(Navigator.prototype, 'requestMIDIAccess', {
    configurable: true,
    value: async () => { w.accessRequests++; throw new DOMException('Permission denied', 'SecurityError'); },
  });
};

function param(id: string, value: number) {
  return { [id]: { id, value, normalized: false } };
}

/**
 * The plugin (mode: listen only, MIDI thru on) chained to the demo synth, and a loop panel bound to its node.
 * Every `setMidiInputs` call's ids go to `window.inputCalls`; `window.stateReads` counts `getState` calls.
 */
w.mount = async ({ pluginUrl, synthUrl }: { pluginUrl: string; synthUrl: string }) => {
  const context = new AudioContext();
  await context.resume();
  const { plugin, synth } = await w.pluginWithSynth(context, pluginUrl, synthUrl);
  const node = plugin.audioNode;
  await node.setParameterValues({ ...param('mode', 0), ...param('midiThru', 1) });
  w.inputCalls = [] as string[][];
  w.stateReads = 0;
  const getState = node.getState.bind(node);
  node.getState = () => { w.stateReads++; return getState(); };
  const setMidiInputs = node.setMidiInputs.bind(node);
  node.setMidiInputs = (ids: string[]) => { w.inputCalls.push([...ids]); return setMidiInputs(ids); };
  const panel = document.createElement(LOOP_PANEL_TAG) as HTMLElement & { node: unknown; updateComplete: Promise<boolean> };
  panel.node = node;
  document.body.append(panel);
  await panel.updateComplete;
  Object.assign(w, { context, node, synth, panel });
};

/** Sends these bytes from the fake input `id`. */
w.emitFrom = (id: string, bytes: number[]) => inputs.find((i) => i.id === id)!.emit(bytes);

/** The note-ons the synth received, as `[pitch, velocity]`. */
w.synthNoteOns = async (): Promise<[number, number][]> => {
  const { events } = await w.synth.audioNode.received();
  return events.filter((e: any) => (e.status & 0xf0) === 0x90 && e.data2 > 0).map((e: any) => [e.data1, e.data2]);
};

/** Releases the plugin, the synth and the context. */
w.unmount = async () => {
  w.panel.remove();
  w.node.destroy();
  await w.context.close();
};
export {};
