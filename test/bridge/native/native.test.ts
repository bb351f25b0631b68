/**
 * The native CLAP bridge, tested from Node: builds the plugin, the test host
 * and the C tests with the system C compiler (scripts/build-clap.mjs), runs
 * the C unit tests (plain and under ASan/UBSan) and the seeded decoder fuzz,
 * checks the generated parameter header is current, then drives the test
 * host under valgrind while this file plays the page: good and bad HTTP
 * requests, a WebSocket session with the real protocol, malformed frames,
 * two instances, state save/restore, parameters both ways, and no note left
 * hanging when the page vanishes or the transport stops.
 *
 * Needs `cc` and `valgrind` on the PATH: without them the test fails and
 * says so (it never skips silently).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  HostProcess, T, WsClient, fnv1a32, getRequest, message, midiOut, param, pong, rawHttp, state, wsFrame, type Decoded,
  type HostLine,
} from './native-harness.ts';
import { PARAMETERS } from '../../../protocol/parameters.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BIN = join(ROOT, 'dist/clap-test');
const VECTORS = join(ROOT, 'protocol/bridge-vectors.txt');
/** Seconds the decoder fuzz may run. */
const FUZZ_SECONDS = 5;

/** Fails with an install hint when a tool is missing. */
function requireTool(command: string, args: string[], pkg: string): void {
  const r = spawnSync(command, args, { stdio: 'ignore' });
  if (r.error || r.status !== 0)
    throw new Error(`the CLAP bridge tests need \`${command}\` on the PATH (Debian/Ubuntu: apt-get install ${pkg})`);
}

let work = '';

before(() => {
  requireTool(process.env.CC || 'cc', ['--version'], 'gcc');
  requireTool('valgrind', ['--version'], 'valgrind');
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build-clap.mjs'), '--no-copy', '--sanitize'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.equal(build.status, 0, `build-clap failed:\n${build.stdout}\n${build.stderr}`);
  // A plugin folder of its own: the .clap beside a small DeepImprov/ resource folder.
  work = mkdtempSync(join(tmpdir(), 'deep-improv-clap-'));
  copyFileSync(join(ROOT, 'dist/clap/DeepImprov.clap'), join(work, 'DeepImprov.clap'));
  mkdirSync(join(work, 'DeepImprov/bridge'), { recursive: true });
  writeFileSync(join(work, 'DeepImprov/bridge/index.html'), '<!doctype html><title>bridge fixture</title>\n');
  writeFileSync(join(work, 'DeepImprov/app.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  writeFileSync(join(work, 'secret.txt'), 'outside the resource folder');
  writeFileSync(join(work, 'open.sh'), `#!/bin/sh\nprintf '%s' "$1" > '${join(work, 'opened.txt')}'\n`);
  chmodSync(join(work, 'open.sh'), 0o755);
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the committed params_table.h is what gen-clap-params makes from the parameter table', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/gen-clap-params.mjs'), '--check'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  const header = readFileSync(join(ROOT, 'bridge/native/params_table.h'), 'utf8');
  assert.match(header, new RegExp(`0x${fnv1a32('temperature').toString(16).padStart(8, '0')}u, "temperature"`));
});

for (const binary of ['unit', 'unit-asan']) {
  test(`C unit tests pass (${binary}): ring, notes, timing, protocol vectors, SHA-1/base64, WebSocket, HTTP, process()`, () => {
    const r = spawnSync(join(BIN, binary), [VECTORS], { encoding: 'utf8' });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    const summary = /unit: (\d+) checks, (\d+) failed/.exec(r.stdout);
    assert.ok(summary, r.stdout);
    assert.ok(Number(summary[1]) > 400, `only ${summary[1]} checks ran`);
    assert.equal(summary[2], '0');
    for (const suite of ['ring', 'notes', 'timing', 'protocol', 'crypto', 'websocket', 'http', 'plugin'])
      assert.match(r.stdout, new RegExp(`suite ${suite}: [1-9]\\d* checks, 0 failed`));
  });
}

test('the seeded fuzz of the HTTP, WebSocket and protocol decoders finds no crash (ASan/UBSan)', () => {
  const r = spawnSync(join(BIN, 'fuzz-asan'), ['20260601', String(FUZZ_SECONDS)], { encoding: 'utf8', timeout: (FUZZ_SECONDS + 20) * 1000 });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  const m = /fuzz: seed \d+, (\d+) rounds, 0 failures/.exec(r.stdout);
  assert.ok(m && Number(m[1]) > 10_000, r.stdout);
});

/** The editor URL of an instance, from the host's log line. */
function editorUrl(host: HostProcess, inst: number, from: number): Promise<{ port: number; token: string }> {
  return host
    .waitLine((l) => l.ev === 'log' && l.inst === inst && /editor: http/.test(String(l.msg)), `editor URL of ${inst}`, from)
    .then((l) => {
      const m = /http:\/\/127\.0\.0\.1:(\d+)\/([0-9a-f]{32})\/bridge\/index\.html$/.exec(String(l.msg));
      assert.ok(m, String(l.msg));
      return { port: Number(m[1]), token: m[2] };
    });
}

const isOut = (inst: number, bytes: number[]) => (l: HostLine): boolean =>
  l.ev === 'out' && l.inst === inst && JSON.stringify(l.bytes) === JSON.stringify(bytes);

/** Opens the page's WebSocket, retrying while the server still holds a previous page's connection (409). */
async function openWhenFree(port: number, token: string): Promise<WsClient> {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const r = await WsClient.open(port, token);
    if (r.client) return r.client;
    assert.equal(r.status, 409);
  }
  throw new Error('the previous page never went away');
}

