/**
 * The command line's resource use: the peak memory (RSS high-water mark) of
 * a child process running `deep-improv analyze` on a 30-minute 48 kHz
 * 16-bit stereo WAV (330 MB) written to a temporary folder and deleted
 * afterwards. Streaming keeps it constant: the target is ≤ 200 MB.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeLongStereoWav, type StereoFrame } from '../test/helpers/long-wav.ts';

/** What the section measures. */
export interface CliBench {
  /** Peak RSS of `analyze` on the 30-minute file, MB (2^20 bytes). */
  analyze_peak_mb: number;
  /** The file's size, MB. */
  analyze_file_mb: number;
}

const root = fileURLToPath(new URL('../', import.meta.url));

/** A tone chord: 220 + 277.2 Hz left, 330 + 440 Hz right. */
const toneChord: StereoFrame = (i, sampleRate) => {
  const t = i / sampleRate;
  return [
    Math.round(6000 * (Math.sin(2 * Math.PI * 220 * t) + Math.sin(2 * Math.PI * 277.2 * t))),
    Math.round(6000 * (Math.sin(2 * Math.PI * 330 * t) + Math.sin(2 * Math.PI * 440 * t))),
  ];
};

/** Measures `analyze`'s peak memory on a generated 30-minute file (CSV to /dev/null, default frame and hop). */
export async function benchCli(seconds = 30 * 60, sampleRate = 48000): Promise<CliBench> {
  const dir = mkdtempSync(join(tmpdir(), 'deep-improv-bench-cli-'));
  try {
    const path = join(dir, 'long.wav');
    writeLongStereoWav(path, seconds, sampleRate, toneChord);
    // The child reports its own high-water mark (getrusage ru_maxrss) as it exits.
    const hook = 'data:text/javascript,process.on("exit",()=>process.stderr.write("\\nmaxrss_kb="+process.resourceUsage().maxRSS))';
    const r = spawnSync(process.execPath, ['--import', hook, 'bin/deep-improv.js', 'analyze', path], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`analyze exited with ${r.status}: ${r.stderr}`);
    const match = /maxrss_kb=(\d+)/.exec(r.stderr);
    if (!match) throw new Error(`analyze did not report its peak memory: ${r.stderr}`);
    return { analyze_peak_mb: Number(match[1]) / 1024, analyze_file_mb: (44 + seconds * sampleRate * 4) / 2 ** 20 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
