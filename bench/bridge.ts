/**
 * The CLAP bridge benchmark (section `bridge`): the test CLAP host
 * (dist/clap-test/host, real time, 48 kHz, 128-frame blocks, 120 BPM) with the
 * built plugin, its editor page in headless Chromium on the same machine.
 *
 * - `exact_sample_share`: answer events the native side played at their exact
 *   sample, over every event it received (its STATS counters: exact / (exact
 *   + late + dropped)), over several call-and-response answers.
 * - `round_trip_ms_p50`, `_p99`: DAW → page → DAW, the native PING/PONG times
 *   reported in STATS over the run.
 * - `process_share_of_block`: the host's p99 `process()` time over the 2666.7 µs
 *   block (`process_share_of_block_p50` beside it).
 * - `tolerated_delay_ms`: the page holds every outgoing message for an extra
 *   delay (what `?delay=<ms>` sets; changed here on one warm page between
 *   answers): the largest delay of a ladder (0 … 400 ms) up to which every
 *   answer had no late or dropped event. `on_bar_delay_ms`: the largest up to
 *   which answers also started on the first bar line after the call (beyond
 *   it they move to a later bar line rather than play late: the page moves
 *   them, or the plugin itself when the model's reply came after the bar).
 * Needs `npm run build` with a C compiler (or `npm run build:clap`).
 */
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../test/helpers/chromium.ts';
import { HostProcess, hostBuilt } from '../test/bridge/host-process.ts';
import type { BridgeStatus, ForwardedPlan, SentEvent } from '../bridge/web/bridge-host.ts';

/** The figures of the section. */
export interface BridgeBench {
  exact_sample_share: number;
  round_trip_ms_p50: number;
  round_trip_ms_p99: number;
  process_share_of_block: number;
  process_share_of_block_p50: number;
  tolerated_delay_ms: number;
  on_bar_delay_ms: number;
  answers: number;
  events: number;
}

const DELAYS_MS = [0, 20, 40, 60, 80, 100, 120, 160, 200, 240, 300, 400];
const ANSWERS_AT_ZERO = 3;

interface Bridge {
  status: BridgeStatus;
  plans: ForwardedPlan[];
  sent: SentEvent[];
  roundTrips: number[];
  songPositionNow(): number;
  setSendDelay(ms: number): void;
  node: { debugInfo(): Promise<{ replyLatenciesMs: number[] }> } | null;
}

const read = <T>(page: Page, f: (b: Bridge) => T): Promise<T> =>
  page.evaluate(`(${f.toString()})(window.deepImprovBridge)`) as Promise<T>;

async function open(browser: Browser, url: string, delayMs: number): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(delayMs > 0 ? `${url}?delay=${delayMs}` : url);
  await page.waitForFunction(() => {
    const b = (window as unknown as { deepImprovBridge?: Bridge }).deepImprovBridge;
    // Wait for a round trip measured with this page's delay before playing.
    return b?.status.wam === 'ready' && b.status.connection === 'open' && Number.isFinite(b.songPositionNow()) && b.roundTrips.length >= 2;
  }, null, { timeout: 60_000, polling: 100 });
  return page;
}

/** Plays a phrase, waits for its answer to reach the output; returns the plan and the STATS deltas. */
async function answerOnce(host: HostProcess, inst: number, page: Page): Promise<{ plan: ForwardedPlan; exact: number; late: number; dropped: number; phraseBar: number; replyMs: number }> {
  const before = await read(page, (b) => b.status);
  const now = await read(page, (b) => b.songPositionNow());
  const bar = Math.ceil((now + 1) / 4) * 4;
  for (const [beat, key] of [[0, 60], [0.5, 62], [1, 64], [1.5, 65], [2, 67]]) host.send(`note ${inst} ${bar + beat} ${key} 100 0.4`);
  const deadline = Date.now() + 30_000;
  let plan: ForwardedPlan | undefined;
  while (!plan) {
    if (Date.now() > deadline) throw new Error('bench bridge: no answer planned');
    await page.waitForTimeout(100);
    plan = (await read(page, (b) => b.plans)).find((p) => p.startBeat >= bar + 4 - 1e-9 && p.sent > 0);
  }
  const sent = (await read(page, (b) => b.sent)).filter((s) => s.beat >= plan.startBeat - 1e-9);
  const lastBeat = Math.max(...sent.map((s) => s.beat));
  // Wait for the song position to pass the last event (a late event lands elsewhere, a late note-off of a silent note nowhere).
  while ((await read(page, (b) => b.songPositionNow())) < lastBeat + 0.5) {
    if (Date.now() > deadline + 30_000) break;
    await page.waitForTimeout(100);
  }
  // The counters come with the next STATS (2 Hz).
  let after = await read(page, (b) => b.status);
  const until = Date.now() + 3000;
  while (after.exact + after.late + after.dropped - (before.exact + before.late + before.dropped) < sent.length && Date.now() < until) {
    await page.waitForTimeout(100);
    after = await read(page, (b) => b.status);
  }
  // The model's time for this answer (request to reply on the WAM's audio clock), for the log.
  const replies = await page.evaluate(() => (window as unknown as { deepImprovBridge: Bridge }).deepImprovBridge.node?.debugInfo().then((i) => i.replyLatenciesMs) ?? []);
  const replyMs = replies.length ? replies[replies.length - 1] : Number.NaN;
  return { plan, exact: after.exact - before.exact, late: after.late - before.late, dropped: after.dropped - before.dropped, phraseBar: bar, replyMs };
}

