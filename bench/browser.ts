/**
 * Browser benchmarks of the built plugin in headless Chromium: loop latency,
 * a ten-minute accelerated performance, and the processor's share of the
 * 128-sample render budget.
 */
import { startHostFixture, type HostFixture } from '../test/helpers/host-fixture.ts';

const percentile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : Number.NaN;
};

/** Runs `fn` with a host page that has the bench helpers loaded. */
async function withPage<T>(fn: (page: import('playwright-core').Page, fx: HostFixture) => Promise<T>): Promise<T> {
  const fx = await startHostFixture({ '/bench.js': 'bench/pages/bench-page.ts' });
  try {
    const page = await fx.hostPage('/bench.js');
    await page.waitForFunction(() => typeof (window as any).benchWorkletShare === 'function');
    return await fn(page, fx);
  } finally {
    await fx.close();
  }
}

/** The loop: request-to-reply latency (audio clock) and a ten-minute accelerated performance. */
export async function benchLoop(): Promise<Record<string, number>> {
  return withPage(async (page, fx) => {
    // 40 s gives ~130 replies, so p99 is not just the single worst one.
    const latency = await page.evaluate(({ url }) => (window as any).benchLoopLatency(url, 40, 0), { url: fx.pluginUrl });
    const interactive = await page.evaluate(({ url }) => (window as any).benchLoopLatency(url, 40, 'interactive'), { url: fx.pluginUrl });
    const ten = await page.evaluate(({ url, synth }) => (window as any).benchTenMinutes(url, synth, 10), { url: fx.pluginUrl, synth: fx.synthUrl });
    return {
      response_ms_p50: percentile(latency.latencies, 0.5),
      response_ms_p99: percentile(latency.latencies, 0.99),
      responses_measured: latency.latencies.length,
      // The same with the default 'interactive' context: 10 ms render bursts add up to 10 ms of waiting.
      response_ms_p50_interactive: percentile(interactive.latencies, 0.5),
      response_ms_p99_interactive: percentile(interactive.latencies, 0.99),
      // The worker's share of each reply: the model calls alone (wall clock, ms).
      worker_compute_ms_p50: percentile(latency.computeMs, 0.5),
      worker_compute_ms_p99: percentile(latency.computeMs, 0.99),
      // Anytime encoding: the phrase updates the worker used, and the share of answers that started from a warmed latent.
      phrase_updates: latency.phraseUpdates,
      warm_answer_share: latency.answered > 0 ? latency.warmAnswers / latency.answered : Number.NaN,
      ten_minutes_render_s: ten.renderMs / 1000,
      ten_minutes_windows: ten.windows,
      ten_minutes_events: ten.planned,
      ten_minutes_late: ten.late,
      ten_minutes_dropped: ten.dropped,
      ten_minutes_duplicated: ten.duplicated,
    };
  });
}

/** The processor's cost in an offline render, as a share of the 128-sample budget at 48 kHz. */
export async function benchWorklet(): Promise<Record<string, number>> {
  return withPage(async (page, fx) => {
    const r = await page.evaluate(({ url }) => (window as any).benchWorkletShare(url, 60), { url: fx.pluginUrl });
    const budgetMs = (128 / 48000) * 1000;
    const perQuantum = (ms: number) => ms / r.quanta;
    return {
      worklet_share_of_quantum: (perQuantum(r.featuresMs) - perQuantum(r.noneMs)) / budgetMs,
      passthrough_share_of_quantum: (perQuantum(r.passthroughMs) - perQuantum(r.noneMs)) / budgetMs,
      features_vs_passthrough: r.featuresMs / r.passthroughMs,
    };
  });
}
