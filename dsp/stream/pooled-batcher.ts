/**
 * A batch of fixed-stride records in pooled, transferable buffers: records
 * are written into the current buffer (taken from a {@link TransferPool}
 * when the first record of a batch arrives) until the batch is full or the
 * caller sends it; `take()` hands the buffer over for transfer and starts
 * afresh. When the pool has no buffer left the record is skipped and
 * counted. The processor keeps three of these: feature frames for the GUI,
 * feature frames and packed events for the session log. No allocation once
 * the pool has grown to its working size.
 *
 * [audio-thread]
 */
import { TransferPool } from './transfer-pool.ts';

export class PooledBatcher<T extends Float32Array | Float64Array = Float32Array> {
  /** Numbers per record. */
  readonly stride: number;
  /** Records per batch at most. */
  readonly capacity: number;
  private readonly pool: TransferPool<T>;
  private current: T | null = null;
  private records = 0;
  private first = 0;
  /** Records skipped because every pooled buffer was out. */
  skipped = 0;

  /**
   * @param stride numbers per record.
   * @param capacity records per batch.
   * @param initialBuffers buffers made up front; the pool grows to `maxBuffers` while receivers hold them.
   * @param make creates one buffer of the given length (default: a Float32Array).
   */
  constructor(stride: number, capacity: number, initialBuffers: number, maxBuffers: number, make?: (length: number) => T) {
    this.stride = stride;
    this.capacity = capacity;
    this.pool = new TransferPool<T>(initialBuffers, stride * capacity, maxBuffers, make);
  }

  /** Records in the current batch. */
  get count(): number {
    return this.records;
  }

  /** The index given with the batch's first record (e.g. its analysis frame index). */
  get firstIndex(): number {
    return this.first;
  }

  /** True when the batch holds `capacity` records and must be sent. */
  get full(): boolean {
    return this.records === this.capacity;
  }

  /**
   * Reserves the next record and returns the buffer to write it into, at
   * `writeOffset`; null when no buffer was free (the record is counted as skipped).
   * @param index remembered as `firstIndex` when this record starts a batch.
   */
  reserve(index = 0): T | null {
    if (!this.current) {
      this.current = this.pool.acquire();
      if (!this.current) {
        this.skipped++;
        return null;
      }
      this.records = 0;
      this.first = index;
    }
    this.records++;
    return this.current;
  }

  /** Where the record just reserved starts in the buffer. */
  get writeOffset(): number {
    return (this.records - 1) * this.stride;
  }

  /** Hands the current buffer over (for transfer) and starts a new batch; null when the batch is empty. */
  take(): T | null {
    const buffer = this.records > 0 ? this.current : null;
    if (buffer) this.current = null;
    this.records = 0;
    return buffer;
  }

  /** Gives a buffer back to the pool when its receiver is done with it. */
  release(buffer: T): void {
    this.pool.release(buffer);
  }
}
