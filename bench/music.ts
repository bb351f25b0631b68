/**
 * Musical statistics of the shipped models' answers (`music.<model>.*`):
 * answers made exactly as the plugin makes them (default parameters), beside
 * the calls' and the baselines' figures (models/respond/musical-eval.ts).
 *
 * The bench needs no data set: it answers a small held-out-like fixture made
 * here, deterministically from a seed — drum grooves (kick/snare/hat
 * patterns at 84–132 BPM with accents, a laid-back snare, swung hats and
 * jitter, roughly the spread of the Groove validation split) and chorale-like
 * lines (mostly stepwise diatonic walks with a few thirds, fifths and octaves,
 * in a random key and register, quarter and eighth notes). Its figures follow changes, but they are not the held-out
 * figures: `deep-improv eval --musical --data ../shared/datasets/…` gives
 * those (docs/answers.md).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Phrase, PhraseNote } from '../protocol/phrase.ts';
import type { MusicalStats } from '../models/eval/musical.ts';
import { evaluateAnswers } from '../models/respond/musical-eval.ts';
import { loadModelFromDir } from '../models/runtime/node.ts';
import { normal, seededUniform } from '../models/runtime/random.ts';
import { WEIGHTS_DIR } from '../models/training/files.ts';

/** Performances per kind in the fixture, and 2-bar windows per performance. */
const PERFORMANCES = 12;
const WINDOWS = 4;

const window = (notes: PhraseNote[], tempoBpm: number): Phrase => ({ source: 'file', notes, lengthBeats: 8, tempoBpm, beatsPerBar: 4 });

/** Drum performances: consecutive 2-bar windows of a groove with feel. */
export function drumFixture(seed = 1): Phrase[][] {
  const random = seededUniform(seed);
  const patterns = [
    { kick: [0, 8, 10], snare: [4, 12], hat: [0, 2, 4, 6, 8, 10, 12, 14] },
    { kick: [0, 3, 8, 11], snare: [4, 12], hat: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15] },
    { kick: [0, 6, 10], snare: [4, 12, 15], hat: [0, 2, 4, 6, 8, 10, 12, 14] },
  ];
  return Array.from({ length: PERFORMANCES }, (_, p) => {
    const tempoBpm = 84 + Math.floor(random() * 48);
    const msToBeats = tempoBpm / 60000;
    const pattern = patterns[p % patterns.length]!;
    const swingMs = random() * 25;
    const snareLagMs = 5 + random() * 10;
    return Array.from({ length: WINDOWS }, () => {
      const notes: PhraseNote[] = [];
      const hit = (pitch: number, step: number, velocity: number, lateMs: number): void => {
        const v = Math.round(Math.min(127, Math.max(1, velocity + 14 * normal(random))));
        notes.push({ pitch, velocity: v, startBeats: step / 4 + (lateMs + 14 * normal(random)) * msToBeats, durationBeats: 0.125 });
      };
      for (let bar = 0; bar < 2; bar++) {
        const base = bar * 16;
        for (const s of pattern.kick) if (random() > 0.1) hit(36, base + s, s % 8 === 0 ? 110 : 85, 0);
        for (const s of pattern.snare) hit(38, base + s, s % 4 === 0 ? 105 : 45, snareLagMs);
        for (const s of pattern.hat) hit(s === 14 && random() < 0.3 ? 46 : 42, base + s, s % 4 === 0 ? 90 : s % 2 === 0 ? 60 : 35, s % 4 === 2 ? swingMs : 0);
        if (bar === 1 && random() < 0.4) for (const s of [12, 13, 14, 15]) hit(s < 14 ? 48 : 45, base + s, 95, 0);
      }
      notes.sort((a, b) => a.startBeats - b.startBeats || a.pitch - b.pitch);
      return window(notes, tempoBpm);
    });
  });
}

/** Melody performances: stepwise diatonic lines, one register each. */
export function melodyFixture(seed = 2): Phrase[][] {
  const random = seededUniform(seed);
  const major = [0, 2, 4, 5, 7, 9, 11];
  return Array.from({ length: PERFORMANCES }, () => {
    const root = Math.floor(random() * 12);
    const centre = 55 + Math.floor(random() * 20);
    const pitchOf = (degree: number): number => root + 12 * Math.floor(degree / 7) + major[((degree % 7) + 7) % 7]!;
    let degree = Math.round(((centre - root) / 12) * 7);
    return Array.from({ length: WINDOWS }, () => {
      const notes: PhraseNote[] = [];
      for (let beat = 0; beat < 8;) {
        const length = random() < 0.7 ? 1 : 0.5;
        const u = random();
        const size = u < 0.3 ? 0 : u < 0.75 ? 1 : u < 0.92 ? 2 : u < 0.97 ? 4 : 7;
        const move = random() < 0.5 ? -size : size;
        // Lines lean back towards their register.
        degree += pitchOf(degree) > centre + 7 ? -Math.abs(move) : pitchOf(degree) < centre - 7 ? Math.abs(move) : move;
        notes.push({ pitch: pitchOf(degree), velocity: 80, startBeats: beat, durationBeats: length });
        beat += length;
      }
      return window(notes, 120);
    });
  });
}

type Flat = Record<string, number | null>;
const pick = (s: MusicalStats): Flat => ({ ...s });

/** Answers the fixture with each shipped model; the `music` keys of the bench. */
export async function benchMusic(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const name of ['drums', 'melody']) {
    if (!existsSync(join(WEIGHTS_DIR, name, 'model.json'))) continue;
    const model = await loadModelFromDir(join(WEIGHTS_DIR, name));
    try {
      const report = evaluateAnswers(model, model.kind === 'drums' ? drumFixture() : melodyFixture(), { limit: PERFORMANCES * WINDOWS });
      out[name] = {
        ...pick(report.answers),
        calls: pick(report.calls),
        baselines: { echo: pick(report.baselines.echo), markov: pick(report.baselines.markov), prior: pick(report.baselines.prior) },
        data: `synthetic fixture (${PERFORMANCES} performances × ${WINDOWS} windows, bench/music.ts)`,
      };
    } finally {
      model.dispose();
    }
  }
  return out;
}
