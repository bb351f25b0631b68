/**
 * The responder turns the processor's requests into music: it encodes the
 * performer's phrase with the chosen model (anytime: phrase updates warm the
 * latent while the phrase is played, models/respond/anytime.ts), keeps the
 * latest latent per model, picks the latent to play from (the mode decides: a variation of the
 * performer's latent, or a point on the latent pad between four anchors),
 * decodes it, and shapes the result into MIDI events (models/respond/shape.ts).
 */
import { MODEL_NAMES, type ModelName } from '../../protocol/parameters.ts';
import type { Phrase, PhraseNote } from '../../protocol/phrase.ts';
import type { MusicRequest, PhraseUpdate } from '../../protocol/processor-worker.ts';
import type { ModelRuntime } from '../runtime/index.ts';
import type { AnytimeSchedule } from '../runtime/warm-latent.ts';
import { AnytimeEncoder } from './anytime.ts';
import { seededUniform } from '../runtime/random.ts';
import { GrooveTemplate } from './groove.ts';
import { CONTRAST_CANDIDATES, CONTRAST_MIN_VARIATION, contrastScore, replyStrategyAt, type ReplyStrategy } from './reply.ts';
import { shapeResponse, type AnswerContext } from './shape.ts';

/** Mode indices of protocol/parameters.ts `MODES`. */
const MODE_LATENT_PAD = 3;
/** Further tries when an answer decodes to silence; the last draws from the prior. */
const MAX_EMPTY_RETRIES = 3;

/** What a request produced, for the reply and the log. */
export interface Response {
  /** Packed events (beat offset, status, data1, data2), or null when no music was asked for. */
  events: Float64Array | null;
  /** The performer's phrase as encoded, when it had notes. */
  input: Phrase | null;
  /** The performer's latent, when the phrase had notes. */
  performerLatent: Float32Array | null;
  /** The latent the music was decoded from. */
  playedLatent: Float32Array | null;
  /** True when the performer's latent started from a latent warmed by phrase updates. */
  warmStart: boolean;
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

/** Beats per model window (the models work on 2 bars of 4/4 in 16th steps). */
function windowBeats(model: ModelRuntime): number {
  return model.steps / 4;
}

/** Options of {@link Responder}. */
export interface ResponderOptions {
  /** How encoding spends its gradient steps (models/runtime/warm-latent.ts; default `ANYTIME_DEFAULTS`). */
  schedule: Partial<AnytimeSchedule>;
}

export class Responder {
  private readonly models: Partial<Record<ModelName, ModelRuntime>>;
  private readonly latest = new Map<ModelName, Float32Array>();
  private readonly schedule: Partial<AnytimeSchedule>;
  private readonly encoders = new Map<ModelName, AnytimeEncoder>();
  /** Latent-pad anchors per model: bottom-left, bottom-right, top-left, top-right. */
  private readonly anchors = new Map<ModelName, (Float32Array | null)[]>();

  constructor(models: Partial<Record<ModelName, ModelRuntime>>, options: Partial<ResponderOptions> = {}) {
    this.models = models;
    this.schedule = options.schedule ?? {};
  }

  /** The anytime encoder of a loaded model. */
  private encoder(name: ModelName, model: ModelRuntime): AnytimeEncoder {
    let encoder = this.encoders.get(name);
    if (!encoder) {
      encoder = new AnytimeEncoder(model, this.schedule);
      this.encoders.set(name, encoder);
    }
    return encoder;
  }

  /**
   * The phrase so far: refines the model's warm latent on the whole beats
   * played (models/respond/anytime.ts). An unknown or unloaded model is ignored.
   * @returns the updates run.
   */
  update(update: PhraseUpdate): number {
    const name = MODEL_NAMES[update.model];
    const model = name ? this.models[name] : undefined;
    if (!name || !model) return 0;
    const notes = update.notes.subarray(0, Math.max(0, update.noteCount) * 4);
    const phrase = unpackPhrase(notes, update.playedBeats, update.tempoBpm, update.beatsPerBar, 'host-midi');
    return this.encoder(name, model).update(phrase, update.phraseStartBeat, update.first);
  }

  /** The performer's latest latent for a model, if any. */
  latestLatent(model: ModelName): Float32Array | null {
    return this.latest.get(model) ?? null;
  }

  /** Sets the four latent-pad anchors of a model (null entries are drawn from the prior, with a fixed seed, when first used). */
  setAnchors(model: ModelName, anchors: (Float32Array | null)[]): void {
    this.anchors.set(model, [0, 1, 2, 3].map((i) => anchors[i] ?? null));
  }

  /** Current anchors of a model. */
  getAnchors(model: ModelName): (Float32Array | null)[] {
    return this.anchors.get(model) ?? [null, null, null, null];
  }

