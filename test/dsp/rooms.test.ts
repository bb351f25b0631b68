/**
 * The rooms' boundaries, as a check on import lines: the audio-thread code in
 * dsp/ imports neither plugin/ (main thread) nor gui/; what both sides need
 * (the parameter table, the module id, the message protocols) lives in
 * protocol/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

test('dsp/ imports nothing from plugin/ or gui/', () => {
  const offending: string[] = [];
  for (const file of sources('dsp')) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      const spec = match[1] ?? match[2];
      if (/(^|\/)(plugin|gui)\//.test(spec)) offending.push(`${file}: ${spec}`);
    }
  }
  assert.deepEqual(offending, []);
});
