/**
 * The CLAP bridge end to end: the test CLAP host (dist/clap-test/host, real
 * time, 48 kHz, 128-frame blocks, 120 BPM) loads the built plugin
 * (dist/clap/DeepImprov.clap), opens each instance's editor URL in headless
 * Chromium, and plays phrases with `note` commands. The answers must come
 * back at the note output at the exact sample of the song position the page
 * planned. Needs `npm run build` (which builds the CLAP when a C compiler is
 * present) or `npm run build:clap`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.ts';
import { BLOCK, HostProcess, SAMPLE_RATE, hostBuilt, type OutLine } from './host-process.ts';
import type { ForwardedPlan, SentEvent } from '../../bridge/web/bridge-host.ts';

const TEMPO = 120;
const FRAMES_PER_BEAT = (SAMPLE_RATE * 60) / TEMPO;
/** Half a 16th-note step, in beats: a note heard less than this late still quantises onto its own step. */
const HALF_STEP_BEATS = 0.125;

let host: HostProcess;
let browser: Browser;
const tmp = mkdtempSync(join(tmpdir(), 'deep-improv-bridge-'));

before(async () => {
  if (!hostBuilt()) throw new Error('the CLAP bridge is not built: run `npm run build` (with a C compiler) or `npm run build:clap`');
  host = new HostProcess();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await host?.quit();
  rmSync(tmp, { recursive: true, force: true });
});

interface Editor {
  inst: number;
  page: Page;
}

/** Creates an instance, opens its editor page and waits until the WAM is ready and the clocks are mapped. */
async function openEditor(): Promise<Editor> {
  const { inst, url } = await host.newInstance();
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(`page ${inst}: ${e.message}`));
  await page.goto(url);
  await page.waitForFunction(() => {
    const b = (window as unknown as { deepImprovBridge?: { status: { wam: string; connection: string }; songPositionNow(): number } }).deepImprovBridge;
    return b?.status.wam === 'ready' && b.status.connection === 'open' && Number.isFinite(b.songPositionNow());
  }, null, { timeout: 60_000 });
  return { inst, page };
}

const bridge = (page: Page) => ({
  position: () => page.evaluate(() => (window as unknown as { deepImprovBridge: { songPositionNow(): number } }).deepImprovBridge.songPositionNow()),
  plans: () => page.evaluate(() => (window as unknown as { deepImprovBridge: { plans: ForwardedPlan[] } }).deepImprovBridge.plans),
  sent: () => page.evaluate(() => (window as unknown as { deepImprovBridge: { sent: SentEvent[] } }).deepImprovBridge.sent),
  param: (id: string) => page.evaluate(async (pid) => {
    const node = (window as unknown as { deepImprovBridge: { node: { getParameterValues(n: boolean, ...ids: string[]): Promise<Record<string, { value: number }>> } } }).deepImprovBridge.node;
    return (await node.getParameterValues(false, pid))[pid].value;
  }, id),
  setParam: (id: string, value: number) => page.evaluate(async ([pid, v]) => {
    const node = (window as unknown as { deepImprovBridge: { node: { setParameterValues(p: Record<string, unknown>): Promise<void> } } }).deepImprovBridge.node;
    await node.setParameterValues({ [pid]: { id: pid, value: v, normalized: false } });
  }, [id, value] as const),
});

/** The performer phrase's keys above its base key (C D E F G for 60). */
const PHRASE_STEPS = [0, 2, 4, 5, 7];

/** Plays a one-bar phrase on the instance at the first bar line at least a beat ahead; resolves with that bar's beat. */
async function playPhrase(e: Editor, baseKey = 60): Promise<number> {
  const now = await bridge(e.page).position();
  const bar = Math.ceil((now + 1) / 4) * 4;
  const notes: [number, number][] = [[0, 0], [0.5, 2], [1, 4], [1.5, 5], [2, 7]];
  for (const [beat, step] of notes) host.send(`note ${e.inst} ${bar + beat} ${baseKey + step} 100 0.4`);
  return bar;
}