/** The song position of the latest TRANSPORT the page got. */
function lastBeat(ws: WsClient): number {
  const transports = ws.messages.filter((m) => m[0] === T.TRANSPORT);
  assert.ok(transports.length > 0, 'no TRANSPORT yet');
  return transports[transports.length - 1].readDoubleLE(16);
}

test('the test host runs the plugin under valgrind while a page talks to it: no invalid access, nothing leaked', async () => {
  const host = new HostProcess(
    'valgrind',
    ['--error-exitcode=1', '--leak-check=full', '--errors-for-leak-kinds=definite,indirect', '--quiet', join(BIN, 'host'), join(work, 'DeepImprov.clap')],
    { ...process.env, DEEP_IMPROV_OPEN: join(work, 'open.sh'), DEEP_IMPROV_PORT: '' },
  );
  const sockets: WsClient[] = [];
  try {
    host.send('new');
    await host.waitLine((l) => l.ev === 'instance' && l.inst === 0, 'instance 0');
    host.send('gui 0');
    const { port, token } = await editorUrl(host, 0, 0);
    await host.waitLine((l) => l.ev === 'gui' && l.inst === 0 && l.ok === true, 'gui ok');

    // --- HTTP: files under the token, and every guard ---
    const page = await rawHttp(port, getRequest(`/${token}/bridge/index.html`, port));
    assert.equal(page.status, 200);
    assert.match(page.head, /Content-Type: text\/html/);
    assert.equal(page.body.toString(), '<!doctype html><title>bridge fixture</title>\n');
    const wasm = await rawHttp(port, getRequest(`/${token}/app.wasm`, port, { Origin: `http://localhost:${port}` }));
    assert.equal(wasm.status, 200);
    assert.match(wasm.head, /Content-Type: application\/wasm/);
    assert.equal((await rawHttp(port, getRequest('/bridge/index.html', port))).status, 403, 'no token');
    assert.equal((await rawHttp(port, getRequest(`/${'0'.repeat(32)}/bridge/index.html`, port))).status, 403, 'wrong token');
    assert.equal(
      (await rawHttp(port, getRequest(`/${token}/bridge/index.html`, port, { Origin: 'http://evil.example' }))).status,
      403,
      'foreign Origin',
    );
    assert.equal(
      (await rawHttp(port, `GET /${token}/bridge/index.html HTTP/1.1\r\nHost: evil.example:${port}\r\n\r\n`)).status,
      403,
      'DNS rebinding Host',
    );
    assert.equal((await rawHttp(port, 'NONSENSE\r\n\r\n')).status, 400);
    assert.equal((await rawHttp(port, `POST /${token}/bridge/index.html HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`)).status, 405);
    assert.equal((await rawHttp(port, getRequest(`/${token}/../secret.txt`, port))).status, 404);
    assert.equal((await rawHttp(port, getRequest(`/${token}/%2e%2e/secret.txt`, port))).status, 404);
    assert.equal((await rawHttp(port, getRequest(`/${token}/missing.js`, port))).status, 404);
    assert.equal((await rawHttp(port, getRequest(`/${token}/bridge`, port))).status, 404, 'a folder is not a file');
    assert.equal((await rawHttp(port, getRequest(`/${token}/x`, port, { 'X-Big': 'a'.repeat(17000) }))).status, 431);
    assert.equal((await WsClient.open(port, token, 'http://evil.example')).status, 403, 'cross-site WebSocket');

    // --- the WebSocket session: the connect sequence ---
    const first = await WsClient.open(port, token);
    assert.equal(first.status, 101);
    const ws = first.client!;
    sockets.push(ws);
    const hello = await ws.waitMessage((m) => m.type === T.HELLO, 'HELLO');
    assert.equal(hello.sampleRate, 48000);
    assert.equal(hello.maxFrames, 128);
    assert.equal(hello.host, 'Deep Improv test host');
    assert.equal(ws.messages[0][0], T.HELLO, 'HELLO comes first');
    const transport = await ws.waitMessage((m) => m.type === T.TRANSPORT, 'TRANSPORT');
    assert.equal(transport.tempo, 120);
    assert.equal(transport.flags! & 0b1001, 0b1001, 'playing, from the host');
    assert.equal(ws.messages.filter((m) => m[0] === T.PARAM).length, PARAMETERS.length, 'every parameter is sent on connect');
    assert.equal((await WsClient.open(port, token)).status, 409, 'one page at a time');

    // PING -> PONG gives a round trip in STATS
    const ping = await ws.waitMessage((m) => m.type === T.PING, 'PING');
    ws.send(pong(ping.pingId!, ping.timeNs!));
    await ws.waitMessage((m) => m.type === T.STATS && m.rttMs! > 0, 'STATS with a round trip');

    // --- DAW notes pass through at their sample and reach the page with their song position ---
    const noteBeat = Math.ceil(lastBeat(ws)) + 3;
    host.send(`note 0 ${noteBeat} 64 100 0.5`);
    const thru = await host.waitLine(isOut(0, [0x90, 64, 100]), 'the thru note-on');
    assert.ok(Math.abs(Number(thru.beat) - noteBeat) < 1e-6, `thru at beat ${thru.beat}`);
    const midiIn = await ws.waitMessage((m) => m.type === T.MIDI_IN && m.bytes![0] === 0x90, 'MIDI_IN');
    assert.deepEqual(midiIn.bytes, [0x90, 64, 100]);
    assert.equal(midiIn.sampleTime, BigInt(Number(thru.sample)));
    assert.ok(Math.abs(midiIn.beats! - noteBeat) < 1e-6);
    await host.waitLine(isOut(0, [0x80, 64, 0]), 'the thru note-off');

    // --- returned MIDI plays at the exact sample of its song position ---
    const answerBeat = lastBeat(ws) + 3.3; // margin for a slow machine under valgrind
    ws.send(midiOut(answerBeat, [0x92, 72, 100]));
    ws.send(midiOut(answerBeat + 0.5, [0x82, 72, 0]));
    ws.send(midiOut(lastBeat(ws) - 8, [0x92, 73, 100])); // far too late: dropped
    const on = await host.waitLine(isOut(0, [0x92, 72, 100]), 'the answer note-on');
    const off = await host.waitLine(isOut(0, [0x82, 72, 0]), 'the answer note-off');
    const halfSample = 0.5 * 120 / 60 / 48000;
    assert.ok(Math.abs(Number(on.beat) - answerBeat) <= halfSample + 1e-9, `note-on at ${on.beat}, planned ${answerBeat}`);
    assert.ok(Math.abs(Number(off.beat) - (answerBeat + 0.5)) <= halfSample + 1e-9);
    assert.equal(Number(off.sample) - Number(on.sample), 12000, 'half a beat at 120 BPM, 48 kHz');
    assert.ok(!host.lines.some(isOut(0, [0x92, 73, 100])), 'the late note was dropped');
    await ws.waitMessage((m) => m.type === T.STATS && m.exact! >= 2 && m.dropped! >= 1, 'STATS counting exact and dropped');

    // --- parameters both ways ---
    let mark = host.lines.length;
    ws.send(param(fnv1a32('temperature'), 1.25));
    await host.waitLine((l) => l.ev === 'param-out' && l.inst === 0 && l.id === 'temperature' && l.value === 1.25, 'param-out', mark);
    host.send('getparam 0 temperature');
    await host.waitLine((l) => l.ev === 'param' && l.id === 'temperature' && l.value === 1.25, 'getparam', mark);
    const before = ws.messages.length;
    host.send('param 0 density 0.75');
    await ws.waitMessage((m) => m.type === T.PARAM && m.paramId === fnv1a32('density') && m.value === 0.75, 'PARAM from the host', before);

    // --- state: the page's last push is what the host saves; a second instance gets it back ---
    ws.send(state('{"hello":"wörld","n":[1,2]}'));
    const stateFile = join(work, 'state.bin');
    // The STATE and the save travel on different paths: save until the file holds the pushed JSON.
    const savedHasState = async (): Promise<boolean> => {
      const at = host.lines.length;
      host.send(`save 0 ${stateFile}`);
      await host.waitLine((l) => l.ev === 'saved' && l.inst === 0, 'saved', at);
      return readFileSync(stateFile).includes(Buffer.from('"hello":"wörld"'));
    };
    let attempts = 0;
    while (!(await savedHasState())) assert.ok(++attempts < 500, 'the pushed STATE never reached state.save');
    mark = host.lines.length;
    host.send('new');
    await host.waitLine((l) => l.ev === 'instance' && l.inst === 1, 'instance 1', mark);
    host.send(`load 1 ${stateFile}`);
    await host.waitLine((l) => l.ev === 'loaded' && l.inst === 1, 'loaded', mark);
    host.send('getparam 1 temperature');
    await host.waitLine((l) => l.ev === 'param' && l.inst === 1 && l.value === 1.25, 'restored native param', mark);
    host.send('gui 1');
    const second = await editorUrl(host, 1, mark);
    assert.notEqual(second.port, port);
    assert.notEqual(second.token, token);
    const ws1 = (await WsClient.open(second.port, second.token)).client!;
    sockets.push(ws1);
    const restored = await ws1.waitMessage((m) => m.type === T.STATE_SET, 'STATE_SET on the second instance');
    assert.equal(restored.json, '{"hello":"wörld","n":[1,2]}');
    assert.equal(ws1.messages[1][0], T.STATE_SET, 'right after HELLO');
    assert.equal((await WsClient.open(second.port, token)).status, 403, "the first instance's token does not open the second");

    // --- a page that vanishes mid-note leaves nothing hanging ---
    const hangBeat = lastBeat(ws) + 2.5;
    ws.send(midiOut(hangBeat, [0x95, 80, 90]));
    await host.waitLine(isOut(0, [0x95, 80, 90]), 'the note that will hang');
    ws.destroy();
    await host.waitLine(isOut(0, [0x85, 80, 0]), 'its note-off after the page vanished');

    // --- malformed input on a new connection: counted and ignored, then refused frames close it ---
    const ws2 = (await WsClient.open(port, token)).client!;
    sockets.push(ws2);
    await ws2.waitMessage((m) => m.type === T.HELLO, 'HELLO again');
    ws2.send(message(T.MIDI_OUT, Buffer.alloc(12), 2)); // version 2: malformed
    ws2.send(message(T.PARAM, Buffer.alloc(3))); // body too short: malformed
    ws2.send(message(0x42, Buffer.from('future'))); // unknown type
    ws2.sendRaw(wsFrame(0x1, Buffer.from('text frames are ignored')));
    ws2.sendRaw(wsFrame(0x9, Buffer.from('ping'))); // a WebSocket ping
    // a fragmented binary message still arrives whole
    const frag = param(fnv1a32('variation'), 0.5);
    mark = host.lines.length;
    ws2.sendRaw(Buffer.concat([wsFrame(0x2, frag.subarray(0, 5), { fin: false }), wsFrame(0x0, frag.subarray(5))]));
    await host.waitLine((l) => l.ev === 'param-out' && l.id === 'variation' && l.value === 0.5, 'param-out after malformed input', mark);
    ws2.sendRaw(wsFrame(0x2, midiOut(0, [0x90, 1, 1]), { mask: false })); // unmasked: protocol error
    assert.equal(await ws2.waitClosed(), 1002);
    await host.waitLine(
      (l) => l.ev === 'log' && l.inst === 0 && /page disconnected \(malformed 2, unknown 1, text 1\)/.test(String(l.msg)),
      'the disconnect log with the counts',
    );
    const ws3 = (await WsClient.open(port, token)).client!;
    sockets.push(ws3);
    await ws3.waitMessage((m) => m.type === T.HELLO, 'HELLO once more');
    const huge = Buffer.from([0x82, 0xff, 0, 0, 0, 0, 0, 0x20, 0, 0, 1, 2, 3, 4]); // a 2 MiB frame header
    ws3.sendRaw(huge);
    assert.equal(await ws3.waitClosed(), 1009, 'too big');
    const ws4 = (await WsClient.open(port, token)).client!;
    sockets.push(ws4);
    await ws4.waitMessage((m) => m.type === T.HELLO, 'HELLO for the last page');
    ws4.sendRaw(Buffer.from([0x82, 0x80 | 8, 1, 2, 3, 4, 0, 0])); // a truncated frame, then the page goes
    ws4.destroy();

    // --- a transport stop ends the bridge's notes ---
    const ws5 = await openWhenFree(port, token); // the server may not have seen the last page go yet
    sockets.push(ws5);
    await ws5.waitMessage((m) => m.type === T.TRANSPORT, 'TRANSPORT for the stop test');
    ws5.send(midiOut(lastBeat(ws5) + 2, [0x90, 90, 64]));
    await host.waitLine(isOut(0, [0x90, 90, 64]), 'a note before the stop');
    mark = host.lines.length;
    host.send('stop');
    await host.waitLine(isOut(0, [0x80, 90, 0]), 'the note-off on stop', mark);
    await ws5.waitMessage((m: Decoded) => m.type === T.TRANSPORT && (m.flags! & 1) === 0, 'TRANSPORT stopped');
    host.send('play');

    // --- a seek ends them too, and so does the page's panic ---
    let at = ws5.messages.length;
    await ws5.waitMessage((m) => m.type === T.TRANSPORT && (m.flags! & 1) === 1, 'TRANSPORT playing again', at);
    ws5.send(midiOut(lastBeat(ws5) + 2, [0x90, 91, 64]));
    await host.waitLine(isOut(0, [0x90, 91, 64]), 'a note before the seek');
    mark = host.lines.length;
    at = ws5.messages.length;
    host.send('seek 1000');
    await host.waitLine(isOut(0, [0x80, 91, 0]), 'the note-off on seek', mark);
    await ws5.waitMessage((m) => m.type === T.TRANSPORT && m.beats! >= 1000, 'TRANSPORT after the seek', at);
    const pendingBeat = lastBeat(ws5) + 5;
    ws5.send(midiOut(lastBeat(ws5) + 2, [0x90, 92, 64]));
    ws5.send(midiOut(pendingBeat, [0x90, 93, 64])); // still pending at the panic: forgotten
    await host.waitLine(isOut(0, [0x90, 92, 64]), 'a note before the panic');
    mark = host.lines.length;
    ws5.send(message(T.ALL_NOTES_OFF));
    await host.waitLine(isOut(0, [0x80, 92, 0]), 'the note-off on ALL_NOTES_OFF', mark);
    await ws5.waitMessage((m) => m.type === T.TRANSPORT && m.beats! > pendingBeat + 0.5, 'the transport past the pending note');

    // --- clap.webview: receive() takes the socket's messages, get_resource() serves the folder ---
    mark = host.lines.length;
    const viaWebview = lastBeat(ws5) + 2;
    host.send(`webview-send 0 ${midiOut(viaWebview, [0x93, 77, 50]).toString('hex')}`);
    await host.waitLine((l) => l.ev === 'webview' && l.ok === true, 'webview receive', mark);
    const wvOut = await host.waitLine(isOut(0, [0x93, 77, 50]), 'the note sent through the webview', mark);
    assert.ok(Math.abs(Number(wvOut.beat) - viaWebview) <= halfSample + 1e-9);
    host.send('webview-resource 0 /bridge/index.html');
    const res = await host.waitLine((l) => l.ev === 'resource', 'get_resource', mark);
    assert.deepEqual([res.ok, res.mime, res.bytes], [true, 'text/html; charset=utf-8', 45]);
    host.send('webview-resource 0 /../secret.txt');
    await host.waitLine((l) => l.ev === 'resource' && l.ok === false, 'get_resource outside the folder', mark);

    // --- teardown: destroy, quit, the process cost line ---
    mark = host.lines.length;
    host.send('destroy 1');
    await host.waitLine((l) => l.ev === 'destroyed' && l.inst === 1, 'destroyed', mark);
    host.send('quit');
    const cost = await host.waitLine((l) => l.ev === 'process-cost', 'process-cost', mark);
    assert.equal(cost.block_us, 2666.7);
    assert.ok(Number(cost.p50_us) > 0 && Number(cost.p99_us) >= Number(cost.p50_us));
    const code = await host.exited;
    const errors = host.lines.filter((l) => l.ev === 'error');
    assert.deepEqual(errors, [], 'the host reported no error (bit-exact audio, ordered events, checks)');
    assert.ok(!host.lines.some(isOut(0, [0x90, 93, 64])), 'the panic forgot the pending note');
    assert.equal(code, 0, `valgrind or the host failed:\n${host.stderr.join('')}`);
    assert.ok(existsSync(join(work, 'opened.txt')), 'gui.show ran DEEP_IMPROV_OPEN');
    assert.match(readFileSync(join(work, 'opened.txt'), 'utf8'), /^http:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{32}\/bridge\/index\.html$/);
  } finally {
    for (const s of sockets) s.destroy();
    host.kill();
  }
});
