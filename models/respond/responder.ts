/**
 * The responder turns the processor's requests into music: it encodes the
 * performer's phrase with the chosen model, keeps the latest latent per
 * model, picks the latent to play from (the mode decides: a variation of the
 * performer's latent, or a point on the latent pad between four anchors),
 * decodes it, and shapes the result into MIDI events (models/respond/shape.ts).
 */
import { MODEL_NAMES, type ModelName } from '../../plugin/parameters.ts';
import type { Phrase, PhraseNote } from '../../protocol/phrase.ts';
import type { MusicRequest } from '../../protocol/processor-worker.ts';
import type { LatentModel } from './latent-model.ts';
import { mulberry32, shapeResponse } from './shape.ts';

/** Mode indices of plugin/parameters.ts `MODES`. */
const MODE_LATENT_PAD = 3;

/** What a request produced, for the reply and the log. */
export interface Response {
  /** Packed events (beat offset, status, data1, data2), or null when no music was asked for. */
  events: Float64Array | null;
  /** The performer's latent, when the phrase had notes. */
  performerLatent: Float32Array | null;
  /** The latent the music was decoded from. */
  playedLatent: Float32Array | null;
  model: ModelName;
}

/** Unpacks a packed note list (pitch, velocity, start, duration). */
export function unpackPhrase(notes: Float64Array, lengthBeats: number, tempoBpm: number, beatsPerBar: number, source: Phrase['source']): Phrase {
  const list: PhraseNote[] = [];
  for (let i = 0; i + 3 < notes.length; i += 4) {
    list.push({ pitch: notes[i], velocity: notes[i + 1], startBeats: notes[i + 2], durationBeats: notes[i + 3] });
  }
  list.sort((a, b) => a.startBeats - b.startBeats);
  return { source, notes: list, lengthBeats, tempoBpm, beatsPerBar };
}

/** A standard normal draw from uniforms (Box–Muller). */
function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export class Responder {
  private readonly models: Partial<Record<ModelName, LatentModel>>;
  private readonly latest = new Map<ModelName, Float32Array>();
  /** Latent-pad anchors per model: bottom-left, bottom-right, top-left, top-right. */
  private readonly anchors = new Map<ModelName, (Float32Array | null)[]>();

  constructor(models: Partial<Record<ModelName, LatentModel>>) {
    this.models = models;
  }

  /** The performer's latest latent for a model, if any. */
  latestLatent(model: ModelName): Float32Array | null {
    return this.latest.get(model) ?? null;
  }

  /** Sets the four latent-pad anchors of a model (null entries are filled from the prior when first used). */
  setAnchors(model: ModelName, anchors: (Float32Array | null)[]): void {
    this.anchors.set(model, [0, 1, 2, 3].map((i) => anchors[i] ?? null));
  }

  /** Current anchors of a model. */
  getAnchors(model: ModelName): (Float32Array | null)[] {
    return this.anchors.get(model) ?? [null, null, null, null];
  }

  /**
   * Answers one request.
   * @throws Error when the requested model is not loaded.
   */
  respond(request: MusicRequest): Response {
    const name = MODEL_NAMES[request.settings.model] ?? 'melody';
    const model = this.models[name];
    if (!model) throw new Error(`model '${name}' is not loaded`);
    const random = mulberry32(request.settings.seed);
    let performerLatent: Float32Array | null = null;
    if (request.notes.length >= 4) {
      const phrase = unpackPhrase(request.notes, request.phraseLengthBeats, request.tempoBpm, request.beatsPerBar, 'host-midi');
      performerLatent = model.encode(phrase);
      this.latest.set(name, performerLatent);
    }
    if (request.kind === 'phrase-only') return { events: null, performerLatent, playedLatent: null, model: name };

    const s = request.settings;
    const base = s.mode === MODE_LATENT_PAD ? this.padLatent(name, model, s.padX, s.padY, random) : (this.latest.get(name) ?? this.prior(model, random));
    const played = s.mode === MODE_LATENT_PAD ? base : this.vary(base, s.variation, random);
    const notes: PhraseNote[] = [];
    // Windows longer than the model's are filled with successive decodes,
    // each a small step further from the last (a continuation in latent space).
    let z = played;
    for (let offset = 0; offset < request.targetLengthBeats; offset += model.windowBeats) {
      const phrase = model.decode(z, s.temperature, random);
      for (const note of phrase.notes) notes.push({ ...note, startBeats: note.startBeats + offset });
      z = this.vary(z, Math.min(0.25, s.variation * 0.5 + 0.05), random);
    }
    const phrase: Phrase = { source: 'generated', notes, lengthBeats: request.targetLengthBeats, tempoBpm: request.tempoBpm, beatsPerBar: request.beatsPerBar };
    const events = shapeResponse(phrase, s, request.targetLengthBeats, model.kind === 'drums');
    return { events, performerLatent, playedLatent: played, model: name };
  }

  /** A point between z and a prior draw: variation 0 is z itself, 1 is a fresh draw. */
  private vary(z: Float32Array, variation: number, random: () => number): Float32Array {
    const v = Math.min(1, Math.max(0, variation));
    const out = new Float32Array(z.length);
    for (let i = 0; i < z.length; i++) out[i] = (1 - v) * z[i] + v * gaussian(random);
    return out;
  }

  private prior(model: LatentModel, random: () => number): Float32Array {
    const z = new Float32Array(model.latentSize);
    for (let i = 0; i < z.length; i++) z[i] = gaussian(random);
    return z;
  }

  /** Bilinear interpolation between the four anchors; missing anchors are drawn once from a fixed prior. */
  private padLatent(name: ModelName, model: LatentModel, x: number, y: number, _random: () => number): Float32Array {
    const anchors = this.getAnchors(name);
    const filled = anchors.map((a, i) => a ?? this.prior(model, mulberry32(0xa11c0 + i)));
    this.anchors.set(name, filled);
    const cx = Math.min(1, Math.max(0, x));
    const cy = Math.min(1, Math.max(0, y));
    const w = [(1 - cx) * (1 - cy), cx * (1 - cy), (1 - cx) * cy, cx * cy];
    const out = new Float32Array(model.latentSize);
    for (let k = 0; k < 4; k++) for (let i = 0; i < out.length; i++) out[i] += w[k] * filled[k][i];
    return out;
  }
}