/** Waits for the page's first plan that starts at or after `fromBeat`. */
async function waitForPlan(e: Editor, fromBeat: number, timeoutMs = 20_000): Promise<ForwardedPlan> {
  const plan = await e.page.waitForFunction(
    (from) => (window as unknown as { deepImprovBridge: { plans: ForwardedPlan[] } }).deepImprovBridge.plans.find((p) => p.startBeat >= from - 1e-9 && p.sent > 0),
    fromBeat, { timeout: timeoutMs },
  ).catch(() => {
    throw new Error(`no answer planned from beat ${fromBeat} within ${timeoutMs} ms`);
  });
  return (await plan.jsonValue()) as ForwardedPlan;
}

/** The sample the native side must play a song position at, given an out line of the same block. */
function expectedSample(out: OutLine, beat: number): number {
  const blockStart = out.sample - (out.sample % BLOCK);
  const blockBeat = out.beat - (out.sample - blockStart) / FRAMES_PER_BEAT;
  return blockStart + Math.round((beat - blockBeat) * FRAMES_PER_BEAT);
}

/** Whether an out line played at the sample of song position `beat` (a position between two samples plays at the nearer). */
const atSampleOf = (out: OutLine, beat: number): boolean => Math.abs(out.beat - beat) * FRAMES_PER_BEAT <= 0.5;
const sameBytes = (a: number[], b: number[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);
const isNoteOn = (b: number[]): boolean => (b[0] & 0xf0) === 0x90 && b[2] > 0;
const isNoteOff = (b: number[]): boolean => (b[0] & 0xf0) === 0x80 || ((b[0] & 0xf0) === 0x90 && b[2] === 0);

/** The keys of the note-ons in `outs` that no later note-off of the same channel and key ends. */
function hangingNotes(outs: OutLine[]): number[] {
  const sounding = new Map<number, number>();
  for (const o of outs) {
    const key = ((o.bytes[0] & 0x0f) << 7) | o.bytes[1];
    if (isNoteOn(o.bytes)) sounding.set(key, (sounding.get(key) ?? 0) + 1);
    else if (isNoteOff(o.bytes) && (sounding.get(key) ?? 0) > 0) sounding.set(key, sounding.get(key)! - 1);
  }
  return [...sounding].filter(([, n]) => n > 0).map(([k]) => k & 0x7f);
}

/** Every note-on in `outs` has a later note-off of the same channel and key. */
function assertNotesEnded(outs: OutLine[], what: string): void {
  assert.deepEqual(hangingNotes(outs), [], `${what}: notes left sounding`);
}

/**
 * Waits until every event the page sent for `plan` reached the output and
 * checks each played at the exact sample of its song position.
 */
async function assertAnswerExact(e: Editor, plan: ForwardedPlan, phraseBar: number): Promise<OutLine[]> {
  // The answer starts on a bar line within the two bars after the phrase's bar.
  assert.ok(Math.abs(plan.startBeat / 4 - Math.round(plan.startBeat / 4)) < 1e-9, `answer start ${plan.startBeat} is not a bar line`);
  assert.ok(plan.startBeat > phraseBar && plan.startBeat <= phraseBar + 12, `answer starts at ${plan.startBeat}, phrase at ${phraseBar}`);
  const sent = (await bridge(e.page).sent()).filter((s) => s.beat >= plan.startBeat - 1e-9 && s.beat < plan.startBeat + 16);
  assert.ok(sent.length >= 2, `only ${sent.length} events sent`);
  const lastBeat = Math.max(...sent.map((s) => s.beat));
  await host.waitFor((l) => l.ev === 'out' && l.inst === e.inst && (l.beat as number) >= lastBeat - 1e-9, 30_000);
  const outs = host.outs(e.inst).filter((o) => o.beat >= plan.startBeat - 1e-9);
  for (const s of sent) {
    const out = outs.find((o) => sameBytes(o.bytes, s.data) && atSampleOf(o, s.beat));
    assert.ok(out, `event ${s.data} at beat ${s.beat} did not play at its sample`);
    assert.equal(out.sample, expectedSample(out, s.beat), `event at beat ${s.beat}`);
  }
  assertNotesEnded(outs, `answer of instance ${e.inst}`);
  return outs;
}

let first: Editor;
let second: Editor;

test('two instances each answer their own phrase on a bar line, every event at its exact sample', async () => {
  first = await openEditor();
  second = await openEditor();
  const [barA, barB] = await Promise.all([playPhrase(first, 60), playPhrase(second, 48)]);
  const [planA, planB] = await Promise.all([waitForPlan(first, barA + 4), waitForPlan(second, barB + 4)]);
  const outsA = await assertAnswerExact(first, planA, barA);
  const outsB = await assertAnswerExact(second, planB, barB);
  // No interference: each output carries only its own page's events and its own thru. (A performer note the
  // test host received late, on a loaded machine, passes through late and may land after the answer's start.)
  const sentA = await bridge(first.page).sent();
  const sentB = await bridge(second.page).sent();
  const ownThru = (baseKey: number, b: number[]): boolean =>
    (b[0] & 0x0f) === 0 && PHRASE_STEPS.includes(b[1] - baseKey) && ((b[0] & 0xf0) === 0x80 || ((b[0] & 0xf0) === 0x90 && (b[2] === 100 || b[2] === 0)));
  for (const o of outsA) assert.ok(ownThru(60, o.bytes) || sentA.some((s) => sameBytes(s.data, o.bytes) && atSampleOf(o, s.beat)), `instance ${first.inst} played ${o.bytes} at ${o.beat}, not its page's`);
  for (const o of outsB) assert.ok(ownThru(48, o.bytes) || sentB.some((s) => sameBytes(s.data, o.bytes) && atSampleOf(o, s.beat)), `instance ${second.inst} played ${o.bytes} at ${o.beat}, not its page's`);
  // The WAM heard the performer's notes on their own 16th steps. A note reaches the page after the DAW has played
  // it, so on a loaded machine the page may hear it some milliseconds late; within half a step it still lands
  // on the step the performer played (the answers themselves are checked to the exact sample above).
  const phrases = await first.page.evaluate(() => (window as unknown as { deepImprovBridge: { phrases: { noteStartBeats: number[]; pitches: number[] }[] } }).deepImprovBridge.phrases);
  const heard = phrases.find((p) => p.pitches.includes(60) && p.noteStartBeats.some((b) => Math.abs(b - barA) < 0.1));
  assert.ok(heard, `the WAM reported no phrase at beat ${barA}: ${JSON.stringify(phrases)}`);
  const expected = [0, 0.5, 1, 1.5, 2].map((b) => barA + b);
  heard.noteStartBeats.forEach((b, i) => assert.ok(Math.abs(b - expected[i]) < HALF_STEP_BEATS, `performer note ${i} heard at ${b}, played at ${expected[i]}`));
  // The performer's notes passed through at their own samples.
  const thru = host.outs(first.inst).filter((o) => o.beat >= barA - 1e-9 && o.beat < barA + 4 && o.bytes[1] === 60);
  assert.equal(thru.length, 2, `key 60 in the phrase's bar: ${JSON.stringify(thru)}; sent: ${JSON.stringify(sentA.filter((x) => x.data[1] === 60))}`);
  assert.equal(thru[0].beat, barA);
});

test('a parameter set from the host shows in the page, and one set in the page reaches the host', async () => {
  host.send(`param ${first.inst} density 0.9`);
  await first.page.waitForFunction(async () => {
    const node = (window as unknown as { deepImprovBridge: { node: { getParameterValues(n: boolean, ...ids: string[]): Promise<Record<string, { value: number }>> } } }).deepImprovBridge.node;
    return Math.abs((await node.getParameterValues(false, 'density')).density.value - 0.9) < 1e-6;
  }, null, { timeout: 10_000, polling: 100 });
  const from = host.lines.length;
  await bridge(first.page).setParam('variation', 0.7);
  const out = await host.waitFor((l) => l.ev === 'param-out' && l.inst === first.inst && l.id === 'variation', 10_000, from);
  assert.ok(Math.abs((out.value as number) - 0.7) < 1e-9);
  const mark = host.lines.length;
  host.send(`getparam ${first.inst} variation`);
  const got = await host.waitFor((l) => l.ev === 'param' && l.inst === first.inst && l.id === 'variation', 5000, mark);
  assert.ok(Math.abs((got.value as number) - 0.7) < 1e-9);
  // MIDI thru stays off in the page (the native side passes input through).
  assert.equal(await bridge(first.page).param('midiThru'), 0);
});

test('a state saved from one instance restores another', async () => {
  await bridge(first.page).setParam('temperature', 1.55);
  const file = join(tmp, 'state.json');
  // The page pushes its state about 250 ms after a change: wait until it has sent the state that carries it, then
  // save; a save that still misses it (the push in flight on the socket) is repeated until the deadline.
  await first.page.waitForFunction(() => {
    const sync = (window as unknown as { deepImprovBridge: { sync: { lastStateJson: string } | null } }).deepImprovBridge.sync;
    return sync !== null && sync.lastStateJson.includes('1.55');
  }, null, { timeout: 10_000 });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const mark = host.lines.length;
    host.send(`save ${first.inst} ${file}`);
    await host.waitFor((l) => (l.ev === 'saved' && l.inst === first.inst) || l.ev === 'error', 5000, mark);
    const text = readFileSync(file, 'utf8');
    if (text.includes('1.55')) break;
    if (Date.now() > deadline) throw new Error(`saved state never carried the change: ${text.slice(0, 200)}`);
  }
  const mark = host.lines.length;
  host.send(`load ${second.inst} ${file}`);
  await host.waitFor((l) => l.ev === 'loaded' && l.inst === second.inst, 5000, mark);
  await second.page.waitForFunction(async () => {
    const node = (window as unknown as { deepImprovBridge: { node: { getParameterValues(n: boolean, ...ids: string[]): Promise<Record<string, { value: number }>> } } }).deepImprovBridge.node;
    const v = await node.getParameterValues(false, 'temperature', 'variation');
    return Math.abs(v.temperature.value - 1.55) < 1e-6 && Math.abs(v.variation.value - 0.7) < 1e-6;
  }, null, { timeout: 10_000, polling: 100 });
  await bridge(second.page).setParam('temperature', 0.8);
});

