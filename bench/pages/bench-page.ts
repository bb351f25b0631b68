/**
 * Page-side benchmarks (loaded after test/helpers/pages/host.ts):
 * loop latency in a realtime context, a ten-minute accelerated performance in
 * an OfflineAudioContext, and the processor's share of the render quantum.
 */
const w = window as any;
const SR = 48000;
const p = (id: string, value: number) => ({ [id]: { id, value, normalized: false } });

/** The plugin alone, connected to the destination; with a synth URL, the host page's plugin → synth chain. */
async function host(context: BaseAudioContext, pluginUrl: string, synthUrl?: string) {
  if (synthUrl) return w.pluginWithSynth(context, pluginUrl, synthUrl);
  const [groupId] = await w.initializeWamHost(context);
  const { default: Plugin } = await import(pluginUrl);
  const plugin = await Plugin.createInstance(groupId, context);
  plugin.audioNode.connect(context.destination);
  return { plugin, synth: null };
}

/**
 * Request-to-reply latency of the loop (audio clock), accompany mode at 400 BPM
 * in 2/4: a request every 0.3 s. The processor sees a reply at its next render
 * callback, so the figure includes the wait for it: `latencyHint` sets the
 * context's callback size (headless Chromium here: 'interactive' renders
 * 480-frame bursts every 10 ms, 0 renders every 128-frame quantum). The notes
 * are played through the processor in time, so its phrase updates (one per
 * whole beat of each window) reach the worker before the window's request.
 */
w.benchLoopLatency = async (pluginUrl: string, seconds: number, latencyHint: AudioContextLatencyCategory | number = 'interactive') => {
  const context = new AudioContext({ sampleRate: SR, latencyHint });
  const { plugin } = await host(context, pluginUrl);
  const node = plugin.audioNode;
  await node.setParameterValues({ ...p('mode', 2), ...p('responseBars', 0), ...p('midiThru', 0) });
  const t0 = context.currentTime + 0.05;
  node.scheduleEvents({ type: 'wam-transport', time: t0, data: { currentBar: 0, currentBarStarted: t0, tempo: 400, timeSigNumerator: 2, timeSigDenominator: 4, playing: true } });
  for (let i = 0; i < seconds * 6; i++) {
    node.scheduleEvents({ type: 'wam-midi', time: t0 + i * 0.15, data: { bytes: [0x90, 60 + (i % 12), 90] } });
    node.scheduleEvents({ type: 'wam-midi', time: t0 + i * 0.15 + 0.1, data: { bytes: [0x80, 60 + (i % 12), 0] } });
  }
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const debug = await node.debugInfo();
  const worker = await node.workerStatus();
  node.destroy();
  await context.close();
  return {
    latencies: debug.replyLatenciesMs, computeMs: worker.answerComputeMs, counters: debug.counters,
    answered: worker.answered, phraseUpdates: worker.phraseUpdates, warmAnswers: worker.warmAnswers,
  };
};

/**
 * Ten minutes of performance, rendered offline as fast as the machine goes:
 * the performer plays a phrase every other bar, the plugin accompanies. The
 * context is suspended at each bar's decision point until the worker has
 * answered, as a host rendering offline would wait. Counts late, dropped and
 * duplicated events at the receiving synth against the processor's plan.
 */
