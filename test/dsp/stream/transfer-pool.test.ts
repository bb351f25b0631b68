import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TransferPool } from '../../../dsp/stream/transfer-pool.ts';

test('a transfer pool reuses returned buffers, grows to its bound, then refuses', () => {
  const pool = new TransferPool(2, 4, 3);
  const a = pool.acquire()!;
  const b = pool.acquire()!;
  const c = pool.acquire()!;
  assert.equal(pool.size, 3);
  assert.equal(pool.acquire(), null, 'bounded');
  pool.release(a);
  assert.equal(pool.acquire(), a, 'a returned buffer is reused');
  pool.release(new Float32Array(5));
  assert.equal(pool.available, 0, 'a buffer of the wrong length is not taken');
  pool.release(b);
  pool.release(c);
  assert.equal(pool.available, 2);
});

test('a Float64Array pool takes back its own buffers even when all are out', () => {
  const pool = new TransferPool<Float64Array>(1, 5, 1, (n) => new Float64Array(n));
  const a = pool.acquire()!;
  assert.ok(a instanceof Float64Array);
  assert.equal(pool.acquire(), null);
  pool.release(new Float32Array(5) as unknown as Float64Array);
  assert.equal(pool.available, 0, 'a Float32Array is not one of its buffers');
  pool.release(a);
  assert.equal(pool.available, 1);
});
