/**
 * The one seeded random source (mulberry32, Tommy Ettinger's public-domain
 * generator, and Box–Muller for normals), so every generated phrase and
 * every training run can be repeated from its seed: the runtime, the
 * evaluation and the training code all draw from it. It imports nothing,
 * so the training code may use it without the runtime depending on training.
 */

/** A seeded generator whose state can be saved and restored (a training checkpoint keeps it). */
export class SeededRandom {
  private state: number;

  /** @param seed any number; its low 32 bits seed the stream. */
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A standard normal draw (two uniform draws, see {@link normal}). */
  normal(): number {
    return normal(() => this.next());
  }

  /** An integer in [lo, hi], both included (one uniform draw). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** The generator's 32-bit state. */
  get seedState(): number {
    return this.state;
  }

  set seedState(value: number) {
    this.state = value >>> 0;
  }
}

/** A function returning uniform numbers in [0, 1), seeded (a {@link SeededRandom}'s `next`). */
export function seededUniform(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}

/** A standard normal draw from a uniform source (Box–Muller, cosine branch; the first draw is kept above 1e−12). */
export function normal(uniform: () => number): number {
  const u = Math.max(uniform(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
}
