/**
 * Training and evaluation data: reads a folder of MIDI files (recursively), a
 * single MIDI file, or the JSB Chorales "separated" JSON, and cuts it into
 * 2-bar windows. Node only (reads files); never imported by the runtime.
 */
import { createHash, type Hash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import type { ModelKind } from '../core/config.ts';
import { midiToPhrases } from '../midi/io.ts';
import { DRUM_FEATURES, drumsToGrid } from '../representation/drums.ts';
import { STEPS_PER_BAR, STEPS_PER_BEAT, WINDOW_STEPS } from '../representation/grid.ts';
import { writeMelodyFeatures } from '../representation/features.ts';
import { MAX_PITCH, MIN_PITCH, notesToVoice, voiceFromPitches, voiceToTokens, type Voice } from '../representation/melody.ts';

/** One 2-bar window. Drums keep their grid; melodies their tokens and velocities. */
export interface Window {
  /** Drums: `32 × 27` grid. Melody: undefined. */
  grid?: Float32Array;
  /** Melody: class per step. */
  tokens?: Int16Array;
  /** Melody: note-on velocity per step (0–1). */
  velocity?: Float32Array;
  /** Index of the source sequence (file, or chorale voice). */
  sequence: number;
  /** First step of the window within its sequence. */
  startStep: number;
  /** Tempo of the source, in BPM (120 when unknown). */
  tempoBpm: number;
}

/** A set of windows of one kind. */
export interface WindowSet {
  kind: ModelKind;
  windows: Window[];
  /** Human-readable description of where the data came from. */
  source: string;
  /** Number of source sequences read. */
  sequences: number;
  /**
   * What the windows were read from, as a SHA-256 (hex) of the kind, split,
   * hop and every file read (its path relative to `--data`, size and bytes):
   * the same data gives the same fingerprint wherever the folder lies.
   */
  fingerprint: string;
}

/** A hash of what {@link loadWindows} reads, started with the reading parameters. */
function dataHash(kind: ModelKind, split: string, hop: number): Hash {
  return createHash('sha256').update(JSON.stringify({ kind, split, hop }));
}

/** Adds one file read to a data hash. */
function hashFile(hash: Hash, name: string, bytes: Uint8Array): void {
  hash.update(`\0${name}\0${bytes.length}\0`).update(bytes);
}

/** How to read data. */
export interface LoadOptions {
  /**
   * Split to read where the data names splits: Groove's info.csv `split`
   * column (`train`, `validation`, `test`) or the JSB JSON's keys (`train`,
   * `valid`; `validation` is accepted for `valid`). Default `train`.
   */
  split?: string;
  /** Hop between windows, in steps (default 16: one bar, as MusicVAE). */
  hopSteps?: number;
}

/**
 * Reads windows from a folder, a `.mid`/`.midi` file or a JSB JSON file.
 * @throws Error when the path does not exist, holds no usable file, or the JSON is not the JSB form.
 */
export function loadWindows(kind: ModelKind, dataPath: string, options: LoadOptions = {}): WindowSet {
  if (!existsSync(dataPath)) throw new Error(`--data: expected a folder, a .mid/.midi file or a JSB .json file, but '${dataPath}' does not exist`);
  const split = options.split ?? 'train';
  const hop = options.hopSteps ?? STEPS_PER_BAR;
  if (statSync(dataPath).isFile() && extname(dataPath).toLowerCase() === '.json') {
    if (kind !== 'melody') throw new Error(`--data: a JSB .json file holds melodies, but --kind is '${kind}'`);
    return jsbWindows(dataPath, split, hop);
  }
  const files = midiFiles(dataPath, split);
  if (files.length === 0) throw new Error(`--data: no .mid/.midi files found in '${dataPath}'${split ? ` (split '${split}')` : ''}`);
  const windows: Window[] = [];
  const hash = dataHash(kind, split, hop);
  let sequence = 0;
  for (const file of files) {
    let phrases;
    try {
      const bytes = new Uint8Array(readFileSync(file));
      hashFile(hash, relative(dataPath, file).split('\\').join('/'), bytes);
      phrases = midiToPhrases(bytes, kind);
    } catch (error) {
      throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    for (const phrase of phrases) {
      const steps = Math.ceil(phrase.lengthBeats * STEPS_PER_BEAT);
      if (kind === 'drums') {
        const grid = drumsToGrid(phrase.notes, steps);
        cutWindows(steps, hop, (start) => {
          const w = grid.slice(start * DRUM_FEATURES, (start + WINDOW_STEPS) * DRUM_FEATURES);
          const full = new Float32Array(WINDOW_STEPS * DRUM_FEATURES);
          full.set(w);
          if (hitCount(full) > 0) windows.push({ grid: full, sequence, startStep: start, tempoBpm: phrase.tempoBpm });
        });
      } else {
        pushMelodyWindows(windows, notesToVoice(phrase.notes, steps), sequence, hop, phrase.tempoBpm);
      }
      sequence++;
    }
  }
  return { kind, windows, source: `${dataPath} (${files.length} files${existsSync(join(dataPath, 'info.csv')) ? `, split ${split}` : ''})`, sequences: sequence, fingerprint: hash.digest('hex') };
}

function cutWindows(steps: number, hop: number, take: (start: number) => void): void {
  // A window needs at least one full bar of material; the rest is padded with silence.
  for (let start = 0; start + STEPS_PER_BAR <= steps; start += hop) take(start);
}

function hitCount(grid: Float32Array): number {
  let n = 0;
  for (let i = 0; i < grid.length; i += DRUM_FEATURES) for (let c = 0; c < 9; c++) n += grid[i + c]!;
  return n;
}

function pushMelodyWindows(windows: Window[], voice: Voice, sequence: number, hop: number, tempoBpm: number): void {
  cutWindows(voice.pitch.length, hop, (start) => {
    const { tokens, velocity } = voiceToTokens(voice, start, WINDOW_STEPS);
    if (tokens.some((t) => t >= 2)) windows.push({ tokens, velocity, sequence, startStep: start, tempoBpm });
  });
}

/** Lists MIDI files under a folder (or the file itself), honouring a Groove-style info.csv split column. */
export function midiFiles(path: string, split: string): string[] {
  if (statSync(path).isFile()) {
    if (!/\.midi?$/i.test(path)) throw new Error(`--data: expected a .mid/.midi file, a folder or a JSB .json file, got '${path}'`);
    return [path];
  }
  const csv = join(path, 'info.csv');
  if (existsSync(csv)) {
    const lines = readFileSync(csv, 'utf8').trim().split(/\r?\n/);
    const header = lines[0]!.split(',');
    const fileCol = header.indexOf('midi_filename');
    const splitCol = header.indexOf('split');
    const meterCol = header.indexOf('time_signature');
    if (fileCol >= 0 && splitCol >= 0) {
      // The Groove info.csv has no quoted fields. The grid is 4/4, so other metres are left out.
      return lines
        .slice(1)
        .map((line) => line.split(','))
        .filter((cols) => cols[splitCol] === split && (meterCol < 0 || cols[meterCol] === '4-4'))
        .map((cols) => join(path, cols[fileCol]!))
        .filter((f) => existsSync(f))
        .sort();
    }
  }
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.midi?$/i.test(name)) out.push(p);
    }
  };
  walk(path);
  return out;
}

