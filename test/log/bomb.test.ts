// Decompression bombs and oversized input: the page envelope stops inflating at its stated length, and import
// refuses files over its documented maximum before reading them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDeflate } from 'node:zlib';
import { openPage } from '../../log/codec/page.ts';
import { parseBundle } from '../../log/export/bundle.ts';
import { MAX_IMPORT_BYTES, MAX_PAGE_BODY_BYTES } from '../../log/limits.ts';

/** zlib-deflated zeros, made in 1 MiB steps so the test itself never holds the inflated size. */
function deflatedZeros(bytes: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const z = createDeflate({ level: 9 });
    const out: Buffer[] = [];
    z.on('data', (c: Buffer) => out.push(c));
    z.on('end', () => resolve(new Uint8Array(Buffer.concat(out))));
    z.on('error', reject);
    const step = Buffer.alloc(1 << 20);
    let left = bytes;
    const pump = (): void => {
      while (left > 0) {
        const n = Math.min(left, step.length);
        left -= n;
        if (!z.write(n === step.length ? step : step.subarray(0, n))) {
          z.once('drain', pump);
          return;
        }
      }
      z.end();
    };
    pump();
  });
}

/** A page envelope (events, deflated) around `payload`, stating `statedLength`. */
function envelope(payload: Uint8Array, statedLength: number): Uint8Array {
  const out = new Uint8Array(8 + payload.length);
  out.set([0x45, 1, 1, 0]);
  new DataView(out.buffer).setUint32(4, statedLength, true);
  out.set(payload, 8);
  return out;
}

test('a page that inflates past its stated length is refused after about that length, not after inflating it all', async () => {
  const bomb = envelope(await deflatedZeros(512 * 1024 * 1024), 1000);
  assert.ok(bomb.length < 1024 * 1024, `the bomb is small: ${bomb.length} bytes`);
  // Sample the memory held in ArrayBuffers while the page is opened.
  const base = process.memoryUsage().arrayBuffers;
  let peak = base;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().arrayBuffers);
  }, 1);
  try {
    await assert.rejects(openPage(bomb, 'page 7'), /page 7: the body inflates to more than the 1000 bytes the envelope states/);
  } finally {
    clearInterval(sampler);
  }
  peak = Math.max(peak, process.memoryUsage().arrayBuffers);
  assert.ok(peak - base < 64 * 1024 * 1024, `opening the bomb held ${((peak - base) / 2 ** 20).toFixed(0)} MiB at its peak`);
});

test('a page stating a body over the page maximum is refused without inflating', async () => {
  const page = envelope(await deflatedZeros(1024), MAX_PAGE_BODY_BYTES + 1);
  await assert.rejects(openPage(page, 'page 8'), new RegExp(`page 8: the envelope states a body of ${MAX_PAGE_BODY_BYTES + 1} bytes, over the ${MAX_PAGE_BODY_BYTES}-byte page maximum`));
});

test('an honest page whose body is shorter than stated is still refused', async () => {
  const page = envelope(await deflatedZeros(500), 1000);
  await assert.rejects(openPage(page, 'page 9'), /page 9: body is 500 bytes, the envelope says 1000/);
});

test('an import over the documented maximum size is refused before it is read', async () => {
  // Zero-filled and never written: the pages are not touched, so this costs no real memory.
  const huge = new Uint8Array(MAX_IMPORT_BYTES + 1);
  await assert.rejects(parseBundle(huge), /the file is 256\.0 MiB \(268435457 bytes\); the log imports bundles of at most 256 MiB/);
});
