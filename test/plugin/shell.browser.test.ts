/**
 * The plugin in real WAM hosts (headless Chromium): loading cross-origin
 * with and without COOP/COEP and under a strict CSP, bit-exact pass-through
 * in an OfflineAudioContext, sample-accurate MIDI thru, isolation between
 * instances, clean teardown, and state round trips.
 * Needs `npm run build` (npm test runs it first).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { useHostFixture } from '../helpers/host-fixture.ts';
import type { StaticServer } from '../helpers/server.ts';

const COI = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
const CSP = { 'Content-Security-Policy': "default-src 'self'; script-src 'self' blob:; worker-src 'self' blob:; connect-src 'self'" };

// The plugin is served from the fixture's origin; the host pages from others (plain, COOP/COEP) or, under the CSP, with
// the plugin on their own origin.
const fixture = useHostFixture({
  requires: ['demo/build/synth/index.js'],
  hosts: { plain: {}, isolated: { headers: COI }, csp: { headers: CSP, plugin: true } },
});

async function hostPage(server: StaticServer): Promise<Page> {
  const page = await fixture.browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.origin}/host.html`);
  await page.waitForFunction(() => (window as any).hostReady === true, undefined, { timeout: 10_000 });
  (page as any).errors = errors;
  return page;
}

/** Loads the plugin in a page's realtime context; returns what the plugin reports. */
async function loadIn(page: Page, url: string) {
  return page.evaluate(async (url) => {
    const w = window as any;
    const context = new AudioContext();
    const [groupId] = await w.initializeWamHost(context);
    const { default: Plugin } = await import(url);
    const plugin = await Plugin.createInstance(groupId, context);
    plugin.audioNode.connect(context.destination);
    const status = plugin.audioNode.status;
    const worker = await plugin.audioNode.workerStatus();
    const gui = await plugin.createGui();
    document.body.append(gui);
    await new Promise((r) => setTimeout(r, 50));
    const guiText = gui.shadowRoot?.textContent ?? '';
    w.loaded = { context, plugin, gui };
    return { status, worker, guiText, isolated: crossOriginIsolated, name: plugin.descriptor.name, params: Object.keys(await plugin.audioNode.getParameterInfo()) };
  }, url);
}

describe('loading in WAM hosts', () => {
  test('loads cross-origin (CORS only) and reports processor and worker ready', async () => {
    const page = await hostPage(fixture.hosts.plain);
    const result = await loadIn(page, fixture.pluginUrl);
    assert.equal(result.name, 'Deep Improv');
    assert.equal(result.isolated, false);
    assert.deepEqual({ p: result.status.processor, w: result.status.worker }, { p: 'ready', w: 'ready' });
    assert.equal(result.worker.processorConnected, true, 'worker and processor shook hands over their MessageChannel');
    for (const id of ['mode', 'midiChannel', 'midiThru', 'armed']) assert.ok(result.params.includes(id), `parameter ${id}`);
    assert.match(result.guiText, /Processor: ready/);
    assert.match(result.guiText, /Worker: ready/);
    assert.deepEqual((page as any).errors, []);
    await page.close();
  });

  test('loads cross-origin in a cross-origin-isolated page (COOP/COEP)', async () => {
    const page = await hostPage(fixture.hosts.isolated);
    const result = await loadIn(page, fixture.pluginUrl);
    assert.equal(result.isolated, true);
    assert.equal(result.status.worker, 'ready');
    assert.equal(result.status.processor, 'ready');
    await page.close();
  });

  test("runs under a strict CSP (script-src 'self' blob:, no unsafe-eval)", async () => {
    const page = await hostPage(fixture.hosts.csp);
    const violations: string[] = [];
    page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
    const result = await loadIn(page, `${fixture.hosts.csp.origin}/plugin/index.js`);
    assert.equal(result.status.processor, 'ready');
    assert.equal(result.status.worker, 'ready');
    assert.deepEqual(violations, []);
    await page.close();
  });
});

