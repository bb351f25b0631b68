/**
 * `npm run bench`: measures every part side by side in one run and prints a
 * table; with `-- --json` the last line is one JSON object with the keys of
 * DESIGN.md's contract. Ratios travel between machines; absolute times do not.
 */
import { benchLoad } from './load.ts';

type Section = { name: string; run: () => Promise<Record<string, unknown>> };

const sections: Section[] = [
  { name: 'load', run: async () => benchLoad() as unknown as Promise<Record<string, unknown>> },
];

const json = process.argv.includes('--json');
const results: Record<string, unknown> = {};
const rows: [string, string][] = [];

const fmt = (v: unknown): string => (typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3)) : Array.isArray(v) ? `[${v.map(fmt).join(', ')}]` : String(v));

function flatten(prefix: string, value: unknown): void {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(prefix ? `${prefix}.${k}` : k, v);
  } else rows.push([prefix, fmt(value)]);
}

for (const section of sections) {
  process.stderr.write(`bench: ${section.name}…\n`);
  try {
    const result = await section.run();
    if (section.name === 'load') Object.assign(results, result);
    else results[section.name] = result;
  } catch (error) {
    results[`${section.name}_error`] = error instanceof Error ? error.message : String(error);
  }
}

flatten('', results);
const width = Math.max(...rows.map(([k]) => k.length));
console.log(rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n'));
if (json) console.log(JSON.stringify(results));
