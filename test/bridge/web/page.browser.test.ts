/**
 * The bridge page against a scripted native side (fake-native.ts) in
 * headless Chromium: PING/PONG, what it must ignore, STATE_GET / STATE_SET /
 * pushed STATE, PARAM both ways, and reconnecting when the socket drops.
 * Needs `npm run build` (dist/ with dist/bridge/).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../helpers/chromium.ts';
import { FakeNative, type FakeConnection } from './fake-native.ts';
import { paramIdOf, type BridgeMessage, type ParamMessage, type PongMessage, type StateMessage } from '../../../protocol/bridge.ts';

let fake: FakeNative;
let browser: Browser;
let page: Page;
let conn: FakeConnection;
let ticker: ReturnType<typeof setInterval> | undefined;
const started = performance.now();

/** The native side's connect sequence, then TRANSPORT every 100 ms at 120 BPM on whichever connection is current. */
function hello(c: FakeConnection, host: string): void {
  c.send({ type: 'HELLO', sampleRateHz: 48000, maxBlockFrames: 128, instanceNonce: 7, host });
  clearInterval(ticker);
  const tick = (): void => {
    if (c.closed) return;
    const frames = Math.floor(((performance.now() - started) / 1000) * 48000 / 128) * 128;
    const beats = frames / 24000;
    c.send({
      type: 'TRANSPORT', blockSampleTime: BigInt(frames), songPosBeats: beats, barStartBeats: Math.floor(beats / 4) * 4, tempoBpm: 120,
      loopStartBeats: 0, loopEndBeats: 0, tsNum: 4, tsDenom: 4, flags: 9,
    });
  };
  tick();
  ticker = setInterval(tick, 100);
}

const is = <T extends BridgeMessage['type']>(type: T) => (m: BridgeMessage): m is Extract<BridgeMessage, { type: T }> => m.type === type;

async function nodeValue(id: string): Promise<number> {
  return page.evaluate(async (pid) => {
    const node = (window as unknown as { deepImprovBridge: { node: { getParameterValues(n: boolean, ...ids: string[]): Promise<Record<string, { value: number }>> } } }).deepImprovBridge.node;
    return (await node.getParameterValues(false, pid))[pid].value;
  }, id);
}

async function waitForValue(id: string, value: number): Promise<void> {
  await page.waitForFunction(async ([pid, v]) => {
    const node = (window as unknown as { deepImprovBridge: { node: { getParameterValues(n: boolean, ...ids: string[]): Promise<Record<string, { value: number }>> } } }).deepImprovBridge.node;
    return Math.abs((await node.getParameterValues(false, pid))[pid].value - v) < 1e-9;
  }, [id, value] as const, { timeout: 10_000, polling: 100 });
}

before(async () => {
  fake = new FakeNative();
  await fake.listen();
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('pageerror', (e) => console.error(`page: ${e.message}`));
  await page.goto(fake.url);
  conn = await fake.connection(0);
  hello(conn, 'Fake DAW');
  await page.waitForFunction(() => {
    const b = (window as unknown as { deepImprovBridge?: { status: { wam: string; connection: string } } }).deepImprovBridge;
    return b?.status.wam === 'ready' && b.status.connection === 'open';
  }, null, { timeout: 60_000 });
});

after(async () => {
  clearInterval(ticker);
  await browser?.close();
  await fake?.close();
});

test('the page answers PING with PONG, echoing both fields exactly', async () => {
  const from = conn.received.length;
  conn.send({ type: 'PING', pingId: 5, nativeTimeNs: (1n << 63n) + 3n });
  const pong = await conn.waitFor(is('PONG'), 5000, from) as PongMessage;
  assert.equal(pong.pingId, 5);
  assert.equal(pong.nativeTimeNs, (1n << 63n) + 3n);
});

test('malformed and unknown messages and text frames are counted and ignored; the connection stays open', async () => {
  conn.send(new Uint8Array([0x04, 1, 0, 0, 11, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]));
  conn.send(new Uint8Array([0x20, 1, 0, 0, 1, 0, 0, 0, 9]));
  conn.send('hello');
  const from = conn.received.length;
  conn.send({ type: 'PING', pingId: 6, nativeTimeNs: 1n });
  await conn.waitFor((m): m is PongMessage => m.type === 'PONG' && m.pingId === 6, 5000, from);
  const status = await page.evaluate(() => (window as unknown as { deepImprovBridge: { status: { ignoredMessages: number; connection: string } } }).deepImprovBridge.status);
  assert.equal(status.ignoredMessages, 3);
  assert.equal(status.connection, 'open');
});

