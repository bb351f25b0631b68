#!/usr/bin/env node
/**
 * Serves the demo host (`npm start`): the page at `/`, its scripts at
 * `/build/`, and the built plugin at `/plugin/` (dist/) with
 * `Access-Control-Allow-Origin: *`, so other WAM hosts can load
 * `/plugin/index.js` by URL. Port from `PORT` (default 8080).
 */
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const port = Number(process.env.PORT ?? 8080);
const mounts = [
  ['/plugin/', join(root, 'dist')],
  ['/build/', join(root, 'demo', 'build')],
  ['/', join(root, 'demo', 'public')],
];
const types = {
  '.js': 'text/javascript; charset=utf-8', '.html': 'text/html; charset=utf-8', '.json': 'application/json',
  '.wasm': 'application/wasm', '.bin': 'application/octet-stream', '.css': 'text/css', '.map': 'application/json',
  '.wav': 'audio/wav', '.mid': 'audio/midi', '.svg': 'image/svg+xml',
};

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers = { 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-cache' };
  const [prefix, dir] = mounts.find(([p]) => url.pathname.startsWith(p));
  const file = normalize(join(dir, decodeURIComponent(url.pathname.slice(prefix.length))));
  if (!file.startsWith(dir)) { res.writeHead(403, headers).end('forbidden'); return; }
  try {
    const path = (await stat(file)).isDirectory() ? join(file, 'index.html') : file;
    const body = await readFile(path);
    res.writeHead(200, { ...headers, 'Content-Type': types[extname(path)] ?? 'application/octet-stream' }).end(body);
  } catch {
    res.writeHead(404, headers).end('not found');
  }
});

server.on('error', (error) => {
  console.error(`deep-improv demo: cannot listen on port ${port}: ${error.message} (set PORT to another port)`);
  process.exit(1);
});
server.listen(port, () => {
  console.log(`Deep Improv demo host: http://localhost:${port}/`);
  console.log(`Plugin for other WAM hosts: http://localhost:${port}/plugin/index.js`);
});
