import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { denseTransposed } from '../../../models/fast/kernels.ts';
import { createWasmArena } from '../../../models/fast/wasm-arena.ts';
import { seededUniform } from '../../../models/runtime/random.ts';
// @ts-expect-error a plain .mjs script without types
import { compileMatvec, renderModule } from '../../../scripts/build-wasm.mjs';

test('the committed kernel bytes are what matvec.wat compiles to', async () => {
  const committed = readFileSync(new URL('../../../models/fast/matvec-wasm.ts', import.meta.url), 'utf8');
  assert.equal(committed, renderModule(await compileMatvec()), 'models/fast/matvec-wasm.ts is stale: run npm run build:wasm');
});

test('the SIMD kernel equals the JavaScript kernel, with and without bias, for sizes that are not multiples of 8', () => {
  const random = seededUniform(11);
  for (const [inSize, outSize] of [[128, 384], [27, 5], [3, 1], [130, 91], [8, 8]] as const) {
    const arena = createWasmArena([inSize * outSize, inSize, outSize, outSize]);
    assert.ok(arena, 'WebAssembly SIMD is available in Node');
    const w = new Float32Array(inSize * outSize).map(() => random() * 2 - 1);
    const x = new Float32Array(inSize).map(() => random() * 2 - 1);
    const b = new Float32Array(outSize).map(() => random() * 2 - 1);
    const wA = arena.copy(w);
    const xA = arena.copy(x);
    const bA = arena.copy(b);
    const outA = arena.alloc(outSize);
    for (const bias of [true, false]) {
      const expected = new Float32Array(outSize);
      denseTransposed(x, w, bias ? b : undefined, expected, inSize, outSize);
      arena.denseTransposed(xA, wA, bias ? bA : undefined, outA, inSize, outSize);
      for (let j = 0; j < outSize; j++) {
        assert.ok(Math.abs(outA[j]! - expected[j]!) <= 1e-5 * (1 + Math.abs(expected[j]!)), `[${inSize}×${outSize}] out[${j}] = ${outA[j]}, expected ${expected[j]}`);
      }
    }
  }
});

test('the arena rejects views from elsewhere and refuses to overflow', () => {
  const arena = createWasmArena([64]);
  assert.ok(arena);
  const inside = arena.alloc(8);
  assert.throws(() => arena.denseTransposed(new Float32Array(8), inside, undefined, inside, 8, 1), /allocated in this arena/);
  assert.throws(() => arena.alloc(1e6), /do not fit/);
});
