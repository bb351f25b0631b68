/**
 * The shipped recipes: each model's training command in
 * models/weights/manifest.json parses, with the train command's own parser,
 * back to the options and sizes its model.json records; the manifest
 * builder writes the same commands again; and three training steps of each
 * recipe (on the tiny fixtures, batch 8, tiny sizes, the CPU backend) give
 * weights identical bit for bit to those the training code gave before its
 * options were cut down to these recipes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { parseTrainCommand } from '../../../models/training/command-line.ts';
import { loadWindows } from '../../../models/training/data.ts';
import { SHIPPED_MODELS, WEIGHTS_DIR } from '../../../models/training/files.ts';
import { readParameters } from '../../../models/training/graph.ts';
import { buildManifest } from '../../../models/training/manifest.ts';
import { Trainer } from '../../../models/training/trainer.ts';
import { writeFixtures } from './fixtures.ts';
import { tinyConfig } from '../../helpers/models.ts';

const dir = mkdtempSync(join(tmpdir(), 'di-recipes-'));
const fx = writeFixtures(dir);
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

interface Shipped {
  name: string;
  training: { command: string; options: Record<string, unknown> };
}
const manifest = JSON.parse(readFileSync(join(WEIGHTS_DIR, 'manifest.json'), 'utf8')) as { models: Shipped[] };

/** SHA-256 of the parameters after 3 steps of each recipe, as the training code before the cut gave them. */
const WEIGHTS_AFTER_3_STEPS: Record<string, string> = {
  drums: '9822108574472276be6b66ff1cbadc4431d2303b3edbffd8e4c6fd8ca25fabfe',
  'drums-plain': '3e762c8fb333280b2089058a2ac934189d2abd96c7e38799c0e6a624c8325475',
  melody: '3f093d9b1139d5fb8f6e3e2e24b14963b1088adfcee910e27782261835563c7f',
  'melody-plain': '7fc6ecf0de19b12766d4591f338958451018995cded41b7c47c5d7a43ae99b70',
};

/** Options the code no longer has, at the values their code path now always takes. */
const REMOVED_DEFAULTS: Record<string, unknown> = { flatPathPoints: 1, flatRefineSteps: 0, flatEnds: 'mean', flatCriterion: 'cv2', flatSharpness: 10, flatWarmup: 0 };

/** The command's arguments after `deep-improv train`. */
const argvOf = (command: string): string[] => command.split(/\s+/).slice(2);

test('every shipped model has a command in the manifest', () => {
  assert.deepEqual(manifest.models.map((m) => m.name).sort(), [...SHIPPED_MODELS].sort());
});

for (const shipped of manifest.models) {
  test(`the shipped ${shipped.name} command parses back to its recorded recipe`, () => {
    const model = JSON.parse(readFileSync(join(WEIGHTS_DIR, shipped.name, 'model.json'), 'utf8')) as { config: Record<string, unknown> };
    const command = parseTrainCommand(argvOf(shipped.training.command));
    for (const [key, value] of Object.entries(shipped.training.options)) {
      if (key in command.options) assert.deepEqual(command.options[key as keyof typeof command.options], value, `${shipped.name}: ${key}`);
      else assert.deepEqual(value, REMOVED_DEFAULTS[key], `${shipped.name}: the removed option ${key} was at the value the code now always uses`);
    }
    for (const key of ['kind', 'flat', 'decoder', 'latentSize', 'encoderUnits', 'decoderUnits'] as const) assert.equal(command.config[key], model.config[key], `${shipped.name}: config ${key}`);
  });

  test(`3 steps of the ${shipped.name} recipe give the weights they gave before, bit for bit`, async () => {
    await tf.setBackend('cpu');
    const { config, options } = parseTrainCommand(argvOf(shipped.training.command));
    const data = loadWindows(config.kind, config.kind === 'drums' ? fx.drumsDir : fx.jsbFile);
    const trainer = new Trainer(tinyConfig(config.kind, { flat: config.flat, decoder: config.decoder }), { ...options, batchSize: 8 }, data);
    try {
      for (let i = 0; i < 3; i++) trainer.step();
      const params = readParameters(trainer.vars);
      const hash = createHash('sha256');
      for (const name of Object.keys(params).sort()) hash.update(name).update(new Uint8Array(params[name]!.buffer, params[name]!.byteOffset, params[name]!.byteLength));
      assert.equal(hash.digest('hex'), WEIGHTS_AFTER_3_STEPS[shipped.name]);
    } finally {
      trainer.dispose();
    }
  });
}

test('the manifest builder writes the shipped commands again', () => {
  const built = Object.fromEntries(buildManifest().models.map((m) => [m.name, m.training.command]));
  for (const shipped of manifest.models) assert.equal(built[shipped.name], shipped.training.command);
});

test('the options never shipped are gone from the command line', () => {
  for (const flag of ['--flat-points', '--flat-refine', '--flat-ends', '--flat-criterion', '--flat-sharpness', '--flat-warmup']) {
    assert.throws(() => parseTrainCommand(['--kind', 'melody', '--data', 'x', '--out', 'y', flag, '1']), new RegExp(`unknown option '${flag}'`));
  }
});
