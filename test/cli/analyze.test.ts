/**
 * `deep-improv analyze`: runs the real command on WAV files written to a temp
 * directory (16-bit, 24-bit stereo, 32-bit float) and checks the columns,
 * frame count, times, values (identical to the engine on the same float32
 * samples), the summary, and clear errors for bad files and arguments;
 * the streaming reader against wavefile's decoding, memory that does not grow
 * with the file, and FIFOs and devices refused without blocking.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import wavefile from 'wavefile';
import { FEATURE_NAMES } from '../../dsp/features/feature-names.ts';
import { decodeWav, readWav } from '../../cli/wav.ts';
import { parseAnalyzeArgs } from '../../cli/analyze.ts';
import { main } from '../../cli/main.ts';
import { writeLongStereoWav, type StereoFrame } from '../helpers/long-wav.ts';
import { runEngine } from '../helpers/signals.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'deep-improv-analyze-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a WAV with wavefile; `channels` arrays of samples in the given encoding's units. */
function writeWav(name: string, sampleRate: number, depth: string, channels: number[][]): string {
  const wav = new wavefile.WaveFile();
  wav.fromScratch(channels.length, sampleRate, depth, channels.length === 1 ? channels[0] : channels);
  const path = join(dir, name);
  writeFileSync(path, wav.toBuffer());
  return path;
}

/** A 2 s test tune: 4 tones with gaps, as floats in [−1, 1). */
function tune(sampleRate: number): number[] {
  const x: number[] = [];
  for (let i = 0; i < 2 * sampleRate; i++) {
    const t = i / sampleRate;
    const f = [262, 330, 392, 523][Math.floor(t / 0.5)];
    x.push(t % 0.5 < 0.4 ? 0.5 * Math.sin(2 * Math.PI * f * t) : 0);
  }
  return x;
}

function analyze(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/deep-improv.js', 'analyze', ...args], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('CSV: header, one row per complete frame, time_s = k·hop/sr, values equal the engine, summary', () => {
  const sr = 44100;
  const ints = tune(sr).map((v) => Math.round(v * 32767));
  const path = writeWav('tune16.wav', sr, '16', [ints]);
  const r = analyze([path]);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines[0], ['time_s', ...FEATURE_NAMES].join(','));
  const rows = lines.filter((l) => !l.startsWith('#')).slice(1);
  const expectedFrames = Math.floor((ints.length - 2048) / 512) + 1;
  assert.equal(rows.length, expectedFrames);
  // The same float32 samples through the engine directly.
  const samples = readWav(path).samples;
  const direct = runEngine(samples, { sampleRate: sr }, 8192);
  rows.forEach((row, k) => {
    const cells = row.split(',').map(Number);
    assert.equal(cells.length, 1 + FEATURE_NAMES.length);
    assert.ok(Math.abs(cells[0] - (k * 512) / sr) < 1e-12, `time_s of row ${k}`);
    for (let j = 0; j < FEATURE_NAMES.length; j++) assert.equal(Math.fround(cells[j + 1]), direct.frames[k][j], `row ${k} ${FEATURE_NAMES[j]}`);
  });
  const summary = lines[lines.length - 1];
  assert.match(summary, /^# summary: tempo_bpm=[\d.]+, key=[A-G][#b]? (major|minor), key_index=\d+, frames=\d+/);
  assert.match(summary, new RegExp(`frames=${expectedFrames}, duration_s=2, sample_rate_hz=44100, channels=1`));
});

test('JSONL, 24-bit stereo mixed to mono, custom --frame/--hop: rows and a summary object', () => {
  const sr = 48000;
  const left = tune(sr).map((v) => Math.round(v * 8388607));
  const right = left.map((v) => -v); // mixes to silence
  const silentPath = writeWav('cancel24.wav', sr, '24', [left, right]);
  const r = analyze([silentPath, '--format', 'jsonl', '--frame', '1024', '--hop', '256']);
  assert.equal(r.status, 0, r.stderr);
  const objects = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
  const rows = objects.filter((o) => 'time_s' in o);
  assert.equal(rows.length, Math.floor((left.length - 1024) / 256) + 1);
  assert.deepEqual(Object.keys(rows[0]), ['time_s', ...FEATURE_NAMES]);
  assert.ok(rows.every((row) => row.rms === 0), 'left + (−left) mixes to silence');
  const summary = objects[objects.length - 1].summary;
  assert.equal(summary.channels, 2);
  assert.equal(summary.frame_size, 1024);
  assert.equal(summary.hop_size, 256);
  assert.equal(summary.tempo_bpm, 0);
  assert.equal(summary.key, 'unknown');
});