describe('audio and MIDI', () => {
  test('2 s rendered offline pass through sample for sample', async () => {
    const page = await hostPage(fixture.hosts.plain);
    const result = await page.evaluate(async (url) => {
      const w = window as any;
      const sampleRate = 48000;
      const context = new OfflineAudioContext(2, sampleRate * 2, sampleRate);
      const [groupId] = await w.initializeWamHost(context);
      const { default: Plugin } = await import(url);
      const plugin = await Plugin.createInstance(groupId, context);
      const buffer = context.createBuffer(2, sampleRate * 2, sampleRate);
      let seed = 1;
      for (let c = 0; c < 2; c++) {
        const data = buffer.getChannelData(c);
        for (let i = 0; i < data.length; i++) {
          seed = (seed * 16807) % 2147483647;
          data[i] = (seed / 2147483647) * 2 - 1;
        }
      }
      // Extreme values must pass untouched too.
      buffer.getChannelData(0)[1000] = 1e-40;
      buffer.getChannelData(1)[2000] = -3.5;
      const source = new AudioBufferSourceNode(context, { buffer });
      source.connect(plugin.audioNode);
      plugin.audioNode.connect(context.destination);
      source.start(0);
      const rendered = await context.startRendering();
      let mismatches = 0;
      let first = -1;
      for (let c = 0; c < 2; c++) {
        const a = buffer.getChannelData(c);
        const b = rendered.getChannelData(c);
        for (let i = 0; i < a.length; i++) {
          if (!Object.is(a[i], b[i])) { mismatches++; if (first < 0) first = i; }
        }
      }
      return { mismatches, first, length: rendered.length };
    }, fixture.pluginUrl);
    assert.equal(result.length, 96000);
    assert.equal(result.mismatches, 0, `first mismatch at sample ${result.first}`);
    await page.close();
  });

  test('MIDI thru: events arrive at a connected WAM at the same sample frames', async () => {
    const page = await hostPage(fixture.hosts.plain);
    const result = await page.evaluate(async ({ url, synthUrl }) => {
      const w = window as any;
      const sampleRate = 48000;
      const context = new OfflineAudioContext(2, sampleRate, sampleRate);
      const { plugin, synth } = await w.pluginWithSynth(context, url, synthUrl);
      const frames = [0, 1, 127, 128, 129, 1000, 4095, 4096, 12345, 30000, 47000];
      const sent = frames.map((frame, i) => ({ frame, bytes: [0x90 | (i % 16), 40 + i, 100] }));
      plugin.audioNode.scheduleEvents(...sent.map((s) => ({ type: 'wam-midi', time: s.frame / sampleRate, data: { bytes: s.bytes } })));
      // Malformed MIDI is counted and dropped, never forwarded or thrown.
      plugin.audioNode.scheduleEvents({ type: 'wam-midi', time: 0.5, data: { bytes: [0x12, 500, -1] } });
      await plugin.audioNode.getParameterValues(false); // port is FIFO: the events are queued once this answers
      await context.startRendering();
      const received = await synth.audioNode.received();
      const debug = await plugin.audioNode.debugInfo();
      return { sent, received: received.events, malformed: debug.counters.malformedMidi };
    }, { url: fixture.pluginUrl, synthUrl: fixture.synthUrl });
    assert.equal(result.received.length, result.sent.length);
    result.sent.forEach((s, i) => {
      const r = result.received[i];
      assert.deepEqual([r.frame, r.status, r.data1, r.data2], [s.frame, ...s.bytes], `event ${i}`);
    });
    assert.equal(result.malformed, 1);
    await page.close();
  });

  test('MIDI thru off forwards nothing', async () => {
    const page = await hostPage(fixture.hosts.plain);
    const count = await page.evaluate(async ({ url, synthUrl }) => {
      const w = window as any;
      const context = new OfflineAudioContext(2, 48000, 48000);
      const { plugin, synth } = await w.pluginWithSynth(context, url, synthUrl);
      await plugin.audioNode.setParameterValues({ midiThru: { id: 'midiThru', value: 0, normalized: false } });
      plugin.audioNode.scheduleEvents({ type: 'wam-midi', time: 0.1, data: { bytes: [0x90, 60, 100] } });
      await plugin.audioNode.getParameterValues(false);
      await context.startRendering();
      return (await synth.audioNode.received()).events.length;
    }, { url: fixture.pluginUrl, synthUrl: fixture.synthUrl });
    assert.equal(count, 0);
    await page.close();
  });
});