function jsbWindows(path: string, split: string, hop: number): WindowSet {
  let data: unknown;
  const bytes = new Uint8Array(readFileSync(path));
  try {
    data = JSON.parse(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes));
  } catch (error) {
    throw new Error(`${path}: expected JSON, ${error instanceof Error ? error.message : String(error)}`);
  }
  const key = split === 'validation' ? 'valid' : split;
  const record = data as Record<string, unknown>;
  const chorales = record && typeof record === 'object' ? record[key] : undefined;
  if (!Array.isArray(chorales)) {
    throw new Error(`${path}: expected the JSB "separated" form {"train": [...], "valid": [...]} with a '${key}' list of chorales, found keys ${JSON.stringify(Object.keys(record ?? {}))}`);
  }
  const windows: Window[] = [];
  let sequence = 0;
  for (const chorale of chorales as unknown[][]) {
    if (!Array.isArray(chorale)) throw new Error(`${path}: each chorale must be a list of steps, got ${typeof chorale}`);
    const voices = chorale.reduce<number>((m, s) => Math.max(m, Array.isArray(s) ? s.length : 0), 0);
    for (let v = 0; v < voices; v++) {
      const pitches = chorale.map((s) => (Array.isArray(s) && typeof s[v] === 'number' ? (s[v] as number) : -1));
      pushMelodyWindows(windows, voiceFromPitches(pitches), sequence++, hop, 120);
    }
  }
  const hash = dataHash('melody', split, hop);
  hashFile(hash, '', bytes);
  return { kind: 'melody', windows, source: `${path} (${key}: ${chorales.length} chorales)`, sequences: sequence, fingerprint: hash.digest('hex') };
}

/**
 * Writes the model input of one window into `out` at `offset` (`32 × inputSize` floats).
 * Melodies may be transposed by `semitones` (note-ons that would leave 21…108 are kept as they are:
 * callers choose a shift that fits, see {@link transpositionRange}).
 */
export function writeFeatures(kind: ModelKind, w: Window, out: Float32Array, offset: number, semitones = 0): void {
  if (kind === 'drums') {
    out.set(w.grid!, offset);
    return;
  }
  writeMelodyFeatures(w.tokens!, w.velocity!, out, offset, semitones);
}

/** Lowest and highest transposition (semitones) that keeps a melody window inside 21…108. */
export function transpositionRange(w: Window): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const cls of w.tokens ?? []) {
    if (cls >= 2) {
      lo = Math.min(lo, cls - 2 + MIN_PITCH);
      hi = Math.max(hi, cls - 2 + MIN_PITCH);
    }
  }
  return lo === Infinity ? [0, 0] : [MIN_PITCH - lo, MAX_PITCH - hi];
}

/** Pairs of windows `[i, j]` where j starts 2 bars after i in the same sequence (for the latent transition). */
export function consecutivePairs(set: WindowSet): Array<[number, number]> {
  const index = new Map<string, number>();
  set.windows.forEach((w, i) => index.set(`${w.sequence}:${w.startStep}`, i));
  const pairs: Array<[number, number]> = [];
  set.windows.forEach((w, i) => {
    const j = index.get(`${w.sequence}:${w.startStep + WINDOW_STEPS}`);
    if (j !== undefined) pairs.push([i, j]);
  });
  return pairs;
}
