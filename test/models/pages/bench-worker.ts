/**
 * Worker entry for the Chromium model benchmark (bench/models.ts): loads each
 * model from bytes with the runtime the plugin's worker uses, then times
 * `decode(encode(phrase))` on a 2-bar phrase: with the encoder's one pass
 * (`refineSteps: 0`), and as the plugin encodes a performer's phrase (refined).
 */
import { loadModel } from '../../../models/runtime/index.ts';
import type { Phrase } from '../../../protocol/phrase.ts';

interface Request {
  models: Array<{ name: string; manifest: unknown; weights: ArrayBuffer }>;
  runs: number;
}

function phraseFor(kind: 'drums' | 'melody'): Phrase {
  const notes = [];
  for (let i = 0; i < 16; i++) {
    if (kind === 'drums') {
      notes.push({ pitch: i % 4 === 0 ? 36 : 42, velocity: 90, startBeats: i * 0.5 + 0.01, durationBeats: 0.125 });
      if (i % 4 === 2) notes.push({ pitch: 38, velocity: 100, startBeats: i * 0.5, durationBeats: 0.125 });
    } else notes.push({ pitch: 60 + ((i * 5) % 12), velocity: 80, startBeats: i * 0.5, durationBeats: 0.5 });
  }
  notes.sort((a, b) => a.startBeats - b.startBeats);
  return { source: 'generated', notes, lengthBeats: 8, tempoBpm: 120, beatsPerBar: 4 };
}

self.onmessage = async (event: MessageEvent<Request>) => {
  const out: Record<string, { kernel: string; times: number[]; jsTimes: number[]; refinedTimes: number[] }> = {};
  const once = { refineSteps: 0 };
  for (const m of event.data.models) {
    // The runtime as the plugin runs it, and with its JavaScript kernels forced, timed alternately.
    const model = await loadModel({ manifest: m.manifest, weights: m.weights.slice(0) });
    const js = await loadModel({ manifest: m.manifest, weights: m.weights }, { simd: false });
    const phrase = phraseFor(model.kind);
    for (let i = 0; i < 30; i++) {
      model.decode(model.encode(phrase, once));
      js.decode(js.encode(phrase, once));
    }
    const times: number[] = [];
    const jsTimes: number[] = [];
    for (let i = 0; i < event.data.runs; i++) {
      const t0 = performance.now();
      model.decode(model.encode(phrase, once));
      const t1 = performance.now();
      js.decode(js.encode(phrase, once));
      times.push(t1 - t0);
      jsTimes.push(performance.now() - t1);
    }
    const refinedTimes: number[] = [];
    for (let i = 0; i < Math.ceil(event.data.runs / 6); i++) {
      const t0 = performance.now();
      model.decode(model.encode(phrase));
      refinedTimes.push(performance.now() - t0);
    }
    out[m.name] = { kernel: model.kernel, times, jsTimes, refinedTimes };
    model.dispose();
    js.dispose();
  }
  (self as unknown as Worker).postMessage(out);
};
