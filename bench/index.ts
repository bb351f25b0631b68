/**
 * `npm run bench`: measures every part side by side in one run and prints a
 * table; with `-- --json` the last line is one JSON object with the keys of
 * DESIGN.md's contract (features.*, model.<name>.*, loop.*, load_ms_p50,
 * log.*, bridge.*) and more. Ratios travel between machines; absolute times do not.
 * `-- --only load,features` runs some sections.
 */
import { benchLoad } from './load.ts';
import { benchFeatures } from './features.ts';
import { benchModels, benchModelsInChromiumWorker } from './models.ts';
import { benchLog } from './log.ts';
import { benchLoop, benchWorklet } from './browser.ts';
import { benchMusic } from './music.ts';
import { benchCli } from './cli.ts';
import { benchBridge } from './bridge.ts';

type Json = Record<string, unknown>;

const sections: { name: string; run: (results: Json) => Promise<void> }[] = [
  { name: 'load', run: async (r) => { const l = await benchLoad(); r.load_ms_p50 = l.load_ms_p50; r.load_ms_cold = l.load_ms_cold; } },
  {
    name: 'features',
    run: async (r) => {
      const f = await benchFeatures();
      const w = await benchWorklet();
      r.features = {
        ...f,
        ours_vs_fft: f.ours_ms / f.fft_ms,
        meyda_vs_ours: f.meyda_ms / f.ours_ms,
        ...w,
      };
    },
  },
  {
    name: 'model',
    run: async (r) => {
      r.model = await benchModelsInChromiumWorker();
      r.model_node = await benchModels();
    },
  },
  { name: 'loop', run: async (r) => { r.loop = await benchLoop(); } },
  { name: 'log', run: async (r) => { r.log = await benchLog(); } },
  { name: 'music', run: async (r) => { r.music = await benchMusic(); } },
  { name: 'cli', run: async (r) => { r.cli = await benchCli(); } },
  { name: 'bridge', run: async (r) => { r.bridge = await benchBridge(); } },
];

const json = process.argv.includes('--json');
const onlyArg = process.argv.find((a) => a.startsWith('--only'));
const only = onlyArg ? (onlyArg.includes('=') ? onlyArg.split('=')[1] : process.argv[process.argv.indexOf(onlyArg) + 1] ?? '').split(',') : null;
const results: Json = {};

for (const section of sections) {
  if (only && !only.includes(section.name)) continue;
  process.stderr.write(`bench: ${section.name}…\n`);
  const t0 = Date.now();
  try {
    await section.run(results);
  } catch (error) {
    results[`${section.name}_error`] = error instanceof Error ? error.message : String(error);
  }
  process.stderr.write(`bench: ${section.name} done in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
}

const rows: [string, string][] = [];
const fmt = (v: unknown): string => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3)) : String(v));
function flatten(prefix: string, value: unknown): void {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(prefix ? `${prefix}.${k}` : k, v);
  } else rows.push([prefix, fmt(value)]);
}
flatten('', results);
const width = Math.max(...rows.map(([k]) => k.length));
console.log(rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n'));
if (json) console.log(JSON.stringify(results));