test('STATE_GET gets the WAM state; STATE_SET applies one (MIDI thru stays off in the page)', async () => {
  const from = conn.received.length;
  conn.send({ type: 'STATE_GET', requestId: 42 });
  const reply = await conn.waitFor((m): m is StateMessage => m.type === 'STATE' && m.requestId === 42, 5000, from);
  const state = JSON.parse(reply.json) as { parameters: Record<string, number> };
  assert.equal(typeof state.parameters.temperature, 'number');
  // The DAW's MIDI-thru value travels in the state it stores (default on).
  assert.equal(state.parameters.midiThru, 1);
  conn.send({ type: 'STATE_SET', json: JSON.stringify({ ...state, parameters: { ...state.parameters, temperature: 1.3, midiThru: 1 } }) });
  await waitForValue('temperature', 1.3);
  assert.equal(await nodeValue('midiThru'), 0);
  // A state the page cannot take is reported and leaves the current one.
  conn.send({ type: 'STATE_SET', json: '{"parameters": "nope"' });
  await page.waitForFunction(() => /could not be applied/.test((window as unknown as { deepImprovBridge: { status: { message: string } } }).deepImprovBridge.status.message), null, { timeout: 5000 });
  assert.equal(await nodeValue('temperature'), 1.3);
});

test('PARAM from the DAW sets the WAM; a change in the page goes back as PARAM and a pushed STATE', async () => {
  conn.send({ type: 'PARAM', paramId: paramIdOf('density'), value: 0.25 });
  await waitForValue('density', 0.25);
  const from = conn.received.length;
  await page.evaluate(async () => {
    const node = (window as unknown as { deepImprovBridge: { node: { setParameterValues(p: Record<string, unknown>): Promise<void> } } }).deepImprovBridge.node;
    await node.setParameterValues({ variation: { id: 'variation', value: 0.65, normalized: false } });
  });
  const param = await conn.waitFor((m): m is ParamMessage => m.type === 'PARAM' && m.paramId === paramIdOf('variation'), 5000, from);
  assert.equal(param.value, 0.65);
  const pushed = await conn.waitFor((m): m is StateMessage => m.type === 'STATE' && m.requestId === 0 && m.json.includes('"variation":0.65'), 5000, from);
  assert.ok(pushed);
  // The density the DAW set is not echoed back.
  assert.equal(conn.received.slice(from).filter((m) => m.type === 'PARAM' && m.paramId === paramIdOf('density')).length, 0);
});

test('the page reconnects when the socket drops, and keeps its WAM', async () => {
  conn.drop();
  await page.waitForFunction(() => (window as unknown as { deepImprovBridge: { status: { connection: string } } }).deepImprovBridge.status.connection !== 'open', null, { timeout: 5000 });
  conn = await fake.connection(1);
  hello(conn, 'Fake DAW again');
  await page.waitForFunction(() => {
    const s = (window as unknown as { deepImprovBridge: { status: { connection: string; host: string } } }).deepImprovBridge.status;
    return s.connection === 'open' && s.host === 'Fake DAW again';
  }, null, { timeout: 10_000 });
  const from = conn.received.length;
  conn.send({ type: 'PING', pingId: 9, nativeTimeNs: 99n });
  await conn.waitFor((m): m is PongMessage => m.type === 'PONG' && m.pingId === 9, 5000, from);
  // The same WAM, with what was set before the drop.
  assert.equal(await nodeValue('variation'), 0.65);
  const line = await page.locator('#status').textContent();
  assert.match(line ?? '', /connected to Fake DAW again/);
});

test('a suspended audio context shows "Start audio", and the button resumes it', async () => {
  // Headless Chromium always lets audio start, so suspend it as a browser without a user gesture would keep it.
  await page.evaluate(() => (window as unknown as { deepImprovBridge: { audioContext: AudioContext } }).deepImprovBridge.audioContext.suspend());
  await page.locator('#start-audio').waitFor({ state: 'visible', timeout: 5000 });
  assert.match((await page.locator('#status').textContent()) ?? '', /audio suspended/);
  await page.click('#start-audio');
  await page.waitForFunction(() => (window as unknown as { deepImprovBridge: { status: { audio: string } } }).deepImprovBridge.status.audio === 'running', null, { timeout: 5000 });
  await page.locator('#start-audio').waitFor({ state: 'hidden', timeout: 5000 });
});
