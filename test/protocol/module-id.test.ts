/** The identifier the processor registers under agrees with the descriptor hosts read. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { MODULE_ID, PLUGIN_IDENTIFIER, VERSION } from '../../protocol/module-id.ts';

test('protocol/module-id.ts and plugin/descriptor.json name the same plugin', () => {
  const descriptor = JSON.parse(readFileSync('plugin/descriptor.json', 'utf8')) as { identifier: string };
  assert.equal(PLUGIN_IDENTIFIER, descriptor.identifier);
  assert.equal(MODULE_ID, `${descriptor.identifier}@${VERSION}`);
});
