/**
 * The bridge page's entry: served by the native plugin at
 * `http://127.0.0.1:<port>/<token>/bridge/index.html`, it connects to
 * `ws://<same host>/<token>/ws` and hosts the WAM found at `../index.js`
 * (every URL is derived from this module's own URL, so the token travels
 * along). `?delay=<ms>` holds every outgoing message that long (tests and
 * the benchmark simulate a slow socket with it).
 */
import { BridgeHost, type BridgeStatus } from './bridge-host.ts';
import { formatStatus } from './status-line.ts';
import { captureUrlFor, pluginUrlFor, sendDelayFrom, socketUrlFor } from './urls.ts';

function start(): void {
  const statusLine = document.getElementById('status');
  const startButton = document.getElementById('start-audio') as HTMLButtonElement | null;
  const host = new BridgeHost({
    socketUrl: socketUrlFor(import.meta.url),
    pluginUrl: pluginUrlFor(import.meta.url),
    captureUrl: captureUrlFor(import.meta.url),
    sendDelayMs: sendDelayFrom(location.search),
    guiContainer: document.getElementById('plugin') ?? undefined,
    onStatus: (status) => render(status),
  });
  function render(status: BridgeStatus): void {
    if (statusLine) statusLine.textContent = formatStatus(status);
    if (startButton) startButton.hidden = status.audio !== 'suspended';
    document.title = status.connection === 'open' ? `Deep Improv — ${status.host || 'DAW'}` : 'Deep Improv — disconnected';
  }
  startButton?.addEventListener('click', () => void host.resumeAudio());
  // The figures change with every STATS and the audio state on its own: refresh at 2 Hz too.
  setInterval(() => render(host.status), 500);
  Object.assign(window, { deepImprovBridge: host });
  host.start();
}

start();
