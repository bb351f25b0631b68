/**
 * The bridge page's entry: served by the native plugin at
 * `http://127.0.0.1:<port>/<token>/bridge/index.html`, it connects to
 * `ws://<same host>/<token>/ws` and hosts the WAM found at `../index.js`
 * (every URL is derived from this module's own URL, so the token travels
 * along). `?delay=<ms>` holds every outgoing message that long (tests and
 * the benchmark simulate a slow socket with it).
 */
import { BridgeHost } from './bridge-host.ts';
import { formatStatus } from './status-line.ts';

/** The socket URL for a page URL: same host, the token folder's `ws`. */
export function socketUrlFor(moduleUrl: string): string {
  const url = new URL('../ws', moduleUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = '';
  url.hash = '';
  return url.href;
}

function start(): void {
  const params = new URLSearchParams(location.search);
  const delay = Number(params.get('delay') ?? 0);
  const statusLine = document.getElementById('status');
  const startButton = document.getElementById('start-audio') as HTMLButtonElement | null;
  const host = new BridgeHost({
    socketUrl: socketUrlFor(import.meta.url),
    pluginUrl: new URL('../index.js', import.meta.url).href,
    captureUrl: new URL('./capture-processor.js', import.meta.url).href,
    sendDelayMs: Number.isFinite(delay) && delay > 0 ? delay : 0,
    guiContainer: document.getElementById('plugin') ?? undefined,
    onStatus: (status) => {
      if (statusLine) statusLine.textContent = formatStatus(status);
      if (startButton) startButton.hidden = status.audio !== 'suspended';
      document.title = status.connection === 'open' ? `Deep Improv — ${status.host || 'DAW'}` : 'Deep Improv — disconnected';
    },
  });
  startButton?.addEventListener('click', () => void host.resumeAudio());
  // The status line's figures change with every STATS; refresh it at 2 Hz too.
  setInterval(() => {
    if (statusLine) statusLine.textContent = formatStatus(host.status);
  }, 500);
  Object.assign(window, { deepImprovBridge: host });
  host.start();
}

start();