w.benchTenMinutes = async (pluginUrl: string, synthUrl: string, minutes: number) => {
  const tempo = 120;
  const barS = 2;
  const seconds = minutes * 60;
  const context = new OfflineAudioContext(2, SR * seconds, SR);
  const { plugin, synth } = await host(context, pluginUrl, synthUrl);
  const node = plugin.audioNode;
  await node.setParameterValues({ ...p('mode', 2), ...p('responseBars', 0), ...p('midiThru', 0), ...p('model', 1), ...p('midiChannel', 10) });
  const planned: string[] = [];
  let plannedReports = 0;
  const renderFrames = SR * seconds;
  node.onPlanned((report: any) => {
    plannedReports++;
    // Events planned past the end of the render cannot arrive; they are not counted.
    for (let i = 0; i < report.events.length; i += 4) if (report.events[i] < renderFrames) planned.push(Array.from(report.events.slice(i, i + 4)).join(','));
  });
  node.scheduleEvents({ type: 'wam-transport', time: 0, data: { currentBar: 0, currentBarStarted: 0, tempo, timeSigNumerator: 4, timeSigDenominator: 4, playing: true } });
  const phrase = [36, 42, 38, 42, 36, 36, 38, 42];
  for (let bar = 0; bar < seconds / barS; bar += 2) {
    phrase.forEach((pitch, i) => {
      const t = bar * barS + i * 0.25;
      node.scheduleEvents({ type: 'wam-midi', time: t, data: { bytes: [0x99, pitch, 100] } });
      node.scheduleEvents({ type: 'wam-midi', time: t + 0.1, data: { bytes: [0x89, pitch, 0] } });
    });
  }
  await node.getParameterValues(false);
  const bars = Math.floor(seconds / barS);
  for (let bar = 1; bar < bars; bar++) {
    const decision = Math.floor(((bar * barS - 0.05) * SR) / 128) * 128 / SR;
    const want = bar;
    context.suspend(decision).then(async () => {
      for (let i = 0; i < 200 && plannedReports < want; i++) await new Promise((r) => setTimeout(r, 5));
      await context.resume();
    });
  }
  const t0 = performance.now();
  await context.startRendering();
  const renderMs = performance.now() - t0;
  const received = (await synth.audioNode.received()).events.map((e: any) => [e.frame, e.status, e.data1, e.data2].join(','));
  const debug = await node.debugInfo();
  const plannedSet = new Map<string, number>();
  for (const e of planned) plannedSet.set(e, (plannedSet.get(e) ?? 0) + 1);
  let duplicated = 0;
  let unexpected = 0;
  const seen = new Map<string, number>();
  for (const e of received) {
    const n = (seen.get(e) ?? 0) + 1;
    seen.set(e, n);
    if (!plannedSet.has(e)) unexpected++;
    else if (n > plannedSet.get(e)!) duplicated++;
  }
  let missing = 0;
  for (const [e, n] of plannedSet) missing += Math.max(0, n - (seen.get(e) ?? 0));
  return {
    seconds, renderMs, planned: planned.length, received: received.length, windows: plannedReports,
    late: debug.counters.lateEvents + unexpected, dropped: debug.counters.droppedEvents + missing, duplicated,
    skippedLateEvents: debug.counters.skippedLateEvents,
  };
};

/** Renders `seconds` of noise offline: with no plugin, the plugin with analysis off, and with analysis on. */
w.benchWorkletShare = async (pluginUrl: string, seconds: number) => {
  const render = async (variant: 'none' | 'passthrough' | 'features') => {
    const context = new OfflineAudioContext(2, SR * seconds, SR);
    const buffer = context.createBuffer(2, SR * seconds, SR);
    for (let c = 0; c < 2; c++) {
      const d = buffer.getChannelData(c);
      for (let i = 0; i < d.length; i++) d[i] = Math.sin(i * 0.01 * (c + 1)) * 0.3 + (Math.random() - 0.5) * 0.1;
    }
    const source = new AudioBufferSourceNode(context, { buffer });
    if (variant === 'none') source.connect(context.destination);
    else {
      const { plugin } = await host(context, pluginUrl);
      await plugin.audioNode.setParameterValues(p('features', variant === 'features' ? 1 : 0));
      source.connect(plugin.audioNode);
    }
    source.start();
    const t0 = performance.now();
    await context.startRendering();
    return performance.now() - t0;
  };
  const runs = { none: [] as number[], passthrough: [] as number[], features: [] as number[] };
  for (let i = 0; i < 3; i++) for (const v of ['none', 'passthrough', 'features'] as const) runs[v].push(await render(v));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1];
  return { noneMs: median(runs.none), passthroughMs: median(runs.passthrough), featuresMs: median(runs.features), quanta: (SR * seconds) / 128 };
};
export {};