test('closing the page in the middle of an answer leaves no note hanging', async () => {
  const bar = await playPhrase(second, 50);
  await waitForPlan(second, bar + 4);
  const from = host.lines.length;
  // Close as soon as the answer's first note sounds.
  await host.waitFor((l) => l.ev === 'out' && l.inst === second.inst && (l.beat as number) >= bar + 4 - 1e-9 && isNoteOn(l.bytes as number[]), 20_000, from);
  await second.page.close();
  const closedAt = host.lines.length;
  // The native side ends what sounds when the socket closes; nothing new starts.
  await host.waitFor(() => hangingNotes(host.outs(second.inst).filter((o) => o.beat >= bar + 4 - 1e-9)).length === 0, 10_000, from).catch(() => undefined);
  assertNotesEnded(host.outs(second.inst).filter((o) => o.beat >= bar + 4 - 1e-9), 'after close');
  // A sentinel note two beats on marks how long to watch for notes that should not come.
  const sentinel = await sentinelNote(second.inst, (await bridge(first.page).position()) + 2);
  const later = host.outs(second.inst, closedAt).filter((o) => isNoteOn(o.bytes) && o !== sentinel);
  assert.deepEqual(later, [], 'notes started after the page closed');
});

/** Plays a short thru note at `beat` on the instance and resolves with its note-on line once it played. */
async function sentinelNote(inst: number, beat: number): Promise<OutLine> {
  const from = host.lines.length;
  host.send(`note ${inst} ${beat} 127 1 0.01`);
  return await host.waitFor((l) => l.ev === 'out' && l.inst === inst && (l.bytes as number[])[1] === 127 && isNoteOn(l.bytes as number[]), 20_000, from) as OutLine;
}

