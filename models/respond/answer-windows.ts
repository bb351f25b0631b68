/**
 * Answers a performance window by window, offline, exactly as the plugin's
 * worker answers the processor: each 2-bar window (cut with the half-step
 * look-back of models/midi/windows.ts, as training and `reconstruct` cut)
 * becomes the `MusicRequest` the live loop would send, the worker's
 * {@link Responder} answers it, and the packed events it returns are read
 * back as notes. `deep-improv respond` and the musical evaluation use this.
 */
import { MODEL_NAMES, MODES, REPLY_STRATEGIES, RESPONSE_BARS, defaultParameterValues, type ModelName, type ParameterValues } from '../../protocol/parameters.ts';
import type { Phrase, PhraseNote } from '../../protocol/phrase.ts';
import { PACKED_EVENT_STRIDE, type GenerationSettings, type MusicRequest, type PhraseUpdate } from '../../protocol/processor-worker.ts';
import { WINDOW_BEATS } from '../representation/grid.ts';
import type { ModelRuntime } from '../runtime/index.ts';
import { keyOfNotes } from './key.ts';
import type { ReplyStrategy } from './reply.ts';
import { Responder } from './responder.ts';
import { UPDATE_STEPS_PER_BEAT, windowUpdatePoints } from '../../protocol/update-points.ts';

/**
 * How the plugin answers: `call-response` answers each phrase (MODES
 * 'call-response'); `continue` plays the next window from the one just heard
 * (MODES 'accompany', where the live loop plays it one window later).
 */
export const ANSWER_MODES = ['call-response', 'continue'] as const;
/** One of {@link ANSWER_MODES}. */
export type AnswerMode = (typeof ANSWER_MODES)[number];

/** The plugin's default preset seed (dsp/processor.ts). */
export const DEFAULT_PRESET_SEED = 0x5eed;

/** Options of {@link WindowAnswerer}. */
export interface AnswerOptions {
  /** Default `call-response`. */
  mode: AnswerMode;
  /** The preset seed each request's seed is derived from, as the processor derives it (default {@link DEFAULT_PRESET_SEED}). */
  seed: number;
  /** Parameter values in plain units (default: the parameter table's defaults); `mode` and `model` are ignored. */
  values: ParameterValues;
  /**
   * How answers relate to their call (models/respond/reply.ts); when given it
   * sets the `reply` parameter of `values`, else that parameter decides
   * (default `variation`).
   */
  reply?: ReplyStrategy;
}

/** The request seed the processor derives from the preset seed and a request id. */
export function requestSeed(presetSeed: number, requestId: number): number {
  return (Math.imul((presetSeed >>> 0) ^ requestId, 0x9e3779b1) ^ requestId) >>> 0;
}

/** Generation settings as the processor builds them from parameter values. */
export function generationSettings(values: ParameterValues, model: ModelName, mode: AnswerMode, seed: number, detectedKey: number): GenerationSettings {
  return {
    mode: MODES.indexOf(mode === 'continue' ? 'accompany' : 'call-response'),
    model: MODEL_NAMES.indexOf(model),
    temperature: values.temperature!,
    variation: values.variation!,
    reply: values.reply!,
    density: values.density!,
    humanize: values.humanize!,
    keyLock: values.keyLock!,
    keyRoot: values.keyRoot!,
    scale: values.scale!,
    detectedKey,
    pitchLow: values.pitchLow!,
    pitchHigh: values.pitchHigh!,
    midiChannel: values.midiChannel!,
    padX: values.padX!,
    padY: values.padY!,
    seed,
  };
}

/**
 * Packed events (beat offset, status, data1, data2; note-ons paired with
 * note-offs, as {@link Responder.respond} returns them) as notes, sorted by start.
 */
export function eventsToNotes(events: Float64Array): PhraseNote[] {
  const open = new Map<number, { start: number; velocity: number }[]>();
  const notes: PhraseNote[] = [];
  for (let i = 0; i + PACKED_EVENT_STRIDE <= events.length; i += PACKED_EVENT_STRIDE) {
    const beat = events[i]!;
    const kind = events[i + 1]! & 0xf0;
    const pitch = events[i + 2]!;
    const velocity = events[i + 3]!;
    if (kind === 0x90 && velocity > 0) {
      const list = open.get(pitch) ?? [];
      list.push({ start: beat, velocity });
      open.set(pitch, list);
    } else if (kind === 0x80 || kind === 0x90) {
      const on = open.get(pitch)?.shift();
      if (on) notes.push({ pitch, velocity: on.velocity, startBeats: on.start, durationBeats: Math.max(beat - on.start, 1e-3) });
    }
  }
  return notes.sort((a, b) => a.startBeats - b.startBeats || a.pitch - b.pitch);
}

