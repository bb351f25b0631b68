/**
 * The command line's resource use: the peak memory (RSS high-water mark) of
 * a child process running `deep-improv analyze` on a 30-minute 48 kHz
 * 16-bit stereo WAV (330 MB) written to a temporary folder and deleted
 * afterwards. Streaming keeps it constant: the target is ≤ 200 MB.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the section measures. */
export interface CliBench {
  /** Peak RSS of `analyze` on the 30-minute file, MB (2^20 bytes). */
  analyze_peak_mb: number;
  /** The file's size, MB. */
  analyze_file_mb: number;
}

const root = fileURLToPath(new URL('../', import.meta.url));

/** Writes a 16-bit stereo WAV of `seconds` of a tone chord, one second at a time. */
function writeToneWav(path: string, seconds: number, sampleRate: number): void {
  const dataBytes = seconds * sampleRate * 4;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(2, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 4, 28);
  header.writeUInt16LE(4, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(dataBytes, 40);
  const second = Buffer.alloc(sampleRate * 4);
  for (let i = 0; i < sampleRate; i++) {
    const t = i / sampleRate;
    second.writeInt16LE(Math.round(6000 * (Math.sin(2 * Math.PI * 220 * t) + Math.sin(2 * Math.PI * 277.2 * t))), i * 4);
    second.writeInt16LE(Math.round(6000 * (Math.sin(2 * Math.PI * 330 * t) + Math.sin(2 * Math.PI * 440 * t))), i * 4 + 2);
  }
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, header);
    for (let s = 0; s < seconds; s++) writeSync(fd, second);
  } finally {
    closeSync(fd);
  }
}

/** Measures `analyze`'s peak memory on a generated 30-minute file (CSV to /dev/null, default frame and hop). */
export async function benchCli(seconds = 30 * 60, sampleRate = 48000): Promise<CliBench> {
  const dir = mkdtempSync(join(tmpdir(), 'deep-improv-bench-cli-'));
  try {
    const path = join(dir, 'long.wav');
    writeToneWav(path, seconds, sampleRate);
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
