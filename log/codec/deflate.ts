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

/**
 * Decompresses zlib deflate data.
 * @throws Error when the data is not valid deflate (corrupt or truncated).
 */
export async function inflate(data: Uint8Array, what: string): Promise<Uint8Array> {
  try {
    return await pipe(data, new DecompressionStream('deflate'));
  } catch (error) {
    throw new Error(`${what}: the compressed data is corrupt or truncated (${(error as Error).message})`);
  }
}
