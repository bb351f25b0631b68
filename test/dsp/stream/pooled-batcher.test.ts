/** The pooled batcher (dsp/stream/pooled-batcher.ts): records in pooled buffers, handed over whole, skipped and counted when the pool is out. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PooledBatcher } from '../../../dsp/stream/pooled-batcher.ts';

test('fills a batch record by record, hands it over, reuses released buffers and counts what it had to skip', () => {
  const b = new PooledBatcher(2, 3, 1, 2);
  assert.equal(b.take(), null, 'nothing to hand over yet');
  for (let i = 0; i < 3; i++) {
    const buffer = b.reserve(10 + i)!;
    buffer[b.writeOffset] = i;
    buffer[b.writeOffset + 1] = 10 * i;
  }
  assert.ok(b.full);
  assert.equal(b.firstIndex, 10);
  const first = b.take()!;
  assert.deepEqual(Array.from(first), [0, 0, 1, 10, 2, 20]);
  assert.equal(b.count, 0);
  const second = b.reserve(20)!;
  assert.notEqual(second, first, 'the pool grew to its second buffer');
  b.take();
  assert.equal(b.reserve(30), null, 'both buffers are out');
  assert.equal(b.skipped, 1);
  b.release(first);
  assert.equal(b.reserve(40), first, 'a returned buffer is used again');
  assert.equal(b.firstIndex, 40);
});
