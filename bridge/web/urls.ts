/**
 * The bridge page's URLs, all derived from the page script's own URL
 * (`http://127.0.0.1:<port>/<token>/bridge/bridge.js`), so the instance's
 * token travels along and nothing depends on where the folder is served.
 */

/** The bridge socket: `ws://<same host>/<token>/ws` (wss: under https:). */
export function socketUrlFor(moduleUrl: string): string {
  const url = new URL('../ws', moduleUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = '';
  url.hash = '';
  return url.href;
}

/** The WAM module beside the bridge folder (`../index.js`). */
export function pluginUrlFor(moduleUrl: string): string {
  return new URL('../index.js', moduleUrl).href;
}

/** The MIDI capture processor beside the page script. */
export function captureUrlFor(moduleUrl: string): string {
  return new URL('./capture-processor.js', moduleUrl).href;
}

/** The `?delay=<ms>` option of a page URL's query: a finite number ≥ 0, else 0. */
export function sendDelayFrom(search: string): number {
  const value = Number(new URLSearchParams(search).get('delay') ?? 0);
  return Number.isFinite(value) && value > 0 ? value : 0;
}
