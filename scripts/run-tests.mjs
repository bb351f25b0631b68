#!/usr/bin/env node
/**
 * Runs every test file (*.test.ts) with Node's test runner and tsx. They all
 * live under test/, in folders that mirror the source folders: the test of
 * dsp/loop/phrase-recorder.ts is test/dsp/loop/phrase-recorder.test.ts;
 * helpers shared by several folders are in test/helpers/, fixtures in
 * test/fixtures/. `--unit` runs only the Node unit tests (no browser).
 * Browser tests (every test that starts Chromium is named *.browser.test.ts) need `npm run build`
 * first (`npm test` does that).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const unitOnly = process.argv.includes('--unit');
const skipDirs = new Set(['node_modules', 'dist', '.git', 'models/weights']);

/** @param {string} dir @returns {string[]} */
function find(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const rel = relative(root, path);
    if (skipDirs.has(rel) || name.startsWith('.')) continue;
    if (statSync(path).isDirectory()) out.push(...find(path));
    else if (/\.test\.ts$/.test(name)) out.push(rel);
  }
  return out;
}

/** Browser tests (headless Chromium) run after the Node unit tests. */
const isBrowser = (f) => f.endsWith('.browser.test.ts');

const files = find(root)
  .filter((f) => !unitOnly || !isBrowser(f))
  .sort((a, b) => Number(isBrowser(a)) - Number(isBrowser(b)) || a.localeCompare(b));
if (files.length === 0) {
  console.error('run-tests: no test files found');
  process.exit(1);
}
const args = ['--import', 'tsx', '--test', '--test-concurrency=1', ...files];
const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
