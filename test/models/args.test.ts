import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseChoice } from '../../models/training/args.ts';

test('parseChoice: returns a listed value and names the option and every choice otherwise', () => {
  const modes = ['a', 'b', 'c'] as const;
  assert.equal(parseChoice('b', modes, '--mode'), 'b');
  assert.throws(() => parseChoice('d', modes, '--mode'), /^Error: --mode must be 'a', 'b' or 'c', got 'd'$/);
  assert.throws(() => parseChoice(undefined, ['x', 'y'], '--two'), /^Error: --two must be 'x' or 'y', got 'undefined'$/);
});
