/**
 * The plugin records its session in real IndexedDB: after an offline render
 * with audio and MIDI, and a page reload, the stored session holds every MIDI
 * message played in, the feature frames of the whole render, the parameter
 * values and the transport; replay feeds the performance back in.
 * Needs `npm run build` (npm test runs it first).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHostFixture, type HostFixture } from '../helpers/host-fixture.ts';

let fx: HostFixture;

before(async () => {
  fx = await startHostFixture();
});

after(async () => {
  await fx?.close();
});

test('a rendered performance is in the session log after a reload, and replays', async () => {
  const context = await fx.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${fx.server.origin}/host.html`);
  await page.waitForFunction(() => (window as any).hostReady === true);
  const url = fx.pluginUrl;
  const recorded = await page.evaluate(async (url) => {
    const w = window as any;
    const sr = 48000;
    const seconds = 4;
    const ctx = new OfflineAudioContext(2, sr * seconds, sr);
    const [groupId] = await w.initializeWamHost(ctx);
    const { default: Plugin } = await import(url);
    const plugin = await Plugin.createInstance(groupId, ctx);
    const node = plugin.audioNode;
    await node.setParameterValues({ mode: { id: 'mode', value: 0, normalized: false } });
    const osc = new OscillatorNode(ctx, { frequency: 440 });
    osc.connect(node);
    node.connect(ctx.destination);
    osc.start(0);
    node.scheduleEvents({ type: 'wam-transport', time: 0, data: { currentBar: 0, currentBarStarted: 0, tempo: 120, timeSigNumerator: 4, timeSigDenominator: 4, playing: true } });
    const sent: number[][] = [];
    for (let i = 0; i < 12; i++) {
      const t = 0.25 + i * 0.25;
      sent.push([0x90, 60 + i, 100], [0x80, 60 + i, 0]);
      node.scheduleEvents({ type: 'wam-midi', time: t, data: { bytes: [0x90, 60 + i, 100] } });
      node.scheduleEvents({ type: 'wam-midi', time: t + 0.2, data: { bytes: [0x80, 60 + i, 0] } });
    }
    await node.getParameterValues(false);
    await ctx.startRendering();
    await new Promise((r) => setTimeout(r, 200));
    const instanceId = plugin.instanceId;
    node.destroy();
    for (let i = 0; i < 100 && w.hostCounts.workers > 0; i++) await new Promise((r) => setTimeout(r, 50));
    return { instanceId, sent, workersLeft: w.hostCounts.workers };
  }, url);
  assert.equal(recorded.workersLeft, 0, 'the worker flushed and closed');

  await page.reload();
  await page.waitForFunction(() => (window as any).hostReady === true);
  const stored = await page.evaluate(async ({ url, instanceId }) => {
    const w = window as any;
    const ctx = new AudioContext();
    const [groupId] = await w.initializeWamHost(ctx);
    const { default: Plugin } = await import(url);
    const plugin = await Plugin.createInstance(groupId, ctx);
    const api = await plugin.audioNode.sessionLog();
    const sessions = await api.list();
    let mine: any = null;
    let detail: any = null;
    for (const s of sessions) {
      const d = await api.read(s.id);
      if (d.meta.instanceId === instanceId) { mine = s; detail = d; }
    }
    if (!mine) return { found: false, ids: sessions.map((s: any) => s.id) };
    const records = detail.records ?? [];
    const midiIn = records.filter((r: any) => r.kind === 'midi' && r.direction === 'in').map((r: any) => Array.from(r.bytes));
    const params = records.filter((r: any) => r.kind === 'param').map((r: any) => r.id);
    const transports = records.filter((r: any) => r.kind === 'transport').length;
    const featureFrames = mine.featureFrames;
    // Replay the stored performance into a fresh instance and count what it schedules.
    const handle = plugin.audioNode.replay(mine.id);
    const replayed = await handle.done;
    plugin.audioNode.destroy();
    return { found: true, midiIn, params, transports, featureFrames, replayed: replayed.scheduled };
  }, { url, instanceId: recorded.instanceId });
  await context.close();
  assert.equal(stored.found, true, `the session is listed (${JSON.stringify(stored)})`);
  assert.deepEqual(stored.midiIn, recorded.sent, 'every MIDI message played in, in order');
  assert.ok(stored.params!.includes('mode') && stored.params!.includes('temperature'), 'parameter values are logged');
  assert.ok(stored.transports! >= 1, 'the transport is logged');
  const expectedFrames = Math.floor((4 * 48000 - 2048) / 512) + 1;
  assert.ok(Math.abs(stored.featureFrames - expectedFrames) <= 4, `feature frames of the whole render (${stored.featureFrames}, about ${expectedFrames})`);
  assert.equal(stored.replayed, 24, 'replay schedules every MIDI message played in');
});
