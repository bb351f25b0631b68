// Builds the self-contained plugin folder dist/ (see DESIGN.md):
//   dist/index.js      the WAM module (default export) + lazily loaded GUI chunk
//   dist/processor.js  the AudioWorklet processor, one module with no imports
//   dist/worker.js     the model worker, one module with no imports
//   dist/descriptor.json, model weights and wasm binaries beside them;
//   dist/bridge/       the CLAP bridge's page (index.html, bridge.js, capture-processor.js)
// and the demo host into demo/build/.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import resolve from '@rollup/plugin-node-resolve';
import commonjs from '@rollup/plugin-commonjs';
import json from '@rollup/plugin-json';
import esbuild from 'rollup-plugin-esbuild';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const production = process.env.NODE_ENV !== 'development';

const plugins = () => [
  resolve({ browser: true, extensions: ['.ts', '.js', '.mjs', '.json'] }),
  commonjs(),
  json({ preferConst: true, compact: true }),
  esbuild({ target: 'es2022', minify: production, sourceMap: true, tsconfig: 'tsconfig.base.json' }),
];

/** Copies the files that live beside the bundles. */
const assets = () => ({
  name: 'deep-improv-assets',
  writeBundle() {
    const descriptor = JSON.parse(readFileSync('plugin/descriptor.json', 'utf8'));
    writeFileSync('dist/descriptor.json', JSON.stringify({ ...descriptor, version: pkg.version }, null, 2));
    if (existsSync('models/weights')) cpSync('models/weights', 'dist/weights', { recursive: true });
  },
});

/** Copies the bridge page's html beside its script. */
const bridgeAssets = () => ({
  name: 'deep-improv-bridge-assets',
  writeBundle() {
    mkdirSync('dist/bridge', { recursive: true });
    cpSync('bridge/web/index.html', 'dist/bridge/index.html');
  },
});

const onwarn = (warning, warn) => {
  // tfjs and lit use `this` at module top level and circular imports harmlessly.
  if (warning.code === 'THIS_IS_UNDEFINED' || warning.code === 'CIRCULAR_DEPENDENCY') return;
  warn(warning);
};

// Start from an empty dist/: stale chunks from earlier builds must not ship.
rmSync('dist', { recursive: true, force: true });
rmSync('demo/build', { recursive: true, force: true });
mkdirSync('dist', { recursive: true });

export default [
  {
    input: 'dsp/processor.ts',
    output: { file: 'dist/processor.js', format: 'es', sourcemap: true, inlineDynamicImports: true },
    plugins: plugins(),
    onwarn,
  },
  {
    input: 'models/worker.ts',
    output: { file: 'dist/worker.js', format: 'es', sourcemap: true, inlineDynamicImports: true },
    plugins: plugins(),
    onwarn,
  },
  {
    input: { index: 'plugin/index.ts' },
    // Chunks sit beside index.js: code that finds assets with new URL('./x', import.meta.url)
    // resolves the same whichever chunk it lands in.
    output: { dir: 'dist', format: 'es', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: 'chunk-[name]-[hash].js' },
    plugins: [...plugins(), assets()],
    onwarn,
  },
  // The CLAP bridge's page (dist/bridge/): served by the native plugin under
  // /<token>/bridge/, it loads ../index.js; every URL is relative to import.meta.url.
  {
    input: 'bridge/web/capture-processor.ts',
    output: { file: 'dist/bridge/capture-processor.js', format: 'es', sourcemap: true, inlineDynamicImports: true },
    plugins: plugins(),
    onwarn,
  },
  {
    input: 'bridge/web/main.ts',
    output: { file: 'dist/bridge/bridge.js', format: 'es', sourcemap: true, inlineDynamicImports: true },
    plugins: [...plugins(), bridgeAssets()],
    onwarn,
  },
  {
    input: 'demo/synth/processor.ts',
    output: { file: 'demo/build/synth/processor.js', format: 'es', sourcemap: true, inlineDynamicImports: true },
    plugins: plugins(),
    onwarn,
  },
  {
    input: { main: 'demo/main.ts', 'synth/index': 'demo/synth/index.ts' },
    output: { dir: 'demo/build', format: 'es', sourcemap: true, entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
    plugins: plugins(),
    onwarn,
  },
];