/** Bar lines between the call's bar and the answer's start (1: the first bar line after the call). */
function barsAfterCall(r: { plan: ForwardedPlan; phraseBar: number }): number {
  return Math.round((r.plan.startBeat - r.phraseBar) / 4);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : Number.NaN;
}

/**
 * Runs the bridge benchmark (about two to three minutes).
 * @throws Error when the CLAP bridge is not built or an answer never comes.
 */
export async function benchBridge(): Promise<BridgeBench> {
  if (!hostBuilt()) throw new Error('the CLAP bridge is not built: run `npm run build` with a C compiler, or `npm run build:clap`');
  const host = new HostProcess();
  const browser = await launchChromium();
  try {
    const { inst, url } = await host.newInstance();
    const page = await open(browser, url, 0);
    let exact = 0, total = 0;
    for (let i = 0; i < ANSWERS_AT_ZERO; i++) {
      const r = await answerOnce(host, inst, page);
      process.stderr.write(`bench: bridge answer ${i}: exact ${r.exact}, late ${r.late}, dropped ${r.dropped}, starts ${barsAfterCall(r)} bar(s) after the call, moved ${r.plan.movedBars} bar(s) by the page, margin ${r.plan.marginMs.toFixed(0)} ms, model reply ${r.replyMs.toFixed(0)} ms\n`);
      exact += r.exact;
      total += r.exact + r.late + r.dropped;
    }
    const roundTrips = await read(page, (b) => b.roundTrips);
    let tolerated = 0, onBar = 0, barKept = true;
    let answers = ANSWERS_AT_ZERO;
    // One warm page; the delay changes between answers (a fresh page's first answer waits for the model to warm up).
    for (const delay of DELAYS_MS) {
      await page.evaluate((ms) => (window as unknown as { deepImprovBridge: Bridge }).deepImprovBridge.setSendDelay(ms), delay);
      // Let the round trip (PING every 250 ms, STATS at 2 Hz) see the new delay.
      const seen = (await read(page, (b) => b.roundTrips)).length;
      await page.waitForFunction((n) => (window as unknown as { deepImprovBridge: Bridge }).deepImprovBridge.roundTrips.length >= n + 3, seen, { timeout: 10_000, polling: 100 });
      const r = await answerOnce(host, inst, page);
      answers++;
      process.stderr.write(`bench: bridge delay ${delay} ms: exact ${r.exact}, late ${r.late}, dropped ${r.dropped}, starts ${barsAfterCall(r)} bar(s) after the call, moved ${r.plan.movedBars} bar(s) by the page, margin ${r.plan.marginMs.toFixed(0)} ms, model reply ${r.replyMs.toFixed(0)} ms\n`);
      if (r.late + r.dropped > 0) break;
      tolerated = delay;
      if (barKept && barsAfterCall(r) === 1) onBar = delay;
      else barKept = false;
    }
    await page.close();
    const cost = await host.quit();
    const p99 = Number(cost?.p99_us), p50 = Number(cost?.p50_us), block = Number(cost?.block_us) || 2666.7;
    return {
      exact_sample_share: total > 0 ? exact / total : Number.NaN,
      round_trip_ms_p50: percentile(roundTrips, 0.5),
      round_trip_ms_p99: percentile(roundTrips, 0.99),
      process_share_of_block: p99 / block,
      process_share_of_block_p50: p50 / block,
      tolerated_delay_ms: tolerated,
      on_bar_delay_ms: onBar,
      answers,
      events: total,
    };
  } finally {
    await browser.close();
    host.kill();
  }
}
