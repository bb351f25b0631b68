#!/usr/bin/env node
/**
 * Builds the CLAP bridge (bridge/native/) with the system C compiler:
 *   dist/clap/DeepImprov.clap     the plugin (a shared object exporting only clap_entry; on
 *                                 macOS a bundle folder, Contents/MacOS/DeepImprov)
 *   dist/clap/DeepImprov/         the page and the WAM (a copy of dist/ without dist/clap*)
 *   dist/clap-test/host           the test host (bridge/test/host.c, host_*.c)
 *   dist/clap-test/unit           the C unit tests (bridge/test/test_*.c)
 *   dist/clap-test/unit-asan      the same with -fsanitize=address,undefined (--sanitize)
 *   dist/clap-test/fuzz           the seeded decoder fuzz (bridge/test/fuzz.c), fuzz-asan with --sanitize
 * Needs dist/ from `npm run build` (rollup) first.
 *   node scripts/build-clap.mjs [--if-available] [--sanitize] [--no-copy]
 *   node scripts/build-clap.mjs --windows [--no-copy]
 * --if-available: without a C compiler print a note and exit 0 (used by `npm run build`).
 * --windows: cross-builds the Windows plugin with MinGW-w64 instead:
 *   dist/clap-windows/DeepImprov.clap (a DLL exporting only clap_entry, platform_win32.c)
 *   and dist/clap-windows/DeepImprov/ beside it.
 * CC overrides the compiler (default cc; Apple's clang on macOS), CC_WINDOWS the cross compiler
 * (default x86_64-w64-mingw32-gcc; Debian: gcc-mingw-w64-x86-64-win32).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NATIVE = join(ROOT, 'bridge/native');
const TEST = join(ROOT, 'bridge/test');
const DIST = join(ROOT, 'dist');
const OUT = join(DIST, 'clap');
const TEST_OUT = join(DIST, 'clap-test');
const CC = process.env.CC || 'cc';
const CC_WINDOWS = process.env.CC_WINDOWS || 'x86_64-w64-mingw32-gcc';
const OUT_WINDOWS = join(DIST, 'clap-windows');
const WARN = ['-std=c11', '-Wall', '-Wextra', '-Werror', '-pedantic'];

/** True when the compiler runs. */
export function compilerAvailable(cc = CC) {
  const r = spawnSync(cc, ['--version'], { stdio: 'ignore' });
  return r.status === 0;
}

function run(args, cc = CC) {
  const r = spawnSync(cc, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`build-clap: ${cc} ${args.join(' ')} failed`);
}

/** The plugin's C sources for one platform: every bridge/native file but the other platform's. */
function pluginSources(windows = false) {
  const other = windows ? 'platform_posix.c' : 'platform_win32.c';
  return readdirSync(NATIVE)
    .filter((f) => f.endsWith('.c') && f !== other)
    .map((f) => join(NATIVE, f));
}

/** C sources the tests link (everything but the CLAP entry and instance glue). */
function librarySources() {
  const glue = new Set(['entry.c', 'plugin.c', 'process.c', 'ports.c', 'params.c', 'state.c', 'gui.c', 'webview.c', 'server.c', 'server_http.c', 'server_ws.c', 'platform_win32.c']);
  return readdirSync(NATIVE).filter((f) => f.endsWith('.c') && !glue.has(f)).map((f) => join(NATIVE, f));
}

function buildPlugin() {
  mkdirSync(OUT, { recursive: true });
  if (process.platform === 'darwin') {
    // macOS loads a CLAP as a bundle folder: DeepImprov.clap/Contents/MacOS/DeepImprov.
    const binary = join(OUT, 'DeepImprov');
    run([...WARN, '-O2', '-bundle', '-fvisibility=hidden', '-pthread', ...pluginSources(), '-o', binary]);
    writeMacBundle(join(OUT, 'DeepImprov.clap'), binary);
    rmSync(binary, { force: true });
    return;
  }
  run([...WARN, '-O2', '-fPIC', '-shared', '-fvisibility=hidden', '-pthread', ...pluginSources(), '-o', join(OUT, 'DeepImprov.clap'), '-lm']);
}

/** Bundle identifier of the macOS plugin bundle. */
export const MAC_BUNDLE_ID = 'com.deep-improv.clap';

/**
 * Lays out a macOS plugin bundle at `bundleDir` (replacing it) around a built
 * Mach-O `binary`: Contents/MacOS/DeepImprov, Contents/Info.plist and
 * Contents/PkgInfo. The resource folder stays beside the bundle
 * (`<folder>/DeepImprov/`), where entry.c looks for it.
 * @param version the bundle's version string (default: package.json's).
 */
export function writeMacBundle(bundleDir, binary, version = packageVersion()) {
  rmSync(bundleDir, { recursive: true, force: true });
  mkdirSync(join(bundleDir, 'Contents/MacOS'), { recursive: true });
  cpSync(binary, join(bundleDir, 'Contents/MacOS/DeepImprov'));
  const plist = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>CFBundleDevelopmentRegion</key><string>en</string>
  <key>CFBundleExecutable</key><string>DeepImprov</string>
  <key>CFBundleIdentifier</key><string>${MAC_BUNDLE_ID}</string>
  <key>CFBundleInfoDictionaryVersion</key><string>6.0</string>
  <key>CFBundleName</key><string>Deep Improv</string>
  <key>CFBundlePackageType</key><string>BNDL</string>
  <key>CFBundleShortVersionString</key><string>${version}</string>
  <key>CFBundleVersion</key><string>${version}</string>
  <key>CFBundleSignature</key><string>????</string>
</dict>
</plist>
`;
  writeFileSync(join(bundleDir, 'Contents/Info.plist'), plist);
  writeFileSync(join(bundleDir, 'Contents/PkgInfo'), 'BNDL????');
}

function packageVersion() {
  return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
}

/**
 * The Windows plugin, cross-compiled. The C runtime and libgcc are linked so
 * the DLL needs only system DLLs (kernel32, ws2_32, bcrypt, shell32, msvcrt).
 */
function buildWindowsPlugin() {
  mkdirSync(OUT_WINDOWS, { recursive: true });
  run([...WARN, '-O2', '-shared', '-static-libgcc', ...pluginSources(true), '-o', join(OUT_WINDOWS, 'DeepImprov.clap'),
    '-lws2_32', '-lbcrypt', '-lshell32'], CC_WINDOWS);
}

/** The folders of dist/ that are build outputs of this script, never copied into a bundle. */
const BRIDGE_OUTPUTS = new Set(['clap', 'clap-test', 'clap-windows']);

function copyResources(out = OUT) {
  const target = join(out, 'DeepImprov');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  for (const name of readdirSync(DIST)) {
    if (BRIDGE_OUTPUTS.has(name)) continue;
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
  if (args.includes('--windows')) {
    if (!compilerAvailable(CC_WINDOWS)) {
      console.error(`build-clap: no MinGW-w64 cross compiler (${CC_WINDOWS}; Debian/Ubuntu: apt-get install gcc-mingw-w64-x86-64-win32)`);
      process.exit(1);
    }
    if (!args.includes('--no-copy') && !existsSync(join(DIST, 'index.js'))) {
      console.error('build-clap: dist/index.js is missing: run `npm run build` first');
      process.exit(1);
    }
    try {
      buildWindowsPlugin();
      if (!args.includes('--no-copy')) copyResources(OUT_WINDOWS);
    } catch (err) {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    }
    console.log('build-clap: wrote dist/clap-windows/DeepImprov.clap');
    process.exit(0);
  }
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
