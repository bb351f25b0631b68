/** Builds small test WAV files in memory. */

/**
 * A mono 16-bit PCM WAV file of a sine tone.
 * @param seconds Length in seconds.
 * @param hz Frequency in Hz.
 * @param amplitude Peak, 0–1.
 * @param sampleRate Samples per second (default 48000).
 */
export function sineWav(seconds: number, hz: number, amplitude: number, sampleRate = 48_000): Buffer {
  const frames = Math.round(seconds * sampleRate);
  const out = Buffer.alloc(44 + frames * 2);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + frames * 2, 4);
  out.write('WAVE', 8, 'ascii');
  out.write('fmt ', 12, 'ascii');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20); // PCM
  out.writeUInt16LE(1, 22); // mono
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(frames * 2, 40);
  for (let i = 0; i < frames; i++) {
    out.writeInt16LE(Math.round(32767 * amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRate)), 44 + i * 2);
  }
  return out;
}
