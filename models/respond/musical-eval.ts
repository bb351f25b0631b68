/**
 * The musical evaluation of a model's answers (`deep-improv eval --musical`,
 * the `music.*` bench keys): held-out calls cut into consecutive 2-bar
 * windows, each answered as the plugin answers it ({@link WindowAnswerer}),
 * measured with models/eval/musical.ts beside the calls themselves and three
 * baselines — the echo (the call played back), a first-order Markov chain
 * fitted on the call, and samples from the model's prior shaped with the
 * same settings. Node only for the data loading.
 */
import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { defaultParameterValues, type ParameterValues } from '../../protocol/parameters.ts';
import type { Phrase } from '../../protocol/phrase.ts';
import type { ModelKind } from '../core/config.ts';
import { MusicalAccumulator, markovAnswer, type MusicalStats } from '../eval/musical.ts';
import { midiToPhrases } from '../midi/io.ts';
import { cutWindows } from '../midi/windows.ts';
import { WINDOW_BEATS, WINDOW_STEPS } from '../representation/grid.ts';
import { melodyTokensToPhrase } from '../representation/melody.ts';
import { seededUniform } from '../runtime/random.ts';
import type { ModelRuntime } from '../runtime/index.ts';
import { loadWindows, midiFiles } from '../training/data.ts';
import { DEFAULT_PRESET_SEED, eventsToNotes, requestSeed, WindowAnswerer, type AnswerMode } from './answer-windows.ts';
import type { ReplyStrategy } from './reply.ts';
import { shapeResponse } from './shape.ts';

/** Options of {@link evaluateAnswers}. */
export interface MusicalEvalOptions {
  /** Most calls answered, chosen evenly over the data (default 100). */
  limit: number;
  /** Default `call-response`. */
  mode: AnswerMode;
  /** Preset seed (default the plugin's). */
  seed: number;
  /** Parameter values (default the table's defaults). */
  values: ParameterValues;
  /** Reply strategy; when given it sets the `reply` parameter of `values`, else that parameter decides (default `variation`). */
  reply?: ReplyStrategy;
}

/** What {@link evaluateAnswers} measured. */
export interface MusicalReport {
  answers: MusicalStats;
  calls: MusicalStats;
  baselines: { echo: MusicalStats; markov: MusicalStats; prior: MusicalStats };
}

/**
 * Reads held-out performances as sequences of consecutive 2-bar windows
 * (empty windows kept, so neighbours stay neighbours): MIDI files (a folder,
 * honouring a Groove info.csv split) cut with the half-step look-back of
 * `reconstruct`, or the JSB JSON's chorale voices (each voice one sequence).
 * @throws Error when the path holds no usable data (see `loadWindows`).
 */
export function loadCallSequences(kind: ModelKind, dataPath: string, split: string): Phrase[][] {
  if (statSync(dataPath).isFile() && extname(dataPath).toLowerCase() === '.json') {
    const set = loadWindows(kind, dataPath, { split, hopSteps: WINDOW_STEPS });
    const sequences = new Map<number, Map<number, Phrase>>();
    for (const w of set.windows) {
      const seq = sequences.get(w.sequence) ?? new Map<number, Phrase>();
      seq.set(w.startStep / WINDOW_STEPS, { ...melodyTokensToPhrase(w.tokens!, w.velocity!, w.tempoBpm), source: 'file' });
      sequences.set(w.sequence, seq);
    }
    return [...sequences.values()].map((seq) => {
      const last = Math.max(...seq.keys());
      return Array.from({ length: last + 1 }, (_, k) => seq.get(k) ?? { source: 'file', notes: [], lengthBeats: WINDOW_BEATS, tempoBpm: 120, beatsPerBar: 4 });
    });
  }
  const files = midiFiles(dataPath, split);
  if (files.length === 0) throw new Error(`--data: no .mid/.midi files found in '${dataPath}' (split '${split}')`);
  return files.flatMap((file) => midiToPhrases(new Uint8Array(readFileSync(file)), kind).slice(0, 1).map(consecutiveWindows));
}

/**
 * Answers up to `limit` calls (windows with notes, chosen evenly over all
 * sequences, answered in order within a sequence by one answerer, so its
 * memory works as live) and measures answers, calls and baselines.
 * @throws Error when the data holds no window with notes.
 */
export function evaluateAnswers(model: ModelRuntime, sequences: readonly Phrase[][], options: Partial<MusicalEvalOptions> = {}): MusicalReport {
  const o: MusicalEvalOptions = { limit: 100, mode: 'call-response', seed: DEFAULT_PRESET_SEED, values: defaultParameterValues(), ...options };
  const candidates: Array<[number, number]> = [];
  sequences.forEach((seq, s) => seq.forEach((w, k) => { if (w.notes.length > 0) candidates.push([s, k]); }));
  if (candidates.length === 0) throw new Error('the data holds no 2-bar window with notes');
  const count = Math.min(o.limit, candidates.length);
  const chosen = Array.from({ length: count }, (_, i) => candidates[Math.floor((i * candidates.length) / count)]!);
  const drums = model.kind === 'drums';
  const answers = new MusicalAccumulator(drums);
  const calls = new MusicalAccumulator(drums);
  const markov = new MusicalAccumulator(drums);
  const prior = new MusicalAccumulator(drums);
  const random = seededUniform(o.seed ^ 0x4d41524b);
  let answerer: WindowAnswerer | null = null;
  let current = -1;
  chosen.forEach(([s, k], i) => {
    if (s !== current) {
      answerer = new WindowAnswerer(model, { mode: o.mode, seed: o.seed, values: o.values, reply: o.reply });
      current = s;
    }
    const call = sequences[s]![k]!;
    const next = sequences[s]![k + 1] ?? null;
    const answer = answerer!.answer(call);
    answers.add({ call, answer, next });
    calls.add({ call, answer: call, next });
    markov.add({ call, answer: markovAnswer(call, random, drums), next });
    const settings = answerer!.request(call).settings;
    const sampled = model.sample({ temperature: settings.temperature, seed: requestSeed(o.seed ^ 0x5052, i + 1), tempoBpm: call.tempoBpm }).phrase;
    const priorNotes = eventsToNotes(shapeResponse(sampled, settings, WINDOW_BEATS, drums));
    prior.add({ call, answer: { ...sampled, notes: priorNotes, tempoBpm: call.tempoBpm }, next });
  });
  const callStats = calls.summary();
  return { answers: answers.summary(), calls: callStats, baselines: { echo: callStats, markov: markov.summary(), prior: prior.summary() } };
}

/** The report as a table: one row per statistic, one column each for answers, calls and baselines. */
export function formatMusicalTable(name: string, report: MusicalReport): string {
  const columns: Array<[string, MusicalStats]> = [
    [`${name} answers`, report.answers], ['calls', report.calls], ['markov', report.baselines.markov], ['prior', report.baselines.prior],
  ];
  const keys = Object.keys(report.answers) as Array<keyof MusicalStats>;
  const rows = [['statistic', ...columns.map(([c]) => c)], ...keys.map((k) => [k, ...columns.map(([, s]) => (s[k] === null ? '-' : String(s[k])))])];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ')).join('\n');
}

/** Every 2-bar window of a phrase in order, the empty ones included (continuation compares window k with k + 1). */
function consecutiveWindows(phrase: Phrase): Phrase[] {
  const windows: Phrase[] = [];
  for (const w of cutWindows(phrase)) {
    while (windows.length < w.startBeats / WINDOW_BEATS) windows.push({ ...phrase, notes: [], lengthBeats: WINDOW_BEATS });
    windows.push(w.phrase);
  }
  return windows;
}