test('32-bit float WAV: the tune gives notes and a key; stdout closed early is not an error', () => {
  const sr = 44100;
  const path = writeWav('tune32f.wav', sr, '32f', [tune(sr)]);
  const r = analyze([path, '--format', 'jsonl']);
  assert.equal(r.status, 0, r.stderr);
  const summary = JSON.parse(r.stdout.trimEnd().split('\n').pop()!).summary;
  assert.equal(summary.notes, 4);
  assert.notEqual(summary.key, 'unknown');
  const piped = spawnSync('sh', ['-c', `node bin/deep-improv.js analyze '${path}' | head -1`], { cwd: root, encoding: 'utf8' });
  assert.equal(piped.stdout.trim().split(',')[0], 'time_s');
  assert.equal(piped.stderr, '');
});

test('WAV decoding: PCM 8/16/24/32 and float scale to [−1, 1); stereo is averaged', () => {
  const bytes = (channels: number, depth: string, data: number[] | number[][]) => {
    const w = new wavefile.WaveFile();
    w.fromScratch(channels, 48000, depth, data);
    return w.toBuffer();
  };
  assert.deepEqual(Array.from(decodeWav(bytes(1, '8', [0, 128, 192])).samples), [-1, 0, 0.5]);
  assert.deepEqual(Array.from(decodeWav(bytes(1, '16', [-32768, 0, 16384])).samples), [-1, 0, 0.5]);
  assert.deepEqual(Array.from(decodeWav(bytes(1, '24', [-8388608, 4194304])).samples), [-1, 0.5]);
  assert.deepEqual(Array.from(decodeWav(bytes(1, '32', [-2147483648, 1073741824])).samples), [-1, 0.5]);
  assert.deepEqual(Array.from(decodeWav(bytes(1, '32f', [0.25, -0.75])).samples), [0.25, -0.75]);
  assert.deepEqual(Array.from(decodeWav(bytes(2, '16', [[16384, 0], [0, -16384]])).samples), [0.25, -0.25]);
  assert.equal(decodeWav(bytes(1, '64', [0.5])).encoding, '64f');
});

test('bad files and arguments give clear errors and exit code 1', async () => {
  const notWav = join(dir, 'notes.txt');
  writeFileSync(notWav, 'these are not samples');
  const alaw = writeWav('alaw.wav', 8000, '8a', [[1, 2, 3]]);
  const lowRate = writeWav('low.wav', 8000, '16', [[0, 1, 2, 3]]);
  const cases: [string[], RegExp][] = [
    [[], /no input file\nusage: deep-improv analyze/],
    [[join(dir, 'missing.wav')], /cannot read '.*missing\.wav': no such file/],
    [[dir], /it is a directory/],
    [[notWav], /not a WAV file \(expected a RIFF\/RIFX\/RF64 header with WAVE, found "these are no"\)/],
    [[alaw], /unsupported WAV encoding \(format code 6, 8 bits per sample\); expected PCM 8\/16\/24\/32-bit integer or IEEE float 32\/64-bit/],
    [[lowRate], /sample rate 8000 Hz is not supported \(22050–192000 Hz\)/],
    [[lowRate, '--frame', '1000'], /--frame must be a power of two \(256, 512, … 32768\); got 1000/],
    [[lowRate, '--hop', '4096'], /--hop \(4096\) must not exceed --frame \(2048\)/],
    [[lowRate, '--hop'], /--hop needs a value/],
    [[lowRate, '--format', 'xml'], /--format must be csv or jsonl; got 'xml'/],
    [[lowRate, '--bogus'], /unknown option '--bogus'/],
    [[lowRate, lowRate], /one input file expected/],
  ];
  const errors: string[] = [];
  const original = console.error;
  console.error = (message: string) => errors.push(String(message));
  try {
    for (const [args, expected] of cases) {
      errors.length = 0;
      const code = await main(['analyze', ...args]);
      assert.equal(code, 1, args.join(' '));
      assert.match(errors.join('\n'), expected);
      assert.match(errors[0], /^deep-improv analyze: /);
    }
  } finally {
    console.error = original;
  }
  assert.deepEqual(parseAnalyzeArgs(['x.wav', '--frame', '4096', '--hop', '1024', '--format', 'jsonl']), { file: 'x.wav', frameSize: 4096, hopSize: 1024, format: 'jsonl' });
});

