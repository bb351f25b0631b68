/**
 * The Windows CLAP plugin, cross-compiled with MinGW-w64
 * (`node scripts/build-clap.mjs --windows`): bridge/native/ with
 * platform_win32.c builds warning-free as C11, the DLL exports `clap_entry`
 * alone and needs nothing at run time but DLLs every Windows has. Then a
 * Windows CLAP host (bridge/test/win_host.c) runs it under Wine: entry,
 * factory, bit-exact pass-through, the editor URL through the log and the
 * opener, the token-guarded server answering from Linux, and the transport
 * reaching a page over the WebSocket while blocks are processed.
 *
 * Needs `x86_64-w64-mingw32-gcc`, `x86_64-w64-mingw32-objdump` (Debian/Ubuntu:
 * apt-get install gcc-mingw-w64-x86-64-win32) and `wine` (apt-get install
 * wine64) on the PATH: without them the test fails and says so.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HostProcess, T, WsClient, getRequest, rawHttp, type HostLine } from './native-harness.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const DLL = join(ROOT, 'dist/clap-windows/DeepImprov.clap');
const OBJDUMP = 'x86_64-w64-mingw32-objdump';
/** DLLs present on every supported Windows (7 and later). */
const SYSTEM_DLLS = new Set(['kernel32.dll', 'ws2_32.dll', 'bcrypt.dll', 'shell32.dll', 'msvcrt.dll']);

const CC_WINDOWS = process.env.CC_WINDOWS || 'x86_64-w64-mingw32-gcc';

let headers = '';
let work = '';

/** Resolves when `check()` holds, polling every 50 ms; rejects after `ms`. */
async function until(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A Linux path as Wine's Z: drive sees it. */
const winePath = (path: string): string => `Z:${path.replace(/\//g, '\\')}`;

before(() => {
  for (const tool of [CC_WINDOWS, OBJDUMP, 'wine']) {
    const r = spawnSync(tool, ['--version'], { stdio: 'ignore' });
    if (r.error || r.status !== 0)
      throw new Error(`the Windows plugin test needs \`${tool}\` on the PATH (Debian/Ubuntu: apt-get install ${tool === 'wine' ? 'wine64' : 'gcc-mingw-w64-x86-64-win32'})`);
  }
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build-clap.mjs'), '--windows', '--no-copy'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(build.status, 0, `build-clap --windows failed:\n${build.stdout}\n${build.stderr}`);
  const dump = spawnSync(OBJDUMP, ['-p', DLL], { encoding: 'utf8' });
  assert.equal(dump.status, 0, dump.stderr);
  headers = dump.stdout;
  // A plugin folder of its own: the DLL, a small resource folder, and the Windows host.
  work = mkdtempSync(join(tmpdir(), 'deep-improv-win-'));
  copyFileSync(DLL, join(work, 'DeepImprov.clap'));
  mkdirSync(join(work, 'DeepImprov/bridge'), { recursive: true });
  writeFileSync(join(work, 'DeepImprov/bridge/index.html'), '<!doctype html><title>bridge fixture</title>\n');
  const host = spawnSync(CC_WINDOWS, ['-std=c11', '-Wall', '-Wextra', '-Werror', '-pedantic', '-O2', '-static-libgcc',
    join(ROOT, 'bridge/test/win_host.c'), '-o', join(work, 'win_host.exe')], { encoding: 'utf8' });
  assert.equal(host.status, 0, `win_host.c failed to build:\n${host.stderr}`);
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
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

test('under Wine a Windows host runs the plugin: pass-through, the editor URL, a token-guarded server and the transport over the WebSocket', async () => {
  const stop = join(work, 'stop');
  const opened = join(work, 'opened.txt');
  const host = new HostProcess('wine', [join(work, 'win_host.exe'), winePath(join(work, 'DeepImprov.clap')), winePath(stop)], {
    ...process.env,
    WINEDEBUG: '-all',
    WINEDLLOVERRIDES: 'mscoree,mshtml=',
    WINEPREFIX: join(tmpdir(), 'deep-improv-wine'),
    DEEP_IMPROV_OPEN: winePath(join(work, 'win_host.exe')),
    DEEP_IMPROV_URL_FILE: winePath(opened),
    DEEP_IMPROV_PORT: '',
  });
  const text = (l: HostLine): string => String(l.text ?? '');
  try {
    // The first run also creates the Wine prefix: allow a minute.
    const log = await host.waitLine((l) => /editor: http/.test(text(l)) || /^FAIL/.test(text(l)), 'the editor URL in the log', 0, 60_000);
    const m = /http:\/\/127\.0\.0\.1:(\d+)\/([0-9a-f]{32})\/bridge\/index\.html/.exec(text(log));
    assert.ok(m, text(log));
    const port = Number(m[1]);
    const token = m[2]!;
    await host.waitLine((l) => /^(OK gui show|FAIL)/.test(text(l)), 'the editor shown');
    for (const step of ['entry', 'factory', 'descriptor', 'init', 'activate', 'pass-through', 'gui api win32', 'gui show'])
      assert.ok(host.lines.some((l) => text(l) === `OK ${step}`), `step ${step}: ${host.lines.map(text).join(' | ')}`);

    const page = await rawHttp(port, getRequest(`/${token}/bridge/index.html`, port));
    assert.equal(page.status, 200);
    assert.match(page.body.toString('utf8'), /bridge fixture/);
    assert.equal((await rawHttp(port, getRequest('/bridge/index.html', port))).status, 403, 'no token');
    assert.equal((await rawHttp(port, getRequest(`/${token}/bridge/index.html`, port, { Origin: 'http://evil.example' }))).status, 403, 'other origin');
    assert.equal((await WsClient.open(port, token, 'http://evil.example')).status, 403, 'cross-site WebSocket');

    // The opener ran through CreateProcessW with the URL as one argument.
    await until(() => existsSync(opened) && readFileSync(opened, 'utf8').length > 0, 'the opener to write the URL');
    assert.equal(readFileSync(opened, 'utf8'), `http://127.0.0.1:${port}/${token}/bridge/index.html`);

    const ws = (await WsClient.open(port, token)).client!;
    assert.ok(ws, 'the page WebSocket opens');
    const first = await ws.waitMessage((d) => d.type === T.TRANSPORT, 'a first TRANSPORT');
    const later = await ws.waitMessage((d) => d.type === T.TRANSPORT && d.beats! > first.beats!, 'a later TRANSPORT');
    assert.equal(later.tempo, 120);
    ws.destroy();

    writeFileSync(stop, '');
    const done = await host.waitLine((l) => text(l).startsWith('DONE'), 'the host to finish', 0);
    assert.equal(text(done), 'DONE ok', host.lines.map(text).join(' | '));
    assert.equal(await host.exited, 0);
  } finally {
    writeFileSync(stop, '');
    host.kill();
  }
});
