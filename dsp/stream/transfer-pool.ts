/**
 * A pool of Float32Arrays that travel by transfer: the audio thread fills
 * one, transfers it to a receiver (the node or the worker), and the receiver
 * transfers it back when done, so a steady stream allocates no new arrays.
 * When every buffer is out (a slow receiver, or an offline render running
 * faster than real time) the pool grows, up to `maxBuffers`; past that
 * `acquire()` returns null and the caller skips and counts the batch.
 */
export class TransferPool {
  private readonly free: Float32Array[] = [];
  private created = 0;
  /** Length of every buffer. */
  readonly length: number;
  /** Most buffers the pool will ever create. */
  readonly maxBuffers: number;

  constructor(initialBuffers: number, length: number, maxBuffers = initialBuffers) {
    this.length = length;
    this.maxBuffers = Math.max(initialBuffers, maxBuffers);
    for (let i = 0; i < initialBuffers; i++) this.free.push(new Float32Array(length));
    this.created = initialBuffers;
  }

  /** Buffers ready to fill. */
  get available(): number {
    return this.free.length;
  }

  /** Buffers created so far (initial ones included). */
  get size(): number {
    return this.created;
  }

  /** Takes a buffer; grows the pool when empty; null once `maxBuffers` are all out. */
  acquire(): Float32Array | null {
    const buffer = this.free.pop();
    if (buffer) return buffer;
    if (this.created >= this.maxBuffers) return null;
    this.created++;
    return new Float32Array(this.length);
  }

  /** Gives a returned buffer back; a buffer of the wrong length is ignored. */
  release(buffer: Float32Array): void {
    if (buffer instanceof Float32Array && buffer.length === this.length && this.free.length < this.maxBuffers) this.free.push(buffer);
  }
}
