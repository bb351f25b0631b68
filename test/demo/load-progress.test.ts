/** The demo's start-up stages follow the node's status: processor first, then the models. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stageLabel, stagesFromStatus } from '../../demo/load-progress.ts';

test('the plugin stage follows the processor, the models stage the worker once the processor is ready', () => {
  assert.deepEqual(stagesFromStatus({ processor: 'loading', worker: 'loading' }), { plugin: 'active', models: 'waiting' });
  assert.deepEqual(stagesFromStatus({ processor: 'ready', worker: 'loading' }), { plugin: 'done', models: 'active' });
  assert.deepEqual(stagesFromStatus({ processor: 'ready', worker: 'ready' }), { plugin: 'done', models: 'done' });
  assert.deepEqual(stagesFromStatus({ processor: 'ready', worker: 'warning' }), { plugin: 'done', models: 'warning' });
  assert.deepEqual(stagesFromStatus({ processor: 'error', worker: 'loading' }), { plugin: 'error', models: 'waiting' });
  assert.deepEqual(stagesFromStatus({ processor: 'loading', worker: 'error' }), { plugin: 'active', models: 'error' });
});

test('each stage says what it does', () => {
  assert.equal(stageLabel('models', 'active'), 'Loading the models…');
  assert.equal(stageLabel('plugin', 'done'), 'Plugin ready');
  assert.equal(stageLabel('models', 'warning'), 'Some models missing');
});
