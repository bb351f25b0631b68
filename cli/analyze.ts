/**
 * `deep-improv analyze <file.wav> [--frame N] [--hop N] [--format csv|jsonl]`
 *
 * Runs the plugin's own FeatureEngine over a WAV file (mixed to mono, as
 * float32) and writes one row per analysis frame to stdout: `time_s`, then
 * FEATURE_NAMES (definitions: docs/features.md). Frames are the engine's
 * causal frames: frame k covers samples [k·hop, k·hop + frame) and
 * `time_s = k·hop / sr`; only complete frames are written (as live, so a file
 * shorter than one frame gives none). After the rows comes a summary: tempo
 * (BPM, 0 = unknown), key, frame count, detected notes and drum hits — in CSV
 * as `#` comment lines, in JSONL as one `{"summary": …}` object.
 *
 * The file is read in fixed-size chunks and rows are written as they come,
 * so memory stays constant whatever the file's length; what is not a
 * regular file (a FIFO, a device) is refused.
 */
import { FeatureEngine } from '../dsp/features/feature-engine.ts';
import { FEATURE_NAMES } from '../dsp/features/feature-names.ts';
import { resolveFeatureEngineOptions } from '../dsp/features/feature-engine-options.ts';
import type { FeatureSink } from '../dsp/features/feature-sink.ts';
import { WavReader } from './wav.ts';
import { ANALYSIS_FRAME_SIZE, ANALYSIS_HOP_SIZE } from '../protocol/features.ts';

const USAGE = 'usage: deep-improv analyze <file.wav> [--frame N] [--hop N] [--format csv|jsonl]';

/** Parsed command line. */
export interface AnalyzeArgs {
  file: string;
  frameSize: number;
  hopSize: number;
  format: 'csv' | 'jsonl';
}

function integerOption(name: string, value: string | undefined): number {
  if (value === undefined) throw new Error(`${name} needs a value (a power of two)\n${USAGE}`);
  if (!/^\d+$/.test(value)) throw new Error(`${name} must be a positive integer (a power of two); got '${value}'`);
  return Number(value);
}

/**
 * Parses the arguments after `analyze`.
 * @throws Error with the usage line for a missing file, an unknown option or a bad value.
 */
export function parseAnalyzeArgs(argv: string[]): AnalyzeArgs {
  let file: string | undefined;
  let frameSize = ANALYSIS_FRAME_SIZE;
  let hopSize = ANALYSIS_HOP_SIZE;
  let format: 'csv' | 'jsonl' = 'csv';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--frame') frameSize = integerOption('--frame', argv[++i]);
    else if (arg === '--hop') hopSize = integerOption('--hop', argv[++i]);
    else if (arg === '--format') {
      const value = argv[++i];
      if (value !== 'csv' && value !== 'jsonl') throw new Error(`--format must be csv or jsonl; got '${value ?? ''}'`);
      format = value;
    } else if (arg.startsWith('-')) throw new Error(`unknown option '${arg}'\n${USAGE}`);
    else if (file === undefined) file = arg;
    else throw new Error(`one input file expected; got '${file}' and '${arg}'\n${USAGE}`);
  }
  if (file === undefined) throw new Error(`no input file\n${USAGE}`);
  return { file, frameSize, hopSize, format };
}

/** Shortest decimal that reads back as the same float32 (≤ 9 significant digits). */
function f32(value: number): string {
  for (let digits = 6; digits < 9; digits++) {
    const s = value.toPrecision(digits);
    if (Math.fround(Number(s)) === value) return String(Number(s));
  }
  return String(Number(value.toPrecision(9)));
}

/** Set when stdout's reader went away (e.g. `| head`): stop writing, exit quietly. */
let stdoutClosed = false;

/** Writes text to stdout, waiting when the pipe is full. */
async function write(text: string): Promise<void> {
  if (stdoutClosed) return;
  if (!process.stdout.write(text)) {
    await new Promise<void>((resolve) => {
      process.stdout.once('drain', resolve);
      process.stdout.once('close', resolve);
    });
  }
}

