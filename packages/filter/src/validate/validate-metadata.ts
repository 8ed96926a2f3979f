import { FilterError } from '../errors/filter-error.js';
import { keyProblem, stringProblem } from './key-rules.js';

type Trail = (string | number)[];

/**
 * Checks that metadata follows the rules every backend relies on: a JSON object whose keys are
 * non-empty, contain no ".", do not start with "$" and hold no U+0000; finite numbers; strings
 * of well-formed Unicode without U+0000. Throws INVALID_METADATA naming the offending path.
 */
export function validateMetadata(metadata: unknown): asserts metadata is Record<string, unknown> {
  if (!isPlainObject(metadata))
    throw invalid([], `metadata must be a JSON object, not ${describe(metadata)}`);
  checkObject(metadata, []);
}

function checkValue(value: unknown, trail: Trail): void {
  switch (typeof value) {
    case 'string': {
      const problem = stringProblem(value);
      if (problem) throw invalid(trail, problem);
      return;
    }
    case 'number':
      if (!Number.isFinite(value)) throw invalid(trail, `number ${value} is not finite`);
      return;
    case 'boolean':
      return;
    case 'object':
      if (value === null) return;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) throw invalid([...trail, i], 'arrays must not have holes');
          checkValue(value[i], [...trail, i]);
        }
        return;
      }
      if (isPlainObject(value)) {
        checkObject(value, trail);
        return;
      }
      throw invalid(trail, `${describe(value)} is not a JSON value`);
    default:
      throw invalid(trail, `${describe(value)} is not a JSON value`);
  }
}

function checkObject(object: Record<string, unknown>, trail: Trail): void {
  for (const key of Object.keys(object)) {
    const problem = keyProblem(key);
    if (problem) throw invalid([...trail, key], problem);
    checkValue(object[key], [...trail, key]);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object')
    return `an instance of ${value.constructor?.name ?? 'an unknown class'}`;
  return typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`;
}

function invalid(trail: Trail, message: string): FilterError {
  const where =
    trail.length === 0
      ? 'metadata'
      : `metadata${trail.map((p) => `[${JSON.stringify(p)}]`).join('')}`;
  return new FilterError('INVALID_METADATA', `invalid metadata at ${where}: ${message}`, {
    path: trail,
  });
}
