/**
 * A small static file server for browser tests, on loopback only. Each server
 * is its own origin (its own port), so tests can load the plugin
 * cross-origin, and choose the headers (CORS, COOP/COEP, CSP) per server.
 */
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.css': 'text/css',
  '.wav': 'audio/wav',
  '.mid': 'audio/midi',
  '.map': 'application/json',
};

/** Options for {@link startStaticServer}. */
export interface StaticServerOptions {
  /** URL path prefix → folder on disk, e.g. `{ '/plugin/': 'dist' }`. Longest prefix wins. */
  mounts: Record<string, string>;
  /** Extra headers on every response (e.g. COOP/COEP, CSP). */
  headers?: Record<string, string>;
  /** In-memory pages: URL path → body (HTML or JS). Served before the mounts. */
  pages?: Record<string, string>;
  /** Send `Access-Control-Allow-Origin: *`. Default true. */
  cors?: boolean;
  /** Port; default 0 (any free port). */
  port?: number;
}

/** A running server. */
export interface StaticServer {
  /** Origin, e.g. `http://127.0.0.1:41234`. */
  readonly origin: string;
  /** Adds or replaces an in-memory page. */
  setPage(path: string, body: string): void;
  close(): Promise<void>;
}

/** Starts a static server on 127.0.0.1. */
export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const pages = new Map(Object.entries(options.pages ?? {}));
  const mounts = Object.entries(options.mounts).sort((a, b) => b[0].length - a[0].length);
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.cors !== false) headers['Access-Control-Allow-Origin'] = '*';
    headers['Cache-Control'] = 'no-store';
    const page = pages.get(url.pathname);
    if (page !== undefined) {
      const type = url.pathname.endsWith('.js') ? TYPES['.js'] : TYPES['.html'];
      res.writeHead(200, { ...headers, 'Content-Type': type });
      res.end(page);
      return;
    }
    const mount = mounts.find(([prefix]) => url.pathname.startsWith(prefix));
    if (!mount) {
      res.writeHead(404, headers);
      res.end('not found');
      return;
    }
    const base = resolve(mount[1]);
    const file = normalize(join(base, decodeURIComponent(url.pathname.slice(mount[0].length))));
    if (!file.startsWith(base)) {
      res.writeHead(403, headers);
      res.end('forbidden');
      return;
    }
    try {
      const info = await stat(file);
      const path = info.isDirectory() ? join(file, 'index.html') : file;
      const body = await readFile(path);
      res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404, headers);
      res.end('not found');
    }
  });
  await new Promise<void>((ok) => server.listen(options.port ?? 0, '127.0.0.1', ok));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('server has no port');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    setPage: (path, body) => pages.set(path, body),
    close: () => new Promise((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}