describe('instances', () => {
  test('two instances in one host do not interfere', async () => {
    const page = await hostPage(fixture.hosts.plain);
    const result = await page.evaluate(async ({ url, synthUrl }) => {
      const w = window as any;
      const context = new OfflineAudioContext(2, 48000, 48000);
      const [groupId] = await w.initializeWamHost(context);
      const { default: Plugin } = await import(url);
      const { default: Synth } = await import(synthUrl);
      const a = await Plugin.createInstance(groupId, context);
      const b = await Plugin.createInstance(groupId, context);
      const synthA = await Synth.createInstance(groupId, context);
      const synthB = await Synth.createInstance(groupId, context);
      for (const [p, s] of [[a, synthA], [b, synthB]]) {
        p.audioNode.connect(s.audioNode);
        s.audioNode.connect(context.destination);
        p.audioNode.connectEvents(s.instanceId);
      }
      await a.audioNode.setParameterValues({ temperature: { id: 'temperature', value: 1.7, normalized: false } });
      a.audioNode.scheduleEvents({ type: 'wam-midi', time: 0.01, data: { bytes: [0x90, 64, 90] } });
      b.audioNode.scheduleEvents({ type: 'wam-midi', time: 0.02, data: { bytes: [0x91, 50, 80] } });
      await a.audioNode.getParameterValues(false);
      await b.audioNode.getParameterValues(false);
      await context.startRendering();
      const stateA = await a.audioNode.getState();
      const stateB = await b.audioNode.getState();
      return {
        ids: [a.instanceId, b.instanceId],
        receivedA: (await synthA.audioNode.received()).events.map((e: any) => e.data1),
        receivedB: (await synthB.audioNode.received()).events.map((e: any) => e.data1),
        tempA: stateA.parameters.temperature,
        tempB: stateB.parameters.temperature,
      };
    }, { url: fixture.pluginUrl, synthUrl: fixture.synthUrl });
    assert.notEqual(result.ids[0], result.ids[1]);
    assert.deepEqual(result.receivedA, [64]);
    assert.deepEqual(result.receivedB, [50]);
    assert.ok(Math.abs(result.tempA - 1.7) < 1e-6);
    assert.ok(Math.abs(result.tempB - 0.8) < 1e-6, `instance B keeps its own temperature, got ${result.tempB}`);
    await page.close();
  });

  test('50 create/destroy cycles leave no worker, listener or processor behind', async () => {
    const page = await hostPage(fixture.hosts.plain);
    const result = await page.evaluate(async (url) => {
      const w = window as any;
      const context = new AudioContext();
      const [groupId] = await w.initializeWamHost(context);
      const { default: Plugin } = await import(url);
      const before = { ...w.hostCounts };
      let peakWorkers = 0;
      for (let i = 0; i < 50; i++) {
        const plugin = await Plugin.createInstance(groupId, context);
        plugin.audioNode.connect(context.destination);
        const gui = await plugin.createGui();
        document.body.append(gui);
        peakWorkers = Math.max(peakWorkers, w.hostCounts.workers);
        plugin.destroyGui(gui);
        plugin.audioNode.destroy();
      }
      // Workers flush their session log, then close; wait for them (bounded).
      for (let i = 0; i < 100 && w.hostCounts.workers > before.workers; i++) await new Promise((r) => setTimeout(r, 50));
      const afterCounts = { ...w.hostCounts };
      const probe = await Plugin.createInstance(groupId, context);
      // Let the audio thread run destroy messages of the last instances.
      await new Promise((r) => setTimeout(r, 200));
      const debug = await probe.audioNode.debugInfo();
      const guis = document.querySelectorAll('deep-improv-gui').length;
      probe.audioNode.destroy();
      return { before, after: afterCounts, peakWorkers, liveProcessors: debug.liveProcessors, guis };
    }, fixture.pluginUrl);
    assert.equal(result.peakWorkers, result.before.workers + 1, 'one worker per live instance');
    assert.equal(result.after.workers, result.before.workers, 'every worker terminated');
    assert.equal(result.after.listeners, result.before.listeners, 'every window/document listener removed');
    assert.equal(result.liveProcessors, 1, 'only the probe instance has a live processor');
    assert.equal(result.guis, 0, 'every GUI element removed');
    await page.close();
  });
});

describe('state', () => {
  test('getState → setState round-trips; malformed input is rejected and changes nothing', async () => {
    const page = await hostPage(fixture.hosts.plain);
    const result = await page.evaluate(async (url) => {
      const w = window as any;
      const context = new AudioContext();
      const [groupId] = await w.initializeWamHost(context);
      const { default: Plugin } = await import(url);
      const plugin = await Plugin.createInstance(groupId, context);
      const node = plugin.audioNode;
      const original = await node.getState();
      const changed = structuredClone(original);
      changed.parameters.mode = 2;
      changed.parameters.midiChannel = 10;
      changed.parameters.midiThru = 0;
      changed.parameters.temperature = 1.25;
      await node.setState(changed);
      const roundTrip = await node.getState();
      const other = await Plugin.createInstance(groupId, context, roundTrip);
      const restored = await other.audioNode.getState();
      const errors: string[] = [];
      for (const bad of [null, 42, 'x', { parameters: { temperature: 'hot' } }, { schemaVersion: 999 }, { parameters: { mode: Number.NaN } }]) {
        try { await node.setState(bad); errors.push('accepted'); } catch (e) { errors.push((e as Error).message); }
      }
      const afterBad = await node.getState();
      return { changed, roundTrip, restored, errors, afterBad };
    }, fixture.pluginUrl);
    assert.deepEqual(result.roundTrip.parameters, result.changed.parameters);
    assert.deepEqual(result.restored, result.roundTrip);
    assert.equal(result.errors.length, 6);
    for (const message of result.errors) {
      assert.notEqual(message, 'accepted');
      assert.ok(message.length > 10, `a clear message, got "${message}"`);
    }
    assert.deepEqual(result.afterBad, result.roundTrip, 'rejected states leave the state untouched');
    await page.close();
  });
});