/**
 * The phrase updates the live processor sends while a 2-bar window starting
 * at beat 0 is played at its tempo (dsp/core/phrase-updates.ts): at each
 * update point before its end that follows a note (protocol/update-points.ts:
 * the whole beats, and the steps of a bar's last beat in time for the
 * decision), the notes so far (held ones cut there).
 */
export function liveUpdates(window: Phrase, model: ModelName): PhraseUpdate[] {
  const updates: PhraseUpdate[] = [];
  for (const point of windowUpdatePoints(WINDOW_BEATS * UPDATE_STEPS_PER_BEAT, window.tempoBpm)) {
    const beat = point / UPDATE_STEPS_PER_BEAT;
    const played = window.notes.filter((n) => n.startBeats < beat);
    if (played.length === 0) continue;
    const notes = new Float64Array(played.length * 4);
    played.forEach((n, i) => notes.set([n.pitch, n.velocity, n.startBeats, Math.max(1e-3, Math.min(n.durationBeats, beat - n.startBeats))], i * 4));
    updates.push({
      type: 'phrase-update', id: point, model: MODEL_NAMES.indexOf(model), notes, noteCount: played.length, phraseStartBeat: 0, playedBeats: beat, first: updates.length === 0,
      tempoBpm: window.tempoBpm, beatsPerBar: window.beatsPerBar,
    });
  }
  return updates;
}

/**
 * Answers consecutive windows of one performance in order, keeping the
 * responder's memory between them (a window of fewer than 4 notes is
 * answered from the latest latent, as live). Deterministic for a seed.
 */
export class WindowAnswerer {
  private readonly responder: Responder;
  private readonly name: ModelName;
  private readonly options: AnswerOptions;
  private requestId = 1;

  /** @param model a loaded model; it is answered under the name of its kind. */
  constructor(model: ModelRuntime, options: Partial<AnswerOptions> = {}) {
    this.name = model.kind;
    const o = { mode: 'call-response' as const, seed: DEFAULT_PRESET_SEED, values: defaultParameterValues(), ...options };
    this.options = o.reply === undefined ? o : { ...o, values: { ...o.values, reply: REPLY_STRATEGIES.indexOf(o.reply) } };
    this.responder = new Responder({ [this.name]: model });
  }

  /**
   * The request the live loop would send for a 2-bar window (starts in beats
   * from the window start), with the id the next {@link answer} uses.
   */
  request(window: Phrase): MusicRequest {
    const notes = new Float64Array(window.notes.length * 4);
    window.notes.forEach((n, i) => notes.set([n.pitch, n.velocity, n.startBeats, n.durationBeats], i * 4));
    const id = this.requestId;
    const detectedKey = this.name === 'melody' ? keyOfNotes(window.notes) : -1;
    const bars = Number(RESPONSE_BARS[this.options.values.responseBars!] ?? 2);
    return {
      type: 'music-request', id, kind: 'answer', notes, phraseStartBeat: 0, phraseLengthBeats: WINDOW_BEATS,
      targetStartBeat: WINDOW_BEATS, targetLengthBeats: bars * window.beatsPerBar, tempoBpm: window.tempoBpm, beatsPerBar: window.beatsPerBar,
      phraseStartTimeS: 0,
      settings: generationSettings(this.options.values, this.name, this.options.mode, requestSeed(this.options.seed, id), detectedKey),
    };
  }

  /** Sends the responder the updates the live processor sends while `window` is played ({@link liveUpdates}). */
  playLive(window: Phrase): void {
    for (const update of liveUpdates(window, this.name)) this.responder.update(update);
  }

  /**
   * The answer to the next window, as a 2-bar phrase (notes in beats from
   * the answer's start; a longer answer is cut at the window's end so the
   * answers stay in the windows' places).
   */
  answer(window: Phrase): Phrase {
    this.playLive(window);
    const response = this.responder.respond(this.request(window));
    this.requestId++;
    const notes = eventsToNotes(response.events ?? new Float64Array(0)).filter((n) => n.startBeats < WINDOW_BEATS);
    return { source: 'generated', notes, lengthBeats: WINDOW_BEATS, tempoBpm: window.tempoBpm, beatsPerBar: window.beatsPerBar };
  }
}
