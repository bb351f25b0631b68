/**
 * The Windows CLAP plugin, cross-compiled with MinGW-w64
 * (`node scripts/build-clap.mjs --windows`): bridge/native/ with
 * platform_win32.c builds warning-free as C11, the DLL exports `clap_entry`
 * alone, and it needs nothing at run time but DLLs every Windows has.
 * This machine cannot run it; the Linux build is the one driven end to end.
 *
 * Needs `x86_64-w64-mingw32-gcc` and `x86_64-w64-mingw32-objdump` on the PATH
 * (Debian/Ubuntu: apt-get install gcc-mingw-w64-x86-64-win32): without them
 * the test fails and says so.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const DLL = join(ROOT, 'dist/clap-windows/DeepImprov.clap');
const OBJDUMP = 'x86_64-w64-mingw32-objdump';
/** DLLs present on every supported Windows (7 and later). */
const SYSTEM_DLLS = new Set(['kernel32.dll', 'ws2_32.dll', 'bcrypt.dll', 'shell32.dll', 'msvcrt.dll']);

let headers = '';

before(() => {
  for (const tool of [process.env.CC_WINDOWS || 'x86_64-w64-mingw32-gcc', OBJDUMP]) {
    const r = spawnSync(tool, ['--version'], { stdio: 'ignore' });
    if (r.error || r.status !== 0)
      throw new Error(`the Windows build test needs \`${tool}\` on the PATH (Debian/Ubuntu: apt-get install gcc-mingw-w64-x86-64-win32)`);
  }
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build-clap.mjs'), '--windows', '--no-copy'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(build.status, 0, `build-clap --windows failed:\n${build.stdout}\n${build.stderr}`);
  const dump = spawnSync(OBJDUMP, ['-p', DLL], { encoding: 'utf8' });
  assert.equal(dump.status, 0, dump.stderr);
  headers = dump.stdout;
});

test('the Windows build is a 64-bit DLL', () => {
  assert.match(headers, /file format pei-x86-64/);
  assert.match(headers, /Characteristics [^\n]*\n(?:\s+[^\n]*\n)*?\s+DLL\b/);
});

test('the Windows DLL exports clap_entry and nothing else', () => {
  const table = headers.split('[Ordinal/Name Pointer] Table')[1];
  assert.ok(table, 'no export name table');
  const names = [...table.split(/\n\s*\n/)[0]!.matchAll(/\[\s*\d+\]\s+(\S+)/g)].map((m) => m[1]);
  assert.deepEqual(names, ['clap_entry']);
});

test('the Windows DLL imports system DLLs only (no MinGW runtime beside it)', () => {
  const imports = [...headers.matchAll(/DLL Name:\s+(\S+)/g)].map((m) => m[1]!.toLowerCase());
  assert.ok(imports.includes('ws2_32.dll'), `expected Winsock among ${imports.join(', ')}`);
  for (const dll of imports) assert.ok(SYSTEM_DLLS.has(dll), `${dll} is not a system DLL`);
});
