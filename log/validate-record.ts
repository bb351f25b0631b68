/**
 * Checks that a value is a well-formed {@link LogRecord}: the boundary check
 * the writer runs on every appended record (it drops and counts bad ones
 * instead of throwing) and the importer runs on every record of a bundle.
 */
import { describe } from './session-meta.ts';
import { isLogRecordKind, type LogRecord } from './records.ts';

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isOptional = (v: unknown, check: (v: unknown) => boolean): boolean => v === undefined || check(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number';

/**
 * What is wrong with `value` as a log record, or `undefined` when it is fine.
 * O(1) apart from the size checks of typed arrays.
 */
export function recordProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return `expected a record object, got ${describe(value)}`;
  const r = value as Record<string, unknown>;
  if (!isLogRecordKind(r.kind)) return `unknown record kind ${describe(r.kind)}`;
  for (const key of ['audioTimeS', 'frame', 'wallTimeMs'] as const) {
    if (!isFiniteNumber(r[key])) return `${r.kind} record: ${key} must be a finite number, got ${describe(r[key])}`;
  }
  const bad = (field: string, expected: string): string => `${r.kind} record: ${field} must be ${expected}, got ${describe(r[field])}`;
  switch (r.kind) {
    case 'midi':
      if (r.direction !== 'in' && r.direction !== 'out') return bad('direction', "'in' or 'out'");
      if (!isString(r.source)) return bad('source', 'a string');
      if (!(r.bytes instanceof Uint8Array) || r.bytes.length === 0) return bad('bytes', 'a non-empty Uint8Array');
      return undefined;
    case 'features': {
      if (!isFiniteNumber(r.firstHopIndex)) return bad('firstHopIndex', 'a finite number');
      if (!Number.isSafeInteger(r.frameCount) || (r.frameCount as number) < 1) return bad('frameCount', 'a positive integer');
      if (!Number.isSafeInteger(r.featureCount) || (r.featureCount as number) < 0) return bad('featureCount', 'a non-negative integer');
      if (!(r.values instanceof Float32Array)) return bad('values', 'a Float32Array');
      const expected = (r.frameCount as number) * (r.featureCount as number);
      if (r.values.length !== expected) return `features record: values has ${r.values.length} numbers, expected frameCount × featureCount = ${expected}`;
      return undefined;
    }
    case 'note':
      if (!isString(r.source)) return bad('source', 'a string');
      if (!isFiniteNumber(r.pitch)) return bad('pitch', 'a finite number');
      if (!isFiniteNumber(r.velocity)) return bad('velocity', 'a finite number');
      if (!isFiniteNumber(r.durationS)) return bad('durationS', 'a finite number');
      if (!isOptional(r.confidence, isNumber)) return bad('confidence', 'a number or absent');
      return undefined;
    case 'analysis':
      if (!isOptional(r.tempoBpm, isNumber)) return bad('tempoBpm', 'a number or absent');
      if (!isOptional(r.keyRoot, isNumber)) return bad('keyRoot', 'a number or absent');
      if (!isOptional(r.keyScale, isString)) return bad('keyScale', 'a string or absent');
      if (!isOptional(r.confidence, isNumber)) return bad('confidence', 'a number or absent');
      return undefined;
    case 'model':
      if (!isString(r.model)) return bad('model', 'a string');
      if (!isString(r.call)) return bad('call', 'a string');
      if (!isOptional(r.latent, (v) => v instanceof Float32Array)) return bad('latent', 'a Float32Array or absent');
      if (!isOptional(r.elapsedMs, isNumber)) return bad('elapsedMs', 'a number or absent');
      return undefined;
    case 'param':
      if (!isString(r.id)) return bad('id', 'a string');
      if (!isNumber(r.value)) return bad('value', 'a number');
      if (!isOptional(r.source, isString)) return bad('source', 'a string or absent');
      return undefined;
    case 'transport':
      if (typeof r.playing !== 'boolean') return bad('playing', 'a boolean');
      for (const key of ['tempoBpm', 'timeSigNumerator', 'timeSigDenominator', 'currentBar', 'currentBarStartedS']) {
        if (!isNumber(r[key])) return bad(key, 'a number');
      }
      return undefined;
    case 'marker':
      if (!isString(r.label)) return bad('label', 'a string');
      if (!isOptional(r.color, isString)) return bad('color', 'a string or absent');
      return undefined;
  }
}

/** Narrowing helper: true when {@link recordProblem} finds nothing. */
export function isLogRecord(value: unknown): value is LogRecord {
  return recordProblem(value) === undefined;
}
