/**
 * zlib `deflate` (RFC 1950/1951) through the platform's CompressionStream,
 * available in browsers, workers and Node 18+. The zlib wrapper's Adler-32
 * also catches corrupt compressed pages on decode.
 */

/** True when this platform can compress (the writer stores pages raw otherwise). */
export function canDeflate(): boolean {
  return typeof CompressionStream === 'function' && typeof DecompressionStream === 'function';
}

async function pipe(data: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const writer = stream.writable.getWriter();
  // Write and read at the same time: awaiting the write first could stall on backpressure.
  const written = writer.write(data as Uint8Array<ArrayBuffer>).then(() => writer.close());
  // A corrupt input fails the read below; this keeps the write side's rejection from going unhandled.
  written.catch(() => undefined);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = stream.readable.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.length;
  }
  await written;
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** Compresses with zlib deflate. */
export function deflate(data: Uint8Array): Promise<Uint8Array> {
  return pipe(data, new CompressionStream('deflate'));
}

/** Input is fed to the decompressor in slices this big, so one slice inflates to at most about 8 MiB (deflate's ratio is below 1032:1). */
const INFLATE_SLICE_BYTES = 8 * 1024;

/** Raised when compressed data inflates past the length its envelope states. */
export class InflateLimitError extends RangeError {
  override name = 'InflateLimitError';
}

/**
 * Decompresses zlib deflate data, streaming, and stops as soon as the output
 * passes `maxBytes`: a small crafted input (a decompression bomb) costs at
 * most `maxBytes` plus one slice's output (about 8 MiB) of memory, never its
 * inflated size.
 * @param maxBytes most output bytes accepted (the length the page envelope states).
 * @throws InflateLimitError when the output would pass `maxBytes`.
 * @throws Error when the data is not valid deflate (corrupt or truncated).
 */
export async function inflate(data: Uint8Array, what: string, maxBytes: number): Promise<Uint8Array> {
  const stream = new DecompressionStream('deflate');
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  let stopped = false;
  // Write slice by slice while reading: the stream's backpressure keeps the decompressor at most a slice ahead.
  const written = (async () => {
    for (let offset = 0; offset < data.length && !stopped; offset += INFLATE_SLICE_BYTES) {
      await writer.write(data.subarray(offset, offset + INFLATE_SLICE_BYTES) as Uint8Array<ArrayBuffer>);
    }
    if (!stopped) await writer.close();
  })();
  // A corrupt input or a cancel fails the write side too; the read side reports it.
  written.catch(() => undefined);
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        stopped = true;
        await reader.cancel().catch(() => undefined);
        await writer.abort().catch(() => undefined);
        throw new InflateLimitError(`${what}: the body inflates to more than the ${maxBytes} bytes the envelope states (stopped there)`);
      }
      chunks.push(value);
    }
    await written;
  } catch (error) {
    if (error instanceof InflateLimitError) throw error;
    throw new Error(`${what}: the compressed data is corrupt or truncated (${(error as Error).message})`);
  }
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
