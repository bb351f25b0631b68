/**
 * Bundles a TypeScript test entry for the browser with esbuild, in memory,
 * so browser tests can run project modules (real IndexedDB, real Workers)
 * without a separate build step. Serve the result with a static server page.
 */
import { build } from 'esbuild';

/** Bundles `entry` (a path relative to the repo root or absolute) to one ESM string. */
export async function bundleForBrowser(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    sourcemap: 'inline',
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}