test('transport stop ends the answer\'s notes at once, in one block', async () => {
  const bar = await playPhrase(first, 62);
  await waitForPlan(first, bar + 4);
  const from = host.lines.length;
  await host.waitFor((l) => l.ev === 'out' && l.inst === first.inst && (l.beat as number) >= bar + 4 - 1e-9 && isNoteOn(l.bytes as number[]), 20_000, from);
  host.send('stop');
  // The host reports the first block the plugin sees stopped: what played before it was before the stop, even when
  // its lines reach stdout after the command went (they come one at a time).
  const stopped = await host.waitFor((l) => l.ev === 'transport' && l.inst === first.inst && l.playing === false, 5000, from);
  const stopBlock = stopped.sample as number;
  // Sounding answer notes end in the first stopped block, at its first sample, all together.
  await host.waitFor(() => hangingNotes(host.outs(first.inst, from)).length === 0, 5000, from).catch(() => undefined);
  const outs = host.outs(first.inst, from);
  assertNotesEnded(outs, 'after stop');
  const offs = outs.filter((o) => o.sample >= stopBlock && isNoteOff(o.bytes));
  assert.ok(offs.length >= 1);
  assert.equal(offs[0].sample, stopBlock, 'the stop note-off is not at the stopped block\'s first sample');
  // Play on from the stop position, and watch until a sentinel note a beat later.
  host.send('play');
  const sentinel = await sentinelNote(first.inst, (stopped.beat as number) + 1);
  const after = host.outs(first.inst, from).filter((o) => o.sample >= stopBlock && o.sample < sentinel.sample);
  assert.deepEqual(after.filter((o) => isNoteOn(o.bytes)), [], 'notes started after stop');
  const sounding = new Set<number>();
  for (const o of outs.filter((x) => x.sample < stopBlock)) {
    const key = ((o.bytes[0] & 0x0f) << 7) | o.bytes[1];
    if (isNoteOn(o.bytes)) sounding.add(key);
    else if (isNoteOff(o.bytes)) sounding.delete(key);
  }
  assert.ok(sounding.size > 0, 'no answer note was sounding at the stop');
  for (const o of after.filter((x) => isNoteOff(x.bytes))) {
    const key = ((o.bytes[0] & 0x0f) << 7) | o.bytes[1];
    if (sounding.has(key)) assert.equal(o.sample, stopBlock, `note ${o.bytes[1]} ended after the stop block`);
  }
});