  /**
   * Answers one request: encodes the performer's phrase (remembering its
   * latent), then, unless only the phrase was sent, generates the music for
   * the target window, related to the call as the settings' `reply` strategy
   * says (models/respond/reply.ts).
   * @throws Error when the requested model is not loaded.
   */
  respond(request: MusicRequest): Response {
    const name = MODEL_NAMES[request.settings.model] ?? 'melody';
    const model = this.models[name];
    if (!model) throw new Error(`model '${name}' is not loaded`);
    let performerLatent: Float32Array | null = null;
    let input: Phrase | null = null;
    let warmStart = false;
    if (request.notes.length >= 4) {
      input = unpackPhrase(request.notes, request.phraseLengthBeats, request.tempoBpm, request.beatsPerBar, 'host-midi');
      const encoder = this.encoder(name, model);
      warmStart = encoder.warmFor(request.phraseStartBeat);
      performerLatent = encoder.encode(input, request.phraseStartBeat);
      this.latest.set(name, performerLatent);
    }
    if (request.kind === 'phrase-only') return { events: null, input, performerLatent, playedLatent: null, warmStart, model: name };

    const s = request.settings;
    const random = seededUniform(s.seed);
    // The answer plays with the performer's feel (timing and dynamics), even from a short phrase.
    const call = input ?? (request.notes.length >= 4 ? unpackPhrase(request.notes, request.phraseLengthBeats, request.tempoBpm, request.beatsPerBar, 'host-midi') : null);
    const heard = call && s.mode !== MODE_LATENT_PAD ? call : null;
    const context: AnswerContext = {
      groove: heard ? new GrooveTemplate(heard, model.kind === 'drums') : null,
      callMeanPitch: heard && model.kind === 'melody' && heard.notes.length > 0 ? heard.notes.reduce((sum, n) => sum + n.pitch, 0) / heard.notes.length : null,
      callPitches: heard && model.kind === 'melody' ? new Set(heard.notes.map((n) => n.pitch)) : null,
    };
    let attempt = this.generate(name, model, request, random, s.variation, false, context, heard, replyStrategyAt(s.reply));
    // A partner does not answer a phrase with silence: when the decoded bars
    // are empty (a sparse latent region), move further from the performer's
    // latent, then fall back to a draw from the prior. The pad's position is
    // the user's choice and is kept.
    for (let i = 1; i <= MAX_EMPTY_RETRIES && attempt.events.length === 0 && s.mode !== MODE_LATENT_PAD; i++) {
      attempt = this.generate(name, model, request, random, Math.min(1, s.variation + 0.25 * i), i === MAX_EMPTY_RETRIES, context, heard, 'variation');
    }
    return { events: attempt.events, input, performerLatent, playedLatent: attempt.played, warmStart, model: name };
  }

  /**
   * Decodes one answer; `fromPrior` ignores the performer's latent; `context`
   * is what is known of the call, `call` the call itself, `reply` the strategy.
   */
  private generate(
    name: ModelName, model: ModelRuntime, request: MusicRequest, random: () => number, variation: number, fromPrior: boolean,
    context: AnswerContext, call: Phrase | null, reply: ReplyStrategy,
  ): { events: Float64Array; played: Float32Array } {
    const s = request.settings;
    const seed = () => Math.floor(random() * 0x100000000);
    const options = () => ({ temperature: s.temperature, seed: seed(), tempoBpm: request.tempoBpm });
    let played: Float32Array;
    let first: Phrase;
    if (s.mode === MODE_LATENT_PAD) {
      played = this.padLatent(name, model, s.padX, s.padY);
      first = model.decode(played, options());
    } else {
      const base = fromPrior ? undefined : this.latest.get(name);
      let generated: { z: Float32Array; phrase: Phrase };
      if (!base) generated = model.sample(options());
      else if (reply === 'continuation' && call) generated = model.continue(call, options());
      else if (reply === 'contrast' && call) {
        const drums = model.kind === 'drums';
        const candidates = Array.from({ length: CONTRAST_CANDIDATES }, () => model.similar(base, Math.max(variation, CONTRAST_MIN_VARIATION), options()));
        const scores = candidates.map((c) => contrastScore(c.phrase, call, drums));
        generated = candidates[scores.indexOf(Math.min(...scores))]!;
      } else generated = model.similar(base, variation, options());
      played = generated.z;
      first = generated.phrase;
    }
    // Answers longer than the model's window continue through the learned latent transition.
    const step = windowBeats(model);
    const notes: PhraseNote[] = [...first.notes];
    let previous = first;
    for (let offset = step; offset < request.targetLengthBeats; offset += step) {
      previous = model.continue(previous, options()).phrase;
      for (const note of previous.notes) notes.push({ ...note, startBeats: note.startBeats + offset });
    }
    const phrase: Phrase = { source: 'generated', notes, lengthBeats: request.targetLengthBeats, tempoBpm: request.tempoBpm, beatsPerBar: request.beatsPerBar };
    return { events: shapeResponse(phrase, s, request.targetLengthBeats, model.kind === 'drums', context), played };
  }

  /** Bilinear interpolation between the four anchors of the pad. */
  padLatent(name: ModelName, model: ModelRuntime, x: number, y: number): Float32Array {
    const filled = this.getAnchors(name).map((a, i) => a ?? model.sample({ seed: 0xa11c0 + i }).z);
    this.anchors.set(name, filled);
    const cx = Math.min(1, Math.max(0, x));
    const cy = Math.min(1, Math.max(0, y));
    const w = [(1 - cx) * (1 - cy), cx * (1 - cy), (1 - cx) * cy, cx * cy];
    const out = new Float32Array(model.latentSize);
    for (let k = 0; k < 4; k++) for (let i = 0; i < out.length; i++) out[i] += w[k] * filled[k][i];
    return out;
  }
}
