/**
 * Finds and launches the system Chromium for browser tests through
 * playwright-core. Never downloads a browser: set `CHROME_PATH` or install
 * Debian's `chromium`. Throws a clear error when none is found, so a missing
 * browser fails the run instead of skipping it.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/**
 * The Chromium executable: `CHROME_PATH` if set, else the first system path found.
 * @throws Error naming what was looked for when no browser exists.
 */
export function findChromium(): string {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROME_PATH is set to ${fromEnv}, but no file is there`);
    return fromEnv;
  }
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) {
    throw new Error(`No Chromium found: set CHROME_PATH or install one (apt-get install chromium). Looked in ${CANDIDATES.join(', ')}`);
  }
  return found;
}

/** Launches headless Chromium with the flags this closed-network machine needs and audio autoplay allowed. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
    ],
  });
}
