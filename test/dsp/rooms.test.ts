/**
 * The rooms' boundaries, as a check on import lines: the audio-thread code in
 * dsp/ imports neither plugin/ (main thread) nor gui/; what both sides need
 * (the parameter table, the module id, the message protocols) lives in
 * protocol/. The GUI imports only lit, itself, protocol/ and the plugin's
 * public API (plugin/gui-api.ts, plugin/index.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** Every module specifier of a file: static imports and re-exports, and dynamic import() with a literal. */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]);
}

test('dsp/ imports nothing from plugin/ or gui/', () => {
  const offending: string[] = [];
  for (const file of sources('dsp')) {
    for (const spec of specifiers(file)) if (/(^|\/)(plugin|gui)\//.test(spec)) offending.push(`${file}: ${spec}`);
  }
  assert.deepEqual(offending, []);
});

/** True when `spec`, imported by `file`, is something gui/ may use. */
function guiMayImport(file: string, spec: string): boolean {
  if (!spec.startsWith('.')) return spec === 'lit' || spec.startsWith('lit/');
  const target = normalize(join(dirname(file), spec)).replace(/\\/g, '/');
  return target.startsWith('gui/') || target.startsWith('protocol/') || target === 'plugin/gui-api.ts' || target === 'plugin/index.ts';
}

test('gui/ imports only lit, gui/, protocol/ and the plugin\'s public API', () => {
  const offending: string[] = [];
  for (const file of sources('gui')) {
    for (const spec of specifiers(file)) if (!guiMayImport(file, spec)) offending.push(`${file}: ${spec}`);
  }
  assert.deepEqual(offending, []);
});

test('the GUI check refuses what the rule forbids', () => {
  assert.equal(guiMayImport('gui/features/feature-view-model.ts', '../../dsp/features/feature-names.ts'), false);
  assert.equal(guiMayImport('gui/session-browser/plot.ts', '../../log/notes.ts'), false);
  assert.equal(guiMayImport('gui/root/root.component.ts', '../../plugin/node.ts'), false);
  assert.equal(guiMayImport('gui/index.ts', 'idb'), false);
  assert.equal(guiMayImport('gui/root/root.component.ts', '../../plugin/gui-api.ts'), true);
  assert.equal(guiMayImport('gui/root/root.component.ts', '../loop/loop-panel.ts'), true);
  assert.equal(guiMayImport('gui/features/feature-view.ts', 'lit/directives/live.js'), true);
});
