import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TransferPool } from '../../dsp/stream/transfer-pool.ts';

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
