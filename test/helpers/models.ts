/**
 * Helpers for the model tests: tiny random models, tiny MIDI fixtures.
 */
import type { Phrase, PhraseNote } from '../../protocol/phrase.ts';
import { defaultConfig, parameterShapes, type ModelConfig, type ModelKind } from '../../models/core/config.ts';
import type { ModelWeights } from '../../models/core/weights.ts';
import { seededUniform } from '../../models/runtime/random.ts';

/** A small model config for tests (16/24 units, 8 latent dims). */
export function tinyConfig(kind: ModelKind, overrides: Partial<ModelConfig> = {}): ModelConfig {
  return defaultConfig(kind, { encoderUnits: 16, decoderUnits: 24, latentSize: 8, ...overrides });
}

/** Random weights (uniform ±scale) for a config, from a seed. */
export function randomWeights(config: ModelConfig, seed = 1, scale = 0.3): ModelWeights {
  const random = seededUniform(seed);
  const params: ModelWeights['params'] = {};
  for (const [name, shape] of parameterShapes(config)) {
    params[name] = new Float32Array(shape.reduce((a, b) => a * b, 1)).map(() => (2 * random() - 1) * scale);
  }
  return { config, params };
}

/** A 2-bar drum groove at `tempoBpm`: kick on 1 and 3, snare on 2 and 4, closed hats on 8ths, with a little swing. */
export function grooveNotes(bars = 2): PhraseNote[] {
  const notes: PhraseNote[] = [];
  for (let beat = 0; beat < 4 * bars; beat++) {
    notes.push({ pitch: beat % 2 === 0 ? 36 : 38, velocity: 100, startBeats: beat, durationBeats: 0.125 });
    notes.push({ pitch: 42, velocity: 70, startBeats: beat, durationBeats: 0.125 });
    notes.push({ pitch: 42, velocity: 50, startBeats: beat + 0.5 + 0.04, durationBeats: 0.125 });
  }
  return notes.sort((a, b) => a.startBeats - b.startBeats || a.pitch - b.pitch);
}

/** A simple melody: a scale up and down in 8th notes. */
export function scaleNotes(bars = 2): PhraseNote[] {
  const scale = [60, 62, 64, 65, 67, 69, 71, 72];
  const notes: PhraseNote[] = [];
  for (let i = 0; i < 8 * bars; i++) {
    const k = i % 16 < 8 ? i % 8 : 7 - (i % 8);
    notes.push({ pitch: scale[k]!, velocity: 90, startBeats: i * 0.5, durationBeats: 0.5 });
  }
  return notes;
}

/** A phrase around notes. */
export function phraseOf(notes: PhraseNote[], lengthBeats = 8, tempoBpm = 100): Phrase {
  return { source: 'file', notes, lengthBeats, tempoBpm, beatsPerBar: 4 };
}