/** Engine option names as the command line spells them. */
const FLAGS: Record<string, string> = { frameSize: '--frame', hopSize: '--hop' };

/** Runs the command; resolves to the exit code. */
export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const args = parseAnalyzeArgs(argv);
  // Check --frame/--hop before reading the file, in the flags' own words.
  try {
    resolveFeatureEngineOptions({ frameSize: args.frameSize, hopSize: args.hopSize });
  } catch (error) {
    const message = (error as Error).message.replace(/^FeatureEngine: /, '').replace(/\b(frameSize|hopSize)\b/g, (m) => FLAGS[m]);
    throw new Error(message);
  }
  const reader = WavReader.open(args.file);
  try {
    return await analyzeStream(reader, args);
  } finally {
    reader.close();
  }
}

/** Runs the engine over the reader's chunks, writing rows as they come and the summary at the end. */
async function analyzeStream(reader: WavReader, args: AnalyzeArgs): Promise<number> {
  const audio = reader.format;
  if (audio.sampleRate < 22050 || audio.sampleRate > 192000) {
    throw new Error(`${args.file}: sample rate ${audio.sampleRate} Hz is not supported (22050–192000 Hz)`);
  }
  stdoutClosed = false;
  const onStdoutError = (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') stdoutClosed = true;
    else throw error;
  };
  process.stdout.on('error', onStdoutError);
  const engine = new FeatureEngine({ sampleRate: audio.sampleRate, frameSize: args.frameSize, hopSize: args.hopSize });
  const { sampleRate, hopSize } = engine;
  const names = FEATURE_NAMES;
  let out = args.format === 'csv' ? `time_s,${names.join(',')}\n` : '';
  let pending = 0;
  let notes = 0;
  let drumHits = 0;
  let samplesRead = 0;
  const rows: string[] = [];
  const sink: FeatureSink = {
    onFrame(k, features) {
      const time = String((k * hopSize) / sampleRate);
      if (args.format === 'csv') {
        let line = time;
        for (let j = 0; j < features.length; j++) line += `,${f32(features[j])}`;
        rows.push(line);
      } else {
        let line = `{"time_s":${time}`;
        for (let j = 0; j < features.length; j++) line += `,"${names[j]}":${f32(features[j])}`;
        rows.push(`${line}}`);
      }
    },
    onNote() {
      notes++;
    },
    onDrumHit() {
      drumHits++;
    },
  };
  // The engine is fed 8192 samples at a time (the reader's chunks are a multiple of it).
  const push = 8192;
  for (let samples = reader.read(); samples.length > 0 && !stdoutClosed; samples = reader.read()) {
    samplesRead += samples.length;
    for (let i = 0; i < samples.length && !stdoutClosed; i += push) {
      engine.push(samples, i, Math.min(samples.length, i + push), sink);
      if (rows.length >= 512) {
        out += `${rows.join('\n')}\n`;
        rows.length = 0;
        pending++;
      }
      if (pending > 0) {
        await write(out);
        out = '';
        pending = 0;
      }
    }
  }
  engine.flush(sink);
  if (rows.length > 0) out += `${rows.join('\n')}\n`;
  const summary = {
    tempo_bpm: Number(engine.tempoBpm.toFixed(2)),
    key: engine.keyName(),
    key_index: engine.keyIndex,
    frames: engine.framesEmitted,
    duration_s: Number((samplesRead / sampleRate).toFixed(6)),
    sample_rate_hz: sampleRate,
    channels: audio.channels,
    frame_size: engine.frameSize,
    hop_size: hopSize,
    notes,
    drum_hits: drumHits,
    non_finite_samples: engine.nonFiniteCount,
  };
  if (args.format === 'csv') {
    out += `# summary: ${Object.entries(summary)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}\n`;
  } else {
    out += `${JSON.stringify({ summary })}\n`;
  }
  await write(out);
  process.stdout.off('error', onStdoutError);
  return 0;
}
