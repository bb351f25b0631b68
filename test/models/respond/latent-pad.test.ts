/**
 * Moving the latent pad changes the output gradually: along straight pad
 * paths, the change between neighbouring decoded points (the models'
 * neighbour-change measure: L2 between decoded probabilities, as in
 * `deep-improv eval`) is even — no step carries a jump — unlike a pad that
 * snaps to the nearest anchor. Uses the shipped weights and the anchors of
 * the factory latent-pad presets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseWeights } from '../../../models/core/weights.ts';
import { FastVae } from '../../../models/fast/vae.ts';
import { createRuntime } from '../../../models/runtime/index.ts';
import { eventsOf } from '../../../models/eval/evaluate.ts';
import { l2, pathEvenness } from '../../../models/eval/metrics.ts';
import { Responder } from '../../../models/respond/responder.ts';
import { FACTORY_PRESETS } from '../../../plugin/presets/factory.ts';

const POINTS = 11;

for (const [kind, presetId] of [['melody', 'latent-garden'], ['drums', 'drum-morph']] as const) {
  test(`${kind}: moving the latent pad changes the output gradually`, (t) => {
    const dir = `models/weights/${kind}`;
    const weights = parseWeights(JSON.parse(readFileSync(`${dir}/model.json`, 'utf8')), new Uint8Array(readFileSync(`${dir}/weights.bin`)));
    const runtime = createRuntime(weights);
    const vae = new FastVae(weights);
    const responder = new Responder({ [kind]: runtime });
    const preset = FACTORY_PRESETS.find((p) => p.id === presetId)!;
    responder.setAnchors(kind, preset.state.anchors.map((a) => (a.latent ? Float32Array.from(a.latent) : a.phrase ? runtime.encode(a.phrase) : null)));
    const probabilities = (x: number, y: number) => eventsOf(kind, vae.decode(responder.padLatent(kind, runtime, x, y))).probabilities;
    const paths: Record<string, [number, number][]> = {
      diagonal: Array.from({ length: POINTS }, (_, i) => [i / (POINTS - 1), i / (POINTS - 1)]),
      across: Array.from({ length: POINTS }, (_, i) => [i / (POINTS - 1), 0.5]),
      up: Array.from({ length: POINTS }, (_, i) => [0.25, i / (POINTS - 1)]),
    };
    for (const [name, path] of Object.entries(paths)) {
      const decoded = path.map(([x, y]) => probabilities(x, y));
      const snapped = path.map(([x, y]) => probabilities(Math.round(x), Math.round(y)));
      const changes = decoded.slice(1).map((p, i) => l2(p, decoded[i]));
      const snapChanges = snapped.slice(1).map((p, i) => l2(p, snapped[i]));
      const smooth = pathEvenness(changes);
      const jumpy = pathEvenness(snapChanges);
      t.diagnostic(`${name}: pad max/mean ${smooth.maxOverMean.toFixed(2)}, snapping pad ${jumpy.maxOverMean.toFixed(2)}`);
      assert.ok(smooth.mean > 0, `${kind} ${name}: the output changes along the path`);
      assert.ok(smooth.maxOverMean <= 2.5, `${kind} ${name}: no step is a jump (max/mean ${smooth.maxOverMean.toFixed(2)})`);
      if (jumpy.mean > 0) {
        assert.ok(jumpy.maxOverMean > smooth.maxOverMean, `${kind} ${name}: the measure sees the jumps of a snapping pad (${jumpy.maxOverMean.toFixed(2)} vs ${smooth.maxOverMean.toFixed(2)})`);
      }
    }
  });
}
