/**
 * Careful readers for untrusted values: the building blocks of the state
 * validator. They never write to what they read, never call getters (a
 * property defined by a getter is rejected, not run), read only own
 * properties (so nothing inherited, `__proto__` included, is ever seen), and
 * check a size before walking anything. Each failure is a `StateError` whose
 * message names the path, what was expected and what arrived.
 */
import { StateError } from './state-error.ts';
import { STATE_LIMITS } from './schema.ts';

/** Longest excerpt of a string quoted in an error message, in characters. */
const QUOTE_CHARS = 40;

/**
 * Describes a value for an error message: strings quoted (and shortened),
 * numbers as written (`NaN`, `Infinity`, `1e308`), arrays with their length, and a
 * missing value as `nothing`. Never throws and never calls user code.
 */
export function describe(value: unknown): string {
  switch (typeof value) {
    case 'undefined': return 'nothing';
    case 'string': {
      if (value.length <= QUOTE_CHARS) return JSON.stringify(value);
      return `${JSON.stringify(value.slice(0, QUOTE_CHARS)).slice(0, -1)}…" (${value.length} characters)`;
    }
    // As written in JSON: 1e308, not JavaScript's 1e+308.
    case 'number': return Object.is(value, -0) ? '-0' : String(value).replace('e+', 'e');
    case 'bigint': return `the bigint ${value}n`;
    case 'boolean': return String(value);
    case 'symbol': return 'a symbol';
    case 'function': return 'a function';
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    const length = Object.getOwnPropertyDescriptor(value, 'length')?.value;
    return `an array of ${typeof length === 'number' ? length : '?'} items`;
  }
  if (ArrayBuffer.isView(value)) {
    const kind = Object.prototype.toString.call(value).slice(8, -1);
    return value instanceof DataView ? `a ${kind}` : `a ${kind} of ${(value as unknown as ArrayLike<unknown>).length} values`;
  }
  return 'an object';
}

/** Throws the standard "expected …, got …" error for `path`. */
export function fail(path: string, expected: string, got: unknown): never {
  throw new StateError(path, `expected ${expected}, got ${describe(got)}`);
}

/** Joins a path and a key: `a` + `b` → `a.b`; a numeric key gives `a[3]`. */
export function at(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : `${path}.${key}`;
}

/** True for a non-null, non-array object (a record to read keys from). */
export function isRecord(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

/**
 * Checks that `value` is a record (a non-array object).
 * @throws StateError otherwise.
 */
export function expectRecord(value: unknown, path: string): object {
  if (!isRecord(value)) fail(path, 'an object', value);
  return value;
}

/**
 * The own data property `key` of `record`, or undefined when there is none.
 * Inherited properties are ignored; a getter/setter is refused without being run.
 * @throws StateError when the property is an accessor.
 */
export function own(record: object, key: string, path: string): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(record, key);
  if (descriptor === undefined) return undefined;
  if (!('value' in descriptor)) throw new StateError(at(path, key), 'expected a plain value, got a getter/setter property');
  return descriptor.value;
}

/**
 * The length of an array or a typed array (DataView excluded), read without
 * touching any item or running user code; undefined for anything else.
 */
export function arrayLength(value: unknown): number | undefined {
  if (ArrayBuffer.isView(value)) return value instanceof DataView ? undefined : (value as unknown as ArrayLike<unknown>).length;
  if (!Array.isArray(value)) return undefined;
  const length: unknown = Object.getOwnPropertyDescriptor(value, 'length')?.value;
  return typeof length === 'number' ? length : undefined;
}

/**
 * Reads an array (or, when `allowTypedArrays`, a typed array) of at most
 * `maxItems` items into a fresh plain array, after checking its length and
 * before reading any item.
 * @throws StateError when `value` is not an array, is too long, or has a hole or an accessor item.
 */
export function readArray(value: unknown, path: string, maxItems: number, expected: string, allowTypedArrays = false): unknown[] {
  if (allowTypedArrays && ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const typed = value as unknown as ArrayLike<unknown>;
    if (typed.length > maxItems) throw new StateError(path, `expected ${expected} (at most ${maxItems}), got ${describe(value)}`);
    return Array.from(typed);
  }
  if (!Array.isArray(value)) fail(path, expected, value);
  const length: unknown = Object.getOwnPropertyDescriptor(value, 'length')?.value;
  if (typeof length !== 'number') fail(path, expected, value);
  if (length > maxItems) throw new StateError(path, `expected ${expected} (at most ${maxItems}), got an array of ${length} items`);
  const items = new Array<unknown>(length);
  for (let i = 0; i < length; i++) items[i] = own(value, String(i), path);
  return items;
}

/**
 * Reads a string of at most `STATE_LIMITS.maxStringChars` characters.
 * @throws StateError otherwise.
 */
export function readString(value: unknown, path: string): string {
  if (typeof value !== 'string') fail(path, 'a string', value);
  if (value.length > STATE_LIMITS.maxStringChars) {
    fail(path, `a string of at most ${STATE_LIMITS.maxStringChars} characters`, value);
  }
  return value;
}

/**
 * Reads a finite number within [min, max] (both inclusive unless `minExclusive`).
 * @throws StateError otherwise.
 */
export function readNumber(value: unknown, path: string, min: number, max: number, minExclusive = false): number {
  const range = `${minExclusive ? '(' : '['}${min}, ${max}]`;
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, `a finite number in ${range}`, value);
  if (value > max || (minExclusive ? value <= min : value < min)) fail(path, `a finite number in ${range}`, value);
  return value;
}

/**
 * Reads an integer within [min, max].
 * @throws StateError otherwise.
 */
export function readInteger(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(path, `an integer from ${min} to ${max}`, value);
  }
  return value;
}
