/**
 * Test harness for the native CLAP bridge: drives the C test host
 * (dist/clap-test/host) over its stdin/stdout line protocol, speaks raw
 * HTTP and RFC 6455 WebSocket to the plugin's editor server (so tests can
 * send malformed requests and frames no real client would), and encodes or
 * decodes the few bridge protocol messages the tests need.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';

/** One JSON line the host printed. */
export type HostLine = Record<string, unknown> & { ev: string };

/** Default time a wait gives up after (ms); generous for valgrind on a loaded machine. */
export const WAIT_MS = 30_000;

/** Resolves when `check` returns a value, polling on `subscribe` notifications; rejects after `ms`. */
function waitOn<T>(check: () => T | undefined, subscribe: (wake: () => void) => () => void, what: string, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const first = check();
    if (first !== undefined) {
      resolve(first);
      return;
    }
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
    }, ms);
    const unsubscribe = subscribe(() => {
      const v = check();
      if (v === undefined) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(v);
    });
  });
}

/** The test host process. */
export class HostProcess {
  readonly lines: HostLine[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly listeners = new Set<() => void>();

  /** Starts `command args` (the host, maybe under valgrind) with `env`. */
  constructor(command: string, args: string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    createInterface({ input: this.child.stdout }).on('line', (text) => {
      try {
        this.lines.push(JSON.parse(text) as HostLine);
      } catch {
        this.lines.push({ ev: 'unparsed', text });
      }
      for (const l of [...this.listeners]) l();
    });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk: string) => this.stderr.push(chunk));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => {
      resolve(code);
      for (const l of [...this.listeners]) l();
    }));
  }

  /** Sends one command line. */
  send(command: string): void {
    this.child.stdin.write(`${command}\n`);
  }

  /** The first line from index `from` on that satisfies `pred`. */
  waitLine(pred: (l: HostLine) => boolean, what: string, from = 0, ms = WAIT_MS): Promise<HostLine> {
    return waitOn(
      () => this.lines.slice(from).find(pred),
      (wake) => {
        this.listeners.add(wake);
        return () => this.listeners.delete(wake);
      },
      what,
      ms,
    );
  }

  /** Kills the process if it is still running. */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

/** A raw HTTP exchange: sends `request` bytes, reads until the server closes. */
export function rawHttp(port: number, request: string | Buffer): Promise<{ status: number; head: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    sock.on('data', (d) => chunks.push(d));
    sock.on('error', reject);
    sock.on('close', () => {
      const all = Buffer.concat(chunks);
      const end = all.indexOf('\r\n\r\n');
      const head = all.subarray(0, end < 0 ? all.length : end).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({ status, head, body: end < 0 ? Buffer.alloc(0) : all.subarray(end + 4) });
    });
    sock.write(request);
  });
}

/** A GET request head for the plugin's server on `port`. */
export function getRequest(path: string, port: number, extra: Record<string, string> = {}): string {
  const headers = { Host: `127.0.0.1:${port}`, ...extra };
  return `GET ${path} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
}

/** A client frame (masked unless told otherwise). */
export function wsFrame(opcode: number, payload: Buffer, opts: { fin?: boolean; mask?: boolean; rsv?: number } = {}): Buffer {
  const fin = opts.fin ?? true;
  const masked = opts.mask ?? true;
  const len = payload.length;
  const head: number[] = [(fin ? 0x80 : 0) | ((opts.rsv ?? 0) << 4) | opcode];
  const m = masked ? 0x80 : 0;
  if (len < 126) head.push(m | len);
  else if (len <= 0xffff) head.push(m | 126, len >> 8, len & 0xff);
  else {
    head.push(m | 127);
    const big = Buffer.alloc(8);
    big.writeBigUInt64BE(BigInt(len));
    head.push(...big);
  }
  if (!masked) return Buffer.concat([Buffer.from(head), payload]);
  const key = randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] ^= key[i & 3];
  return Buffer.concat([Buffer.from(head), key, body]);
}

/** A WebSocket client that records every server frame. */
export class WsClient {
  readonly messages: Buffer[] = [];
  texts = 0;
  closeCode: number | null = null;
  ended = false;
  private buf = Buffer.alloc(0);
  private readonly listeners = new Set<() => void>();

  private constructor(private readonly sock: Socket) {
    sock.on('data', (d) => this.onData(d));
    const end = (): void => {
      this.ended = true;
      this.wake();
    };
    sock.on('close', end);
    sock.on('error', end);
  }

  /**
   * Opens `ws://127.0.0.1:port/<token>/ws`. Resolves with the HTTP status and,
   * on 101, a client whose accept key has been checked.
   */
  static open(port: number, token: string, origin = `http://127.0.0.1:${port}`): Promise<{ status: number; client?: WsClient }> {
    return new Promise((resolve, reject) => {
      const sock = connect(port, '127.0.0.1');
      const key = randomBytes(16).toString('base64');
      let head = Buffer.alloc(0);
      const onData = (d: Buffer): void => {
        head = Buffer.concat([head, d]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        sock.off('data', onData);
        const text = head.subarray(0, end).toString('latin1');
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
        if (status !== 101) {
          sock.destroy();
          resolve({ status });
          return;
        }
        const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
        if (!text.includes(`Sec-WebSocket-Accept: ${accept}`)) {
          sock.destroy();
          reject(new Error(`bad Sec-WebSocket-Accept in ${text}`));
          return;
        }
        const client = new WsClient(sock);
        if (head.length > end + 4) client.onData(head.subarray(end + 4));
        resolve({ status, client });
      };
      sock.on('data', onData);
      sock.on('error', reject);
      sock.write(
        `GET /${token}/ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\nOrigin: ${origin}\r\n\r\n`,
      );
    });
  }

  /** Sends one protocol message as a binary frame. */
  send(message: Buffer): void {
    this.sock.write(wsFrame(0x2, message));
  }

  /** Sends raw bytes (hand-made frames). */
  sendRaw(bytes: Buffer): void {
    this.sock.write(bytes);
  }

  /** Closes the TCP connection without a close frame (a crashed page). */
  destroy(): void {
    this.sock.destroy();
  }

  /** The first message from index `from` on that decodes and satisfies `pred`. */
  waitMessage(pred: (m: Decoded) => boolean, what: string, from = 0, ms = WAIT_MS): Promise<Decoded> {
    return waitOn(
      () => this.messages.slice(from).map(decode).find(pred),
      (wake) => this.subscribe(wake),
      what,
      ms,
    );
  }

  /** Resolves with the close code once the server closed the connection. */
  waitClosed(ms = WAIT_MS): Promise<number | null> {
    return waitOn(() => (this.ended ? this.closeCode ?? -1 : undefined), (wake) => this.subscribe(wake), 'the close', ms);
  }

  private subscribe(wake: () => void): () => void {
    this.listeners.add(wake);
    return () => this.listeners.delete(wake);
  }

  private wake(): void {
    for (const l of [...this.listeners]) l();
  }

  private onData(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      if (this.buf.length < 2) break;
      const op = this.buf[0] & 0x0f;
      let len = this.buf[1] & 0x7f;
      let off = 2;
      if (len === 126) {
        if (this.buf.length < 4) break;
        len = this.buf.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (this.buf.length < 10) break;
        len = Number(this.buf.readBigUInt64BE(2));
        off = 10;
      }
      if (this.buf.length < off + len) break;
      const payload = this.buf.subarray(off, off + len);
      this.buf = this.buf.subarray(off + len);
      if (op === 0x2) this.messages.push(Buffer.from(payload));
      else if (op === 0x1) this.texts++;
      else if (op === 0x8) this.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
    }
    this.wake();
  }
}

