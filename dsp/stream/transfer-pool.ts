/**
 * A pool of Float32Arrays that travel by transfer: the audio thread fills
 * one, transfers it to a receiver (the node or the worker), and the receiver
 * transfers it back when done, so a steady stream allocates no new arrays.
 * When every buffer is out (a slow receiver, or an offline render running
 * faster than real time) the pool grows, up to `maxBuffers`; past that
 * `acquire()` returns null and the caller skips and counts the batch.
 */
export class TransferPool<T extends Float32Array | Float64Array = Float32Array> {
  private readonly free: T[] = [];
  private created = 0;
  /** Length of every buffer. */
  readonly length: number;
  /** Most buffers the pool will ever create. */
  readonly maxBuffers: number;

  private readonly make: (length: number) => T;
  /** The typed-array class of the buffers (a returned buffer must be of it). */
  private readonly kind: unknown;

  /**
   * @param make creates one buffer (default: a Float32Array).
   */
  constructor(initialBuffers: number, length: number, maxBuffers = initialBuffers, make?: (length: number) => T) {
    this.length = length;
    this.maxBuffers = Math.max(initialBuffers, maxBuffers);
    this.make = make ?? ((n) => new Float32Array(n) as T);
    this.kind = this.make(0).constructor;
    for (let i = 0; i < initialBuffers; i++) this.free.push(this.make(length));
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
  acquire(): T | null {
    const buffer = this.free.pop();
    if (buffer) return buffer;
    if (this.created >= this.maxBuffers) return null;
    this.created++;
    return this.make(this.length);
  }

  /** Gives a returned buffer back; a buffer of the wrong length is ignored. */
  release(buffer: T): void {
    if (ArrayBuffer.isView(buffer) && buffer.length === this.length && buffer.constructor === this.kind && this.free.length < this.maxBuffers) this.free.push(buffer);
  }
}
