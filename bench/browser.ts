/**
 * Browser benchmarks of the built plugin in headless Chromium: loop latency,
 * a ten-minute accelerated performance, and the processor's share of the
 * 128-sample render budget.
 */
import { launchChromium } from '../test/helpers/chromium.ts';
import { startStaticServer } from '../test/helpers/server.ts';
import { bundleForBrowser } from '../test/helpers/bundle.ts';

const percentile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : Number.NaN;
};

/** Runs `fn` with a page that has the WAM host and the bench helpers loaded. */
async function withPage<T>(fn: (page: import('playwright-core').Page, origin: string) => Promise<T>): Promise<T> {
  const browser = await launchChromium();
  const server = await startStaticServer({
    mounts: { '/plugin/': 'dist', '/demo/': 'demo/build' },
    pages: {
      '/host.html': '<!doctype html><script type="module" src="/host.js"></script>',
      '/host.js': await bundleForBrowser('test/browser/pages/host.ts'),
      '/bench.js': await bundleForBrowser('bench/pages/bench-page.ts'),
    },
  });
  try {
    const page = await browser.newPage();
    await page.goto(`${server.origin}/host.html`);
    await page.waitForFunction(() => (window as any).hostReady === true);
    await page.addScriptTag({ url: '/bench.js', type: 'module' });
    await page.waitForFunction(() => typeof (window as any).benchWorkletShare === 'function');
    return await fn(page, server.origin);
  } finally {
    await browser.close();
    await server.close();
  }
}

/** The loop: request-to-reply latency (audio clock) and a ten-minute accelerated performance. */
export async function benchLoop(): Promise<Record<string, number>> {
  return withPage(async (page, origin) => {
    const latency = await page.evaluate(({ url }) => (window as any).benchLoopLatency(url, 20), { url: `${origin}/plugin/index.js` });
    const ten = await page.evaluate(({ url, synth }) => (window as any).benchTenMinutes(url, synth, 10), { url: `${origin}/plugin/index.js`, synth: `${origin}/demo/synth/index.js` });
    return {
      response_ms_p50: percentile(latency.latencies, 0.5),
      response_ms_p99: percentile(latency.latencies, 0.99),
      responses_measured: latency.latencies.length,
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
  return withPage(async (page, origin) => {
    const r = await page.evaluate(({ url }) => (window as any).benchWorkletShare(url, 60), { url: `${origin}/plugin/index.js` });
    const budgetMs = (128 / 48000) * 1000;
    const perQuantum = (ms: number) => ms / r.quanta;
    return {
      worklet_share_of_quantum: (perQuantum(r.featuresMs) - perQuantum(r.noneMs)) / budgetMs,
      passthrough_share_of_quantum: (perQuantum(r.passthroughMs) - perQuantum(r.noneMs)) / budgetMs,
      features_vs_passthrough: r.featuresMs / r.passthroughMs,
    };
  });
}
