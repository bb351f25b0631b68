/**
 * A feature overview for plotting: the session's time axis cut into buckets,
 * with each feature's min, max and mean per bucket. Computed page by page
 * where the data lives (the worker), so the GUI receives a few kilobytes
 * instead of every frame.
 */
import type { SessionCatalog } from './catalog.ts';
import { decodePage } from './codec/page.ts';

/** Per-bucket statistics of every feature. */
export interface FeatureOverview {
  names: string[];
  /** Buckets across the session. */
  buckets: number;
  /** Session-relative start of bucket 0 (always 0) and bucket width, seconds. */
  bucketS: number;
  /** Session duration, seconds. */
  durationS: number;
  /** Bucket-major statistics: bucket `b`, feature `j` at `[b * names.length + j]`. NaN where a bucket has no finite value. */
  min: Float32Array;
  max: Float32Array;
  mean: Float32Array;
}

/**
 * Computes the overview of a stored session.
 * @param buckets number of buckets (default 600, at least 1).
 * @throws Error when the session does not exist or a page is corrupt.
 */
export async function featureOverview(catalog: SessionCatalog, sessionId: string, buckets = 600): Promise<FeatureOverview> {
  const row = await catalog.require(sessionId);
  const meta = await catalog.meta(sessionId);
  const f = meta.features.names.length;
  const b = Math.max(1, Math.floor(buckets));
  const durationS = Math.max(1e-9, row.endAudioTimeS - meta.audioStartTimeS);
  const bucketS = durationS / b;
  const min = new Float32Array(b * f).fill(Infinity);
  const max = new Float32Array(b * f).fill(-Infinity);
  const sum = new Float64Array(b * f);
  const count = new Uint32Array(b * f);
  const hopS = meta.features.hopSamples / meta.features.sampleRateHz;
  const pages = (await catalog.pages(sessionId)).filter((p) => p.type === 'features');
  for (const page of pages) {
    const decoded = await decodePage(await catalog.pageBytes(sessionId, page.pageSeq), `session ${sessionId} page ${page.pageSeq}`);
    for (const { record: r } of decoded.records) {
      if (r.kind !== 'features') continue;
      for (let i = 0; i < r.frameCount; i++) {
        const t = r.audioTimeS + i * hopS - meta.audioStartTimeS;
        const bucket = Math.min(b - 1, Math.max(0, Math.floor(t / bucketS)));
        for (let j = 0; j < f; j++) {
          const v = r.values[i * f + j];
          if (!Number.isFinite(v)) continue;
          const k = bucket * f + j;
          if (v < min[k]) min[k] = v;
          if (v > max[k]) max[k] = v;
          sum[k] += v;
          count[k]++;
        }
      }
    }
  }
  const mean = new Float32Array(b * f);
  for (let k = 0; k < b * f; k++) {
    if (count[k] === 0) {
      min[k] = NaN;
      max[k] = NaN;
      mean[k] = NaN;
    } else {
      mean[k] = sum[k] / count[k];
    }
  }
  return { names: [...meta.features.names], buckets: b, bucketS, durationS, min, max, mean };
}
