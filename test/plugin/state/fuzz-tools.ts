/**
 * Tools for the state and preset fuzz tests: a seeded PRNG (so a failure
 * reproduces from its case number), generators of valid raw states, hostile
 * values (cycles, deep nesting, huge arrays and strings, throwing Proxies,
 * getters, pollution keys), and a fingerprint that detects any change to a
 * value without running its getters.
 */
import { PARAMETERS } from '../../../protocol/parameters.ts';
import { seededUniform } from '../../../models/runtime/random.ts';

/** Mulberry32 (Tommy Ettinger's public-domain generator), seeded; numbers in [0, 1): the runtime's own. */
export const mulberry32 = seededUniform;

/** A seeded random source with the helpers the generators need. */
export class Rng {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  /** One item of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** Counts calls to getters planted in hostile inputs (the validator must never run one). */
export const getterCalls = { count: 0 };

/** Objects whose contents must not be walked by {@link fingerprint} (Proxies whose traps throw). */
const opaque = new WeakSet<object>();

/** A Proxy whose every trap throws: reading it in any way fails. */
export function throwingProxy(): object {
  const boom = (): never => { throw new Error('trap called'); };
  const proxy = new Proxy({}, {
    get: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom, getPrototypeOf: boom, set: boom, defineProperty: boom, deleteProperty: boom,
  });
  opaque.add(proxy);
  return proxy;
}

/** A revoked Proxy (every operation on it throws a TypeError). */
export function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  opaque.add(proxy);
  return proxy;
}

/** Every key the schema reads somewhere (v1 and v2), so a getter object planted anywhere is read through one. */
const SCHEMA_KEYS = [
  'schemaVersion', 'version', 'name', 'parameters', 'parameterValues', 'anchors', 'devices', 'seed', 'label', 'latent', 'phrase',
  'source', 'notes', 'lengthBeats', 'tempoBpm', 'beatsPerBar', 'pitch', 'velocity', 'startBeats', 'durationBeats',
  'midiOutputId', 'midiInputIds', 'value', 'normalized', 'temperature', 'mode', 'density', '0', 'length',
];

/** An object whose `key` (or, by default, every key the schema reads) is a getter that counts its calls and returns `value`. */
export function withGetter(key: string | null, value: unknown): object {
  const record = {};
  for (const k of key === null ? SCHEMA_KEYS : [key]) {
    Object.defineProperty(record, k, { enumerable: true, get: () => { getterCalls.count++; return value; } });
  }
  return record;
}

/** An object nested `depth` levels deep through `key`. */
export function deepObject(depth: number, key = 'a'): object {
  let value: Record<string, unknown> = {};
  for (let i = 0; i < depth; i++) value = { [key]: value };
  return value;
}

/** An array nested `depth` levels deep. */
export function deepArray(depth: number): unknown[] {
  let value: unknown[] = [];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/** A cyclic object: `{ self: <itself>, schemaVersion: 2 }`. */
export function cyclicObject(): object {
  const record: Record<string, unknown> = { schemaVersion: 2 };
  record.self = record;
  record.parameters = record;
  return record;
}

/** A string of `length` characters. Cached per length so the fuzz loop stays cheap. */
const strings = new Map<number, string>();
export function bigString(length: number): string {
  let s = strings.get(length);
  if (s === undefined) {
    s = 'x'.repeat(length);
    strings.set(length, s);
  }
  return s;
}

/** An object with a pollution key as an own property (as JSON.parse would make it). */
export function pollutionObject(rng: Rng): object {
  const key = rng.pick(['__proto__', 'constructor', 'prototype']);
  const payload = rng.chance(0.5) ? { polluted: true, temperature: 2 } : { prototype: { polluted: true } };
  return JSON.parse(`{${JSON.stringify(key)}: ${JSON.stringify(payload)}, "schemaVersion": 2}`) as object;
}

/** A valid phrase note as raw JSON. */
function randomNote(rng: Rng): Record<string, number> {
  return { pitch: rng.int(0, 127), velocity: rng.int(1, 127), startBeats: rng.int(0, 31) / 4 + rng.next() * 0.05, durationBeats: 0.125 + rng.next() };
}

/** A valid raw state of the current schema, with random values everywhere (and sometimes parts left out). */
export function randomValidRaw(rng: Rng): Record<string, unknown> {
  const parameters: Record<string, unknown> = {};
  for (const p of PARAMETERS) {
    if (rng.chance(0.1)) continue; // missing: takes the default
    const v = p.minValue + rng.next() * (p.maxValue - p.minValue);
    parameters[p.id] = p.type === 'float' ? v : Math.round(v);
  }
  const anchors = [0, 1, 2, 3].map((i) => ({
    label: `corner ${i}`,
    latent: rng.chance(0.5) ? Array.from({ length: 32 }, () => rng.next() * 4 - 2) : null, // both models' latent size
    phrase: rng.chance(0.5)
      ? { source: 'preset', notes: Array.from({ length: rng.int(0, 12) }, () => randomNote(rng)), lengthBeats: 8, tempoBpm: 60 + rng.int(0, 120), beatsPerBar: 4 }
      : null,
  }));
  const raw: Record<string, unknown> = {
    schemaVersion: 2,
    parameters,
    anchors,
    devices: { midiOutputId: rng.chance(0.5) ? `out-${rng.int(0, 9)}` : null, midiInputIds: Array.from({ length: rng.int(0, 3) }, (_, i) => `in-${i}`) },
    seed: rng.int(0, 0xffffffff),
  };
  if (rng.chance(0.5)) raw.name = `preset ${rng.int(0, 999)}`;
  return raw;
}

/** A valid raw version-1 state (the SDK's `{ version: 1, parameterValues }`). */
export function randomValidV1(rng: Rng): Record<string, unknown> {
  const parameterValues: Record<string, unknown> = {};
  for (const p of PARAMETERS) {
    if (rng.chance(0.2)) continue;
    const normalized = rng.chance(0.3);
    const v = normalized ? rng.next() : p.minValue + rng.next() * (p.maxValue - p.minValue);
    parameterValues[p.id] = { id: p.id, value: p.type === 'float' || normalized ? v : Math.round(v), normalized };
  }
  return rng.chance(0.8) ? { version: 1, parameterValues } : { parameterValues };
}

/**
 * Every path (as key lists) to a value inside a value, the root included. Walks
 * only plain data (no Proxies, typed arrays or getters, arrays of at most 5000
 * items, at most 8 levels deep), so hostile values planted earlier are leaves.
 */
export function allPaths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (typeof value !== 'object' || value === null || opaque.has(value) || prefix.length >= 8 || ArrayBuffer.isView(value)) return out;
  if (Array.isArray(value)) {
    if (value.length <= 5000) for (let i = 0; i < value.length; i++) allPaths(value[i], [...prefix, i], out);
    return out;
  }
  for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(value))) {
    if ('value' in d) allPaths(d.value, [...prefix, k], out);
  }
  return out;
}

