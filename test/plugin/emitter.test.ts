import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Emitter } from '../../plugin/emitter.ts';
import { workerStatusChange } from '../../plugin/node-types.ts';

interface Events {
  count: number;
  word: string;
  ping: undefined;
}

test('each event kind reaches only its own listeners, in order, with its payload', () => {
  const events = new Emitter<Events>();
  const seen: string[] = [];
  events.on('count', (n) => seen.push(`a${n}`));
  events.on('count', (n) => seen.push(`b${n}`));
  events.on('word', (w) => seen.push(w));
  events.on('ping', () => seen.push('ping'));
  events.emit('count', 3);
  events.emit('word', 'hi');
  events.emit('ping', undefined);
  assert.deepEqual(seen, ['a3', 'b3', 'hi', 'ping']);
  assert.equal(events.listenerCount('count'), 2);
  assert.equal(events.listenerCount(), 4);
});

test('the remover removes once and is safe to call again; clear drops everything', () => {
  const events = new Emitter<Events>();
  let calls = 0;
  const listener = () => { calls++; };
  const remove = events.on('count', listener);
  events.on('count', listener); // the same function twice is one listener
  assert.equal(events.listenerCount('count'), 1);
  events.emit('count', 1);
  remove();
  remove();
  events.emit('count', 1);
  assert.equal(calls, 1);
  events.on('word', () => { calls++; });
  events.clear();
  events.emit('word', 'x');
  assert.equal(calls, 1);
  assert.equal(events.listenerCount(), 0);
});

test('a listener that throws does not stop the others; one removed during an emit still gets that emit', () => {
  const events = new Emitter<Events>();
  const seen: number[] = [];
  const reported: unknown[] = [];
  const original = globalThis.reportError;
  globalThis.reportError = (e: unknown) => { reported.push(e); };
  try {
    let removeSecond = () => {};
    events.on('count', () => { removeSecond(); throw new Error('boom'); });
    removeSecond = events.on('count', (n) => seen.push(n));
    events.emit('count', 7);
    events.emit('count', 8);
  } finally {
    globalThis.reportError = original;
  }
  assert.deepEqual(seen, [7]);
  assert.equal(reported.length, 2);
  assert.equal((reported[0] as Error).message, 'boom');
});

test('a worker with models missing is a warning naming them in the table\'s order; all loaded is ready', () => {
  const base = { processorConnected: true, models: [], answered: 0, failed: 0, answerComputeMs: [], phraseUpdates: 0, warmAnswers: 0 };
  assert.deepEqual(workerStatusChange({ ...base, models: ['melody', 'drums'], modelErrors: {} }), { worker: 'ready', missingModels: {}, message: '' });
  const change = workerStatusChange({ ...base, modelErrors: { drums: '404', melody: 'network error' } });
  assert.equal(change.worker, 'warning');
  assert.deepEqual(Object.keys(change.missingModels), ['melody', 'drums']);
  assert.equal(change.message, 'Some models could not be loaded (melody: network error; drums: 404)');
});
