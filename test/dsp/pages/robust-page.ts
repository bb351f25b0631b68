/**
 * Page-side helpers of the processor robustness tests (loaded after
 * pages/host.ts): malformed WAM events and parameter updates thrown at a
 * real plugin in an OfflineAudioContext, with the demo synth downstream.
 */
const w = window as any;
const SR = 48000;

/** Malformed events and the counter each must land in. */
const BAD_EVENTS: [unknown, string][] = [
  [null, 'unknownType'],
  ['not an event', 'unknownType'],
  [{ type: 'wam-bogus', time: 0.1, data: {} }, 'unknownType'],
  [{ type: 'wam-midi', time: Number.NaN, data: { bytes: [0x90, 61, 100] } }, 'badTime'],
  [{ type: 'wam-midi', time: 'soon', data: { bytes: [0x90, 61, 100] } }, 'badTime'],
  [{ type: 'wam-midi', time: 0.1, data: null }, 'badData'],
  [{ type: 'wam-automation', time: 0.1, data: null }, 'badData'],
  [{ type: 'wam-automation', time: 0.1, data: { id: '__proto__', value: 1, normalized: false } }, 'unknownParameter'],
  [{ type: 'wam-automation', time: 0.1, data: { id: 'constructor', value: 1, normalized: false } }, 'unknownParameter'],
  [{ type: 'wam-automation', time: 0.1, data: { id: 'temperature', value: Number.NaN, normalized: false } }, 'badValue'],
  [{ type: 'wam-transport', time: 0.1, data: null }, 'badData'],
  [{ type: 'wam-transport', time: 0.1, data: { tempo: 'fast', playing: true } }, 'badData'],
  [{ type: 'wam-sysex', time: 0.1, data: { bytes: [0xf0, 1, 0xf7] } }, 'badData'],
];

/** Resolves with `promise`'s value, or with `fallback` after `ms` (bounds a failure; a pass never waits for it). */
function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  return Promise.race([promise, new Promise<F>((resolve) => setTimeout(() => resolve(fallback), ms))]);
}

async function setUp(pluginUrl: string, synthUrl: string, seconds: number) {
  const context = new OfflineAudioContext(2, SR * seconds, SR);
  const [groupId] = await w.initializeWamHost(context);
  const { default: Plugin } = await import(/* @vite-ignore */ pluginUrl);
  const { default: Synth } = await import(/* @vite-ignore */ synthUrl);
  const plugin = await Plugin.createInstance(groupId, context);
  const synth = await Synth.createInstance(groupId, context);
  // The plugin alone reaches the destination; the synth is pulled (silently) after it.
  const mute = new GainNode(context, { gain: 0 });
  plugin.audioNode.connect(synth.audioNode);
  synth.audioNode.connect(mute).connect(context.destination);
  plugin.audioNode.connect(context.destination);
  plugin.audioNode.connectEvents(synth.instanceId);
  return { context, plugin, synth, node: plugin.audioNode };
}

w.throwBadEvents = async ({ pluginUrl, synthUrl }: { pluginUrl: string; synthUrl: string }) => {
  const { context, plugin, synth, node } = await setUp(pluginUrl, synthUrl, 1);
  let processorErrors = 0;
  node.onprocessorerror = () => { processorErrors++; };
  const buffer = context.createBuffer(2, SR, SR);
  let seed = 7;
  for (let c = 0; c < 2; c++) {
    const data = buffer.getChannelData(c);
    for (let i = 0; i < data.length; i++) {
      seed = (seed * 16807) % 2147483647;
      data[i] = (seed / 2147483647) * 2 - 1;
    }
  }
  const source = new AudioBufferSourceNode(context, { buffer });
  source.connect(node);
  source.start(0);
  // A note through MIDI thru, the bad events while it sounds, then its note-off.
  node.scheduleEvents({ type: 'wam-midi', time: 0.05, data: { bytes: [0x90, 60, 100] } });
  for (const [event] of BAD_EVENTS) node.scheduleEvents(event);
  node.scheduleEvents({ type: 'wam-midi', time: 0.6, data: { bytes: [0x80, 60, 0] } });
  await node.getParameterValues(false);
  let panicked = false;
  context.suspend(0.8).then(async () => {
    node.panic();
    panicked = (await within(node.getParameterValues(false), 5000, 'timeout')) !== 'timeout';
    await context.resume();
  });
  const rendered = await context.startRendering();
  let mismatches = 0;
  let firstMismatch = -1;
  for (let c = 0; c < 2; c++) {
    const a = buffer.getChannelData(c);
    const b = rendered.getChannelData(c);
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) { mismatches++; if (firstMismatch < 0) firstMismatch = i; }
  }
  const received = await within(synth.audioNode.received(), 5000, null);
  const debug = await within(node.debugInfo(), 5000, null);
  const values = await within(node.getParameterValues(false, 'temperature'), 5000, null);
  // The counters reach the node (flush sends them) and the GUI's status line.
  await within(node.flushStreams(), 5000, null);
  const gui = await plugin.createGui();
  document.body.append(gui);
  await gui.updateComplete;
  const status = gui.shadowRoot?.querySelector('[data-part="processor"]')?.textContent ?? '';
  plugin.destroyGui(gui);
  const expected: Record<string, number> = {};
  for (const [, reason] of BAD_EVENTS) expected[reason] = (expected[reason] ?? 0) + 1;
  return {
    processorErrors, mismatches, firstMismatch, panicked, received, debug, expected,
    temperature: (values as any)?.temperature?.value, publicCounters: node.processorCounters, status,
  };
};

w.pollutingParameters = async ({ pluginUrl, synthUrl }: { pluginUrl: string; synthUrl: string }) => {
  const { node } = await setUp(pluginUrl, synthUrl, 1);
  const sdk = Object.getPrototypeOf(Object.getPrototypeOf(node));
  const nodeErrors: string[] = [];
  for (const id of ['__proto__', 'constructor', 'nope']) {
    const values = JSON.parse(`{"${id}": {"id": "${id}", "value": 7, "normalized": false}}`);
    try {
      nodeErrors.push((await within(node.setParameterValues(values).then(() => 'accepted'), 5000, 'never answered')) as string);
    } catch (error) {
      nodeErrors.push((error as Error).message);
    }
  }
  // The same updates straight to the processor, past the node's check (as another host's code could send them).
  const polluting = JSON.parse('{"__proto__": {"id": "__proto__", "value": 7, "normalized": false}, "constructor": {"id": "constructor", "value": 7, "normalized": false}}');
  const setSettled = await within(sdk.setParameterValues.call(node, polluting).then(() => true), 5000, false);
  const stateSettled = await within(sdk.setState.call(node, { parameterValues: polluting }).then(() => true), 5000, false);
  const nullStateSettled = await within(sdk.setState.call(node, null).then(() => true), 5000, false);
  const debug = await within(node.debugInfo(), 5000, null);
  const values = await within(node.getParameterValues(false), 5000, null);
  return { nodeErrors, setSettled, stateSettled, nullStateSettled, debug, ids: values ? Object.keys(values) : null };
};
export {};