/** The mono samples wavefile decodes from WAV bytes (the reference the streaming reader must match). */
function wavefileMono(bytes: Uint8Array): Float32Array {
  const wav = new wavefile.WaveFile();
  wav.fromBuffer(bytes);
  const fmt = wav.fmt as { numChannels: number; bitsPerSample: number; audioFormat: number };
  const raw = wav.getSamples(true, Float64Array) as unknown as Float64Array;
  const channels = fmt.numChannels;
  const isFloat = fmt.audioFormat === 3;
  const scale = isFloat ? 1 : 1 / 2 ** (fmt.bitsPerSample - 1);
  const offset = !isFloat && fmt.bitsPerSample === 8 ? 128 : 0;
  const out = new Float32Array(Math.floor(raw.length / channels));
  for (let i = 0; i < out.length; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += raw[i * channels + c] - offset;
    out[i] = (sum / channels) * scale;
  }
  return out;
}

test('the streaming reader gives wavefile\'s samples, across chunk boundaries, for every encoding and RIFX', () => {
  const sr = 44100;
  const x = Array.from({ length: 150_001 }, (_, i) => 0.6 * Math.sin(i * 0.01) + 0.3 * Math.sin(i * 0.37));
  const cases: [string, number, number, string?][] = [
    ['8', 1, 127],
    ['16', 2, 32767],
    ['24', 2, 8388607],
    ['32', 1, 2147483647],
    ['32f', 2, 0],
    ['64', 1, 0],
    ['16', 2, 32767, 'RIFX'],
  ];
  for (const [depth, channels, full, container] of cases) {
    const data = x.map((v) => (full ? Math.round(v * full) + (depth === '8' ? 128 : 0) : v));
    const w = new wavefile.WaveFile();
    w.fromScratch(channels, sr, depth, channels === 1 ? data : [data, data.map((v, i) => (i % 3 === 0 ? v : data[data.length - 1 - i]))], container ? { container } : undefined);
    const bytes = w.toBuffer();
    const path = join(dir, `ref-${depth}-${channels}-${container ?? 'RIFF'}.wav`);
    writeFileSync(path, bytes);
    const expected = wavefileMono(bytes);
    assert.deepEqual(decodeWav(bytes).samples, expected, `${depth} ×${channels} ${container ?? ''} in memory`);
    assert.deepEqual(readWav(path).samples, expected, `${depth} ×${channels} ${container ?? ''} streamed`);
  }
});

/** A 440 Hz tone, inverted on the right channel. */
const tone: StereoFrame = (i, sampleRate) => {
  const v = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / sampleRate));
  return [v, -v];
};

/** Peak RSS (MB) of `deep-improv analyze` on a file, measured by the child itself at exit. */
function analyzePeakMb(path: string): number {
  const hook = 'data:text/javascript,process.on("exit",()=>process.stderr.write("\\nmaxrss_kb="+process.resourceUsage().maxRSS))';
  const r = spawnSync(process.execPath, ['--import', hook, 'bin/deep-improv.js', 'analyze', path, '--frame', '2048', '--hop', '2048'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  assert.equal(r.status, 0, r.stderr);
  return Number(/maxrss_kb=(\d+)/.exec(r.stderr)![1]) / 1024;
}

test('analyze streams: its peak memory does not grow with the file', () => {
  const small = join(dir, 'long-1s.wav');
  const large = join(dir, 'long-240s.wav');
  writeLongStereoWav(small, 1, 48000, tone);
  writeLongStereoWav(large, 240, 48000, tone); // 46 MB
  const base = analyzePeakMb(small);
  const peak = analyzePeakMb(large);
  rmSync(large);
  assert.ok(peak - base < 30, `a 46 MB file raised the peak from ${base.toFixed(0)} to ${peak.toFixed(0)} MB`);
});

test('a FIFO and a device are refused before they are opened, without blocking', async () => {
  const fifo = join(dir, 'pipe.wav');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const errors: string[] = [];
  const original = console.error;
  console.error = (message: string) => errors.push(String(message));
  try {
    assert.equal(await main(['analyze', fifo]), 1);
    assert.match(errors.join('\n'), /cannot read '.*pipe\.wav': it is not a regular file \(a FIFO\); expected a \.wav file/);
    errors.length = 0;
    assert.equal(await main(['analyze', '/dev/zero']), 1);
    assert.match(errors.join('\n'), /cannot read '\/dev\/zero': it is not a regular file \(a device\)/);
  } finally {
    console.error = original;
  }
});
