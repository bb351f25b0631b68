#!/usr/bin/env node
/**
 * Builds the CLAP bridge (bridge/native/) with the system C compiler:
 *   dist/clap/DeepImprov.clap     the plugin (a shared object exporting only clap_entry)
 *   dist/clap/DeepImprov/         the page and the WAM (a copy of dist/ without dist/clap*)
 *   dist/clap-test/host           the test host (bridge/test/host.c, host_*.c)
 *   dist/clap-test/unit           the C unit tests (bridge/test/test_*.c)
 *   dist/clap-test/unit-asan      the same with -fsanitize=address,undefined (--sanitize)
 *   dist/clap-test/fuzz           the seeded decoder fuzz (bridge/test/fuzz.c), fuzz-asan with --sanitize
 * Needs dist/ from `npm run build` (rollup) first.
 *   node scripts/build-clap.mjs [--if-available] [--sanitize] [--no-copy]
 * --if-available: without a C compiler print a note and exit 0 (used by `npm run build`).
 * CC overrides the compiler (default cc). Linux and macOS; Windows needs platform_win32.c.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NATIVE = join(ROOT, 'bridge/native');
const TEST = join(ROOT, 'bridge/test');
const DIST = join(ROOT, 'dist');
const OUT = join(DIST, 'clap');
const TEST_OUT = join(DIST, 'clap-test');
const CC = process.env.CC || 'cc';
const WARN = ['-std=c11', '-Wall', '-Wextra', '-Werror', '-pedantic'];

/** True when the compiler runs. */
export function compilerAvailable(cc = CC) {
  const r = spawnSync(cc, ['--version'], { stdio: 'ignore' });
  return r.status === 0;
}

function run(args) {
  const r = spawnSync(CC, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`build-clap: ${CC} ${args.join(' ')} failed`);
}

/** The plugin's C sources for this platform. */
function pluginSources() {
  return readdirSync(NATIVE)
    .filter((f) => f.endsWith('.c') && f !== 'platform_win32.c')
    .map((f) => join(NATIVE, f));
}

/** C sources the tests link (everything but the CLAP entry and instance glue). */
function librarySources() {
  const glue = new Set(['entry.c', 'plugin.c', 'process.c', 'ports.c', 'params.c', 'state.c', 'gui.c', 'webview.c', 'server.c', 'server_http.c', 'server_ws.c', 'platform_win32.c']);
  return readdirSync(NATIVE).filter((f) => f.endsWith('.c') && !glue.has(f)).map((f) => join(NATIVE, f));
}

function buildPlugin() {
  mkdirSync(OUT, { recursive: true });
  const libs = process.platform === 'darwin' ? [] : ['-lm'];
  run([...WARN, '-O2', '-fPIC', '-shared', '-fvisibility=hidden', '-pthread', ...pluginSources(), '-o', join(OUT, 'DeepImprov.clap'), ...libs]);
}

function copyResources() {
  const target = join(OUT, 'DeepImprov');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  for (const name of readdirSync(DIST)) {
    if (name === 'clap' || name === 'clap-test') continue;
    cpSync(join(DIST, name), join(target, name), { recursive: true });
  }
}

function buildTests(sanitize) {
  mkdirSync(TEST_OUT, { recursive: true });
  const libs = process.platform === 'darwin' ? [] : ['-ldl', '-lm'];
  const host = readdirSync(TEST).filter((f) => f === 'host.c' || /^host_.*\.c$/.test(f)).map((f) => join(TEST, f));
  run([...WARN, '-O2', '-pthread', ...host, join(NATIVE, 'ring.c'), join(NATIVE, 'protocol.c'), '-o', join(TEST_OUT, 'host'), ...libs]);
  const tests = readdirSync(TEST).filter((f) => /^test_.*\.c$/.test(f)).map((f) => join(TEST, f));
  if (tests.length === 0) return;
  const unit = [...tests, join(TEST, 'unit_main.c'), ...pluginSources()];
  run([...WARN, '-O1', '-g', '-pthread', ...unit, '-o', join(TEST_OUT, 'unit'), ...libs]);
  if (existsSync(join(TEST, 'fuzz.c')))
    run([...WARN, '-O1', '-g', '-pthread', join(TEST, 'fuzz.c'), ...librarySources(), '-o', join(TEST_OUT, 'fuzz'), ...libs]);
  if (sanitize) {
    const san = ['-fsanitize=address,undefined', '-fno-omit-frame-pointer', '-fno-sanitize-recover=all'];
    run([...WARN, '-O1', '-g', ...san, '-pthread', ...unit, '-o', join(TEST_OUT, 'unit-asan'), ...libs]);
    run([...WARN, '-O1', '-g', ...san, '-pthread', join(TEST, 'fuzz.c'), ...librarySources(), '-o', join(TEST_OUT, 'fuzz-asan'), ...libs]);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  if (!compilerAvailable()) {
    const msg = `build-clap: no C compiler (${CC}); the CLAP bridge was not built`;
    if (args.includes('--if-available')) {
      console.log(msg);
      process.exit(0);
    }
    console.error(msg);
    process.exit(1);
  }
  if (!args.includes('--no-copy') && !existsSync(join(DIST, 'index.js'))) {
    console.error('build-clap: dist/index.js is missing: run `npm run build` first');
    process.exit(1);
  }
  try {
    buildPlugin();
    if (!args.includes('--no-copy')) copyResources();
    buildTests(args.includes('--sanitize'));
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
  console.log(`build-clap: wrote ${join('dist/clap', 'DeepImprov.clap')} and dist/clap-test/`);
}
