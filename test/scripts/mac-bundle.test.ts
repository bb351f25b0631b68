/**
 * The macOS bundle layout that scripts/build-clap.mjs writes around the
 * plugin binary on macOS (the compile itself needs Apple's toolchain; the
 * layout is checked here with a stand-in binary).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: a plain ESM script without declarations
import { MAC_BUNDLE_ID, writeMacBundle } from '../../scripts/build-clap.mjs';

/** The plist's top-level string values by key. */
function plistStrings(xml: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of xml.matchAll(/<key>([^<]+)<\/key><string>([^<]*)<\/string>/g)) out[m[1]!] = m[2]!;
  return out;
}

test('a macOS plugin bundle holds the binary where its Info.plist says, and replaces an older bundle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deep-improv-bundle-'));
  try {
    const binary = join(dir, 'DeepImprov');
    writeFileSync(binary, 'stand-in binary');
    const bundle = join(dir, 'DeepImprov.clap');
    writeMacBundle(bundle, binary, '9.8.7');
    writeFileSync(join(bundle, 'stale.txt'), 'from an older build');
    writeMacBundle(bundle, binary, '9.8.7');
    assert.equal(existsSync(join(bundle, 'stale.txt')), false);
    const plist = readFileSync(join(bundle, 'Contents/Info.plist'), 'utf8');
    assert.match(plist, /^<\?xml version="1.0" encoding="UTF-8"\?>/);
    const keys = plistStrings(plist);
    assert.equal(keys.CFBundlePackageType, 'BNDL');
    assert.equal(keys.CFBundleIdentifier, MAC_BUNDLE_ID);
    assert.equal(keys.CFBundleShortVersionString, '9.8.7');
    assert.equal(readFileSync(join(bundle, 'Contents/MacOS', keys.CFBundleExecutable!), 'utf8'), 'stand-in binary');
    assert.equal(readFileSync(join(bundle, 'Contents/PkgInfo'), 'utf8'), 'BNDL????');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
