import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseChoice } from '../../../models/training/args.ts';

test('parseChoice: returns a listed value and names the option and every choice otherwise', () => {
  const modes = ['a', 'b', 'c'] as const;
  assert.equal(parseChoice('b', modes, '--mode'), 'b');
  assert.throws(() => parseChoice('d', modes, '--mode'), /^Error: --mode must be 'a', 'b' or 'c', got 'd'$/);
  assert.throws(() => parseChoice(undefined, ['x', 'y'], '--two'), /^Error: --two must be 'x' or 'y', got 'undefined'$/);
});

test('parseArgs (node:util): values, bare flags, --name=value, and clear errors', async () => {
  const { parseArgs } = await import('../../../models/training/args.ts');
  assert.deepEqual(parseArgs(['--a', '1', '--quiet', '--b=x', '--a', '2'], ['a', 'b', 'quiet'], ['quiet']), { a: '2', b: 'x', quiet: true });
  assert.throws(() => parseArgs(['--c', '1'], ['a', 'b']), /^Error: unknown option '--c' \(expected one of --a --b\)$/);
  assert.throws(() => parseArgs(['--a'], ['a']), /^Error: option '--a' needs a value$/);
  assert.throws(() => parseArgs(['--a', '-1'], ['a']), /option '--a' needs a value \(write a value starting with '-' as --a=-1\)/);
  assert.throws(() => parseArgs(['--q=1'], ['q'], ['q']), /option '--q' takes no value/);
  assert.throws(() => parseArgs(['stray'], ['a']), /unexpected argument 'stray'/);
});

test('the train --help lists every option of the table with its default', async () => {
  const { TRAIN_FLAGS, trainHelp } = await import('../../../models/training/command-line.ts');
  const help = trainHelp();
  for (const flag of TRAIN_FLAGS) assert.match(help, new RegExp(`^  --${flag.name}\\b`, 'm'), flag.name);
  assert.match(help, /--steps N +optimisation steps \(default 1500\)/);
  assert.match(help, /--latent N +latent dimensions \(default 32\)/);
});