test('an instance whose page never connects passes audio and MIDI through and adds nothing', async () => {
  const mark = host.lines.length;
  host.send('new');
  const created = await host.waitFor((l) => l.ev === 'instance', 10_000, mark);
  const inst = created.inst as number;
  // A note in the past plays in the next block; then a short phrase ahead of it.
  host.send(`note ${inst} 0 70 90 0.01`);
  const firstOut = await host.waitFor((l) => l.ev === 'out' && l.inst === inst, 10_000, mark) as OutLine;
  const bar = Math.ceil((firstOut.beat + 1) / 4) * 4;
  for (let i = 0; i < 4; i++) host.send(`note ${inst} ${bar + i * 0.5} ${60 + i} 100 0.25`);
  await host.waitFor((l) => l.ev === 'out' && l.inst === inst && (l.beat as number) >= bar + 1.75 - 1e-9, 10_000, mark);
  // Watch until two bars past the phrase: no answer can come without a page.
  const sentinel = await sentinelNote(inst, bar + 12);
  const outs = host.outs(inst, mark).filter((o) => o.sample <= sentinel.sample);
  assert.equal(outs.filter((o) => isNoteOn(o.bytes)).length, 6, 'only the thru notes appear');
  for (const o of outs.filter((x) => x.bytes[1] >= 60 && x.bytes[1] < 64)) {
    const offset = (o.beat - bar) * 4;
    assert.ok(Math.abs(offset - Math.round(offset)) < 1e-9, `thru note ${o.bytes} at ${o.beat} left its place`);
  }
  assert.deepEqual(host.lines.slice(mark).filter((l) => l.ev === 'error'), [], 'the host reported an error (e.g. audio not passed through)');
});
