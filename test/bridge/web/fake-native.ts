/**
 * A scripted stand-in for the native plugin's editor server, for page tests:
 * serves dist/ under /<token>/ on 127.0.0.1 and upgrades /<token>/ws to a
 * minimal RFC 6455 WebSocket (single-frame messages, which is all the page
 * sends), so a test can play the native side message by message, send what a
 * real plugin never would, and drop the connection.
 */
import { createServer, type Server } from 'node:http';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { decodeBridgeMessage, encodeBridgeMessage, type BridgeMessage } from '../../../protocol/bridge.ts';

const DIST = fileURLToPath(new URL('../../../dist/', import.meta.url));
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm', '.bin': 'application/octet-stream', '.map': 'application/json' };
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** One connected page. */
export class FakeConnection {
  readonly received: BridgeMessage[] = [];
  private readonly socket: Duplex;
  private buffer = Buffer.alloc(0);
  private readonly waiters = new Set<() => void>();
  closed = false;

  constructor(socket: Duplex) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  /** Sends one protocol message (or raw bytes, or a text frame). */
  send(message: BridgeMessage | Uint8Array | string): void {
    const text = typeof message === 'string';
    const payload = text ? Buffer.from(message) : Buffer.from(message instanceof Uint8Array ? message : encodeBridgeMessage(message));
    const head = payload.length < 126 ? Buffer.from([text ? 0x81 : 0x82, payload.length]) : Buffer.from([text ? 0x81 : 0x82, 126, payload.length >> 8, payload.length & 0xff]);
    this.socket.write(Buffer.concat([head, payload]));
  }

  /** Drops the TCP connection without a close handshake. */
  drop(): void {
    this.socket.destroy();
  }

  /**
   * Resolves with the first received message (from index `from`) matching `match`.
   * @throws Error after `timeoutMs`.
   */
  waitFor<T extends BridgeMessage>(match: (m: BridgeMessage) => m is T, timeoutMs = 10_000, from = 0): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = this.received.slice(from).find(match);
        if (found) {
          this.waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no matching message within ${timeoutMs} ms; got ${this.received.map((m) => m.type).join(',')}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.buffer.length < 2) return;
      const opcode = this.buffer[0] & 0x0f;
      let length = this.buffer[1] & 0x7f;
      let at = 2;
      if (length === 126) {
        if (this.buffer.length < 4) return;
        length = this.buffer.readUInt16BE(2);
        at = 4;
      } else if (length === 127) {
        if (this.buffer.length < 10) return;
        length = Number(this.buffer.readBigUInt64BE(2));
        at = 10;
      }
      if (this.buffer.length < at + 4 + length) return;
      const mask = this.buffer.subarray(at, at + 4);
      const payload = Buffer.from(this.buffer.subarray(at + 4, at + 4 + length));
      for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3];
      this.buffer = this.buffer.subarray(at + 4 + length);
      if (opcode === 0x8) {
        this.socket.end();
        return;
      }
      if (opcode !== 0x2) continue;
      const r = decodeBridgeMessage(new Uint8Array(payload));
      if (r.ok) this.received.push(r.message);
      this.wake();
    }
  }
}

/** The fake server. */
export class FakeNative {
  readonly token = '00112233445566778899aabbccddeeff';
  readonly connections: FakeConnection[] = [];
  private readonly server: Server;
  private readonly waiters = new Set<() => void>();
  port = 0;

  constructor() {
    this.server = createServer(async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const prefix = `/${this.token}/`;
      if (!url.pathname.startsWith(prefix)) {
        res.writeHead(403).end();
        return;
      }
      const path = normalize(url.pathname.slice(prefix.length));
      if (path.startsWith('..')) {
        res.writeHead(403).end();
        return;
      }
      try {
        const body = await readFile(join(DIST, path));
        res.writeHead(200, { 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body);
      } catch {
        res.writeHead(404).end();
      }
    });
    this.server.on('upgrade', (req, socket) => {
      if (req.url !== `/${this.token}/ws`) {
        socket.destroy();
        return;
      }
      const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}${GUID}`).digest('base64');
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
      this.connections.push(new FakeConnection(socket));
      for (const w of [...this.waiters]) w();
    });
  }

  /** Starts listening on a free loopback port. */
  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  /** The editor URL. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/${this.token}/bridge/index.html`;
  }

  /** Resolves with connection number `index` (0 = the first) once it is open. */
  connection(index: number, timeoutMs = 20_000): Promise<FakeConnection> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.connections.length > index) {
          this.waiters.delete(check);
          clearTimeout(timer);
          resolve(this.connections[index]);
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no connection ${index} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  /** Stops the server and drops every connection. */
  async close(): Promise<void> {
    for (const c of this.connections) c.drop();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
