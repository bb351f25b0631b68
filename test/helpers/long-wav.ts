/**
 * Writes long 16-bit stereo WAV files for the `analyze` memory test and
 * benchmark, one second at a time, so the writer itself never holds the whole
 * file in memory. Test and benchmark only.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

/** Left and right sample (16-bit integers) of frame `i` of the repeated second. */
export type StereoFrame = (i: number, sampleRate: number) => readonly [number, number];

/**
 * Writes `seconds` seconds of 16-bit stereo PCM at `sampleRate` Hz to `path`:
 * the 44-byte RIFF header, then the same one second of `frame` repeated.
 */
export function writeLongStereoWav(path: string, seconds: number, sampleRate: number, frame: StereoFrame): void {
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
    const [left, right] = frame(i, sampleRate);
    second.writeInt16LE(left, i * 4);
    second.writeInt16LE(right, i * 4 + 2);
  }
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, header);
    for (let s = 0; s < seconds; s++) writeSync(fd, second);
  } finally {
    closeSync(fd);
  }
}