/* ---- the bridge protocol (only what the tests need) ---------------------------------------------- */

/** Protocol message types. */
export const T = {
  HELLO: 0x01, TRANSPORT: 0x02, MIDI_IN: 0x03, PARAM: 0x04, STATE_GET: 0x05, STATE: 0x06, STATE_SET: 0x07,
  PING: 0x08, PONG: 0x09, STATS: 0x0a, MIDI_OUT: 0x10, ALL_NOTES_OFF: 0x11,
} as const;

/** A decoded native -> page message (fields by type). */
export interface Decoded {
  type: number;
  sampleRate?: number; maxFrames?: number; host?: string;
  sampleTime?: bigint; beats?: number; tempo?: number; flags?: number; bytes?: number[];
  paramId?: number; value?: number; json?: string; pingId?: number; timeNs?: bigint;
  exact?: number; late?: number; dropped?: number; overflow?: number; rttMs?: number;
}

/** Builds one message: header + body. */
export function message(type: number, body: Buffer = Buffer.alloc(0), version = 1): Buffer {
  const head = Buffer.alloc(8);
  head[0] = type;
  head[1] = version;
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}

/** MIDI_OUT at `beats` (song position, quarter notes). */
export function midiOut(beats: number, bytes: number[]): Buffer {
  const b = Buffer.alloc(12);
  b.writeDoubleLE(beats, 0);
  b[8] = bytes.length;
  bytes.forEach((v, i) => (b[9 + i] = v));
  return message(T.MIDI_OUT, b);
}

/** PARAM (page -> native). */
export function param(id: number, value: number): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt32LE(id, 0);
  b.writeDoubleLE(value, 4);
  return message(T.PARAM, b);
}

/** STATE pushed by the page. */
export function state(json: string, requestId = 0): Buffer {
  const id = Buffer.alloc(4);
  id.writeUInt32LE(requestId);
  return message(T.STATE, Buffer.concat([id, Buffer.from(json, 'utf8')]));
}

/** PONG echoing a PING. */
export function pong(pingId: number, timeNs: bigint): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt32LE(pingId, 0);
  b.writeBigUInt64LE(timeNs, 4);
  return message(T.PONG, b);
}

/** Decodes a native -> page message (throws on a malformed one: the native side must never send one). */
export function decode(buf: Buffer): Decoded {
  if (buf.length < 8 || buf[1] !== 1 || buf.readUInt32LE(4) !== buf.length - 8) throw new Error(`malformed message ${buf.toString('hex')}`);
  const b = buf.subarray(8);
  const type = buf[0];
  switch (type) {
    case T.HELLO:
      return { type, sampleRate: b.readUInt32LE(0), maxFrames: b.readUInt32LE(4), host: b.subarray(12).toString('utf8') };
    case T.TRANSPORT:
      return { type, sampleTime: b.readBigUInt64LE(0), beats: b.readDoubleLE(8), tempo: b.readDoubleLE(24), flags: b[50] };
    case T.MIDI_IN:
      return { type, sampleTime: b.readBigUInt64LE(0), beats: b.readDoubleLE(8), bytes: [...b.subarray(17, 17 + b[16])] };
    case T.PARAM:
      return { type, paramId: b.readUInt32LE(0), value: b.readDoubleLE(4) };
    case T.STATE_SET:
      return { type, json: b.toString('utf8') };
    case T.PING:
      return { type, pingId: b.readUInt32LE(0), timeNs: b.readBigUInt64LE(4) };
    case T.STATS:
      return { type, exact: b.readUInt32LE(0), late: b.readUInt32LE(4), dropped: b.readUInt32LE(8), overflow: b.readUInt32LE(12), rttMs: b.readDoubleLE(16) };
    default:
      return { type };
  }
}

/** FNV-1a 32 of a WAM parameter id: its CLAP parameter id. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
