/**
 * Plugin load time in headless Chromium: from `createInstance()` until the
 * processor and the worker are ready (the plugin resolves only then), for
 * ten instances one after the other in one page, plugin served cross-origin.
 */
import { startHostFixture } from '../test/helpers/host-fixture.ts';

/** Load times in milliseconds. */
export interface LoadBench {
  load_ms_p50: number;
  /** The first (cold) load, with module fetch and compile. */
  load_ms_cold: number;
  load_ms_samples: number[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Measures plugin load time (needs `npm run build`). */
export async function benchLoad(runs = 10): Promise<LoadBench> {
  const fx = await startHostFixture();
  try {
    const page = await fx.hostPage();
    const samples = await page.evaluate(async ({ url, runs }) => {
      const w = window as any;
      const context = new AudioContext();
      const [groupId] = await w.initializeWamHost(context);
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        const { default: Plugin } = await import(url);
        const instance = await Plugin.createInstance(groupId, context);
        const t1 = performance.now();
        if (instance.audioNode.status.worker !== 'ready') throw new Error(`worker not ready: ${instance.audioNode.status.message}`);
        times.push(t1 - t0);
        instance.audioNode.destroy();
      }
      await context.close();
      return times;
    }, { url: fx.pluginUrl, runs });
    return { load_ms_p50: median(samples), load_ms_cold: samples[0], load_ms_samples: samples };
  } finally {
    await fx.close();
  }
}
