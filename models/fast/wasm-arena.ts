/**
 * A block of WebAssembly memory holding one model's hot buffers, and the SIMD
 * matrix-vector kernel (matvec.wat) that works on them. The recurrent and
 * output matrices are ~80 % of an encode + decode; f32x4 SIMD does them about
 * 3× faster than the scalar JavaScript kernel (see `npm run bench -- --only models`).
 *
 * The memory is sized once, so views into it never detach. Where WebAssembly
 * SIMD cannot be compiled (an old engine, or a page CSP without
 * 'wasm-unsafe-eval'), {@link createWasmArena} returns null and the model
 * uses the JavaScript kernels instead: same results within float32 rounding.
 */
import { MATVEC_WASM } from './matvec-wasm.ts';

/** Floats are stored 16-byte aligned, for the SIMD loads. */
const ALIGN_BYTES = 16;
const PAGE_BYTES = 65536;

let compiled: WebAssembly.Module | null | undefined;

/** The compiled kernel module, or null where it cannot be compiled (cached either way). */
function kernelModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    compiled = typeof WebAssembly === 'object' && WebAssembly.validate(MATVEC_WASM) ? new WebAssembly.Module(MATVEC_WASM) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

/** Float32Array views in one WebAssembly memory, and the kernel on them. */
export class WasmArena {
  private readonly memory: WebAssembly.Memory;
  private readonly kernel: (x: number, w: number, b: number, out: number, n: number, m: number) => void;
  private nextByte = ALIGN_BYTES; // byte 0 stays unused: a bias offset of 0 means "none"

  /** Bytes an allocation of `n` floats takes, alignment included. */
  static bytesFor(n: number): number {
    return Math.ceil((n * 4) / ALIGN_BYTES) * ALIGN_BYTES;
  }

  /** @param module the compiled kernel; @param floats capacity in float32 values. */
  constructor(module: WebAssembly.Module, readonly floats: number) {
    this.memory = new WebAssembly.Memory({ initial: Math.ceil((ALIGN_BYTES + WasmArena.bytesFor(floats)) / PAGE_BYTES) });
    const instance = new WebAssembly.Instance(module, { env: { memory: this.memory } });
    this.kernel = instance.exports.matvec as WasmArena['kernel'];
  }

  /** A zeroed view of `n` floats in the arena. @throws RangeError when the arena is full. */
  alloc(n: number): Float32Array {
    const start = this.nextByte;
    const end = start + WasmArena.bytesFor(n);
    if (end > this.memory.buffer.byteLength) throw new RangeError(`WasmArena: ${n} floats do not fit (capacity ${this.floats})`);
    this.nextByte = end;
    return new Float32Array(this.memory.buffer, start, n);
  }

  /** A view in the arena holding a copy of `values`. */
  copy(values: Float32Array): Float32Array {
    const view = this.alloc(values.length);
    view.set(values);
    return view;
  }

  /**
   * out[j] = b[j] + Σ_i x[i]·wT[j·inSize + i]: {@link denseTransposed} of
   * kernels.ts on views of this arena (accumulating in float32, 8 lanes).
   * @param b bias in this arena, or undefined for none.
   * @throws RangeError when a view is not in this arena.
   */
  denseTransposed(x: Float32Array, wT: Float32Array, b: Float32Array | undefined, out: Float32Array, inSize: number, outSize: number): void {
    const buffer = this.memory.buffer;
    if (x.buffer !== buffer || wT.buffer !== buffer || out.buffer !== buffer || (b !== undefined && b.buffer !== buffer)) {
      throw new RangeError('WasmArena.denseTransposed: every view must be allocated in this arena');
    }
    this.kernel(x.byteOffset, wT.byteOffset, b ? b.byteOffset : 0, out.byteOffset, inSize, outSize);
  }
}

/**
 * An arena with room for allocations of exactly these lengths (in floats,
 * alignment accounted for), or null where WebAssembly SIMD is unavailable.
 */
export function createWasmArena(lengths: readonly number[]): WasmArena | null {
  const module = kernelModule();
  if (!module) return null;
  try {
    return new WasmArena(module, lengths.reduce((sum, n) => sum + WasmArena.bytesFor(n) / 4, 0));
  } catch {
    return null;
  }
}