/** A deep copy of a JSON-like value (plain objects and arrays only). */
export function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Sets the value at `path` (the root cannot be set: use the returned value). */
export function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]] = value;
  return root;
}

/** Removes the key at `path` from its parent (the root is left alone). */
export function deleteAt(root: unknown, path: (string | number)[]): unknown {
  if (path.length === 0) return root;
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  delete node[path[path.length - 1]];
  return root;
}

/** One sparse array far too long to walk, made once (making one takes ~50 ms); the fingerprint checks it stays unchanged. */
let sparse: unknown[] | undefined;
export function hugeSparseArray(): unknown[] {
  sparse ??= new Array(10_000_000);
  return sparse;
}

/** A hostile or wrong-typed value to put somewhere in a state. */
export function hostileValue(rng: Rng): unknown {
  switch (rng.int(0, 27)) {
    case 0: return 'hot';
    case 1: return NaN;
    case 2: return Infinity;
    case 3: return -Infinity;
    case 4: return null;
    case 5: return undefined;
    case 6: return true;
    case 7: return {};
    case 8: return [];
    case 9: return 10n;
    case 10: return Symbol('s');
    case 11: return () => 1;
    case 12: return bigString(rng.pick([257, 100_000, 3_000_000]));
    case 13: return hugeSparseArray();
    case 14: return Array.from({ length: rng.pick([513, 4097, 5000]) }, () => rng.next());
    case 15: return deepObject(rng.pick([100, 10_000, 100_000]));
    case 16: return deepArray(rng.pick([100, 10_000]));
    case 17: return cyclicObject();
    case 18: return throwingProxy();
    case 19: return revokedProxy();
    case 20: return withGetter(null, rng.pick([1, 'x', {}]));
    case 21: return pollutionObject(rng);
    case 22: return -1;
    case 23: return 1e308 * rng.pick([1, -1]);
    case 24: return new Float32Array(rng.pick([4, 600]));
    case 25: return new BigInt64Array(2);
    case 26: return new Date(0);
    default: return rng.int(-5, 300) + rng.next();
  }
}

/**
 * A string fingerprint of any value, computed without running getters or
 * Proxy traps: two equal fingerprints before and after a call mean the call
 * changed nothing reachable. Handles cycles.
 */
export function fingerprint(value: unknown, seen = new Map<object, number>(), depth = 0): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'function') return 'fn';
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  // Primitives cannot be changed in place; long strings are summarised to keep the loop cheap.
  if (typeof value === 'string' && value.length > 1000) return `string(${value.length})`;
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'undefined';
  if (opaque.has(value)) return 'opaque';
  // The schema is 6 levels deep: the validator cannot reach further, and deep test values would overflow the stack here.
  if (depth > 64) return 'deep';
  const id = seen.get(value);
  if (id !== undefined) return `#${id}`;
  seen.set(value, seen.size);
  // Listing the keys of a 10-million-slot sparse array takes ~0.1 s; its length is what the validator reads.
  if (Array.isArray(value) && value.length > 100_000) return `A(${value.length})`;
  if (ArrayBuffer.isView(value)) return `${Object.prototype.toString.call(value)}[${Array.from(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)).join(',')}]`;
  const descriptors = Object.getOwnPropertyDescriptors(value);
  const keys = Reflect.ownKeys(descriptors).map(String);
  // Huge sparse arrays: the length and the (few) own keys say all there is.
  const parts = keys.map((k) => {
    const d = (descriptors as Record<string, PropertyDescriptor>)[k];
    return `${k}:${'value' in d ? fingerprint(d.value, seen, depth + 1) : 'accessor'}${d.writable === false ? '!' : ''}`;
  });
  return `${Array.isArray(value) ? 'A' : 'O'}${Object.isFrozen(value) ? 'F' : ''}{${parts.join(',')}}`;
}

/** Own property names of the built-in prototypes that pollution would change. */
export function prototypeSnapshot(): string {
  const protos = [Object.prototype, Array.prototype, Function.prototype, String.prototype, Number.prototype];
  return protos.map((p) => Reflect.ownKeys(p).map(String).sort().join(',')).join('|');
}
