/**
 * Page-side helpers of the loop tests (loaded after pages/host.ts).
 * `renderAnswer` renders a call-and-response exchange offline; the context is
 * suspended just before the answer's bar line until the worker's answer has
 * been scheduled, as a host rendering offline in real time would be.
 */
interface Options {
  pluginUrl: string;
  synthUrl: string;
  tempo?: number;
  beatsPerBar?: number;
  /** Index into MODEL_NAMES (0 melody, 1 drums). */
  model?: number;
  /** A preset state to load first; then only MIDI thru (off) and the phrase gap are set. */
  preset?: unknown;
  /** Events sent before the phrase (e.g. malformed ones the plugin must shrug off). */
  before?: unknown[];
}

const w = window as any;
const SR = 48000;


function param(id: string, value: number) {
  return { [id]: { id, value, normalized: false } };
}

/** A four-note phrase in bar 1 (drum hits on channel 10 for the drum model). */
function phraseEvents(tempo: number, beatsPerBar: number, model: number) {
  const beat = 60 / tempo;
  const start = beatsPerBar * beat;
  const events: any[] = [];
  const notes = model === 1 ? [[36, 0], [42, 0.5], [38, 1], [42, 1.5]] : [[60, 0], [63, 0.5], [67, 1], [70, 1.5]];
  const status = model === 1 ? 0x99 : 0x90;
  for (const [pitch, at] of notes) {
    events.push({ type: 'wam-midi', time: start + at * beat, data: { bytes: [status, pitch, 100] } });
    events.push({ type: 'wam-midi', time: start + (at + 0.4) * beat, data: { bytes: [status & 0xef, pitch, 0] } });
  }
  return events;
}

/** Counts note-ons without a following note-off, per channel and pitch. */
function hanging(events: { status: number; data1: number; data2: number }[]): number {
  const open = new Map<number, number>();
  for (const e of events) {
    const key = ((e.status & 15) << 7) | e.data1;
    const kind = e.status & 0xf0;
    if (kind === 0x90 && e.data2 > 0) open.set(key, (open.get(key) ?? 0) + 1);
    else if (kind === 0x80 || kind === 0x90) open.set(key, Math.max(0, (open.get(key) ?? 0) - 1));
  }
  let n = 0;
  for (const v of open.values()) n += v;
  return n;
}

w.renderAnswer = async (options: Options) => {
  const tempo = options.tempo ?? 120;
  const beatsPerBar = options.beatsPerBar ?? 4;
  const model = options.model ?? 0;
  const barS = (beatsPerBar * 60) / tempo;
  const context = new OfflineAudioContext(2, Math.ceil(SR * barS * 7.2), SR);
  const { plugin, synth } = await w.pluginWithSynth(context, options.pluginUrl, options.synthUrl);
  const node = plugin.audioNode;
  if (options.preset) {
    await node.setState(options.preset);
    await node.setParameterValues({ ...param('midiThru', 0), ...param('silenceGap', 0.5) });
  } else {
    await node.setParameterValues({
      ...param('mode', 1), ...param('model', model), ...param('responseBars', 0), ...param('midiThru', 0),
      ...param('silenceGap', 0.5), ...param('midiChannel', model === 1 ? 10 : 1), ...param('temperature', 0.5),
    });
  }
  const planned: number[][] = [];
  let startBeat = Number.NaN;
  let resolvePlanned: () => void = () => {};
  const plannedArrived = new Promise<void>((resolve) => { resolvePlanned = resolve; });
  node.onPlanned((report: any) => {
    if (Number.isNaN(startBeat)) startBeat = report.startBeat;
    for (let i = 0; i < report.events.length; i += 4) planned.push(Array.from(report.events.slice(i, i + 4)));
    resolvePlanned();
  });
  node.scheduleEvents({
    type: 'wam-transport', time: 0,
    data: { currentBar: 0, currentBarStarted: 0, tempo, timeSigNumerator: beatsPerBar, timeSigDenominator: 4, playing: true },
  });
  for (const event of options.before ?? []) node.scheduleEvents(event);
  node.scheduleEvents(...phraseEvents(tempo, beatsPerBar, model));
  await node.getParameterValues(false);
  // Suspend after the decision point (100 ms before bar 2) but before the bar line.
  const suspendAt = Math.floor(((2 * barS - 0.05) * SR) / 128) * 128 / SR;
  context.suspend(suspendAt).then(async () => {
    await Promise.race([plannedArrived, new Promise((r) => setTimeout(r, 5000))]);
    await context.resume();
  });
  await context.startRendering();
  const received = (await synth.audioNode.received()).events;
  const debug = await node.debugInfo();
  return { planned, received, startBeat, deferred: debug.counters.deferredResponses, hanging: hanging(received), rejected: debug.counters.rejected };
};

w.destroyMidAnswer = async (options: Options) => {
  const context = new AudioContext({ sampleRate: SR });
  const { plugin, synth } = await w.pluginWithSynth(context, options.pluginUrl, options.synthUrl);
  const node = plugin.audioNode;
  // Four-bar answers at a fast tempo: the answer is still playing when we destroy.
  await node.setParameterValues({ ...param('mode', 1), ...param('responseBars', 2), ...param('midiThru', 0), ...param('silenceGap', 0.5), ...param('temperature', 0.5) });
  const t0 = context.currentTime + 0.1;
  node.scheduleEvents({ type: 'wam-transport', time: t0, data: { currentBar: 0, currentBarStarted: t0, tempo: 240, timeSigNumerator: 4, timeSigDenominator: 4, playing: true } });
  node.scheduleEvents(...phraseEvents(240, 4, 0).map((e) => ({ ...e, time: e.time + t0 })));
  // Wait until the answer sounds, then destroy mid-answer.
  let onsBeforeDestroy = 0;
  for (let i = 0; i < 100 && onsBeforeDestroy === 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
    const events = (await synth.audioNode.received()).events;
    onsBeforeDestroy = events.filter((e: any) => (e.status & 0xf0) === 0x90 && e.data2 > 0).length;
  }
  node.destroy();
  await new Promise((r) => setTimeout(r, 300));
  const after = await synth.audioNode.received();
  await context.close();
  return { onsBeforeDestroy, unmatched: hanging(after.events), activeNotes: after.activeNotes };
};
export {};
