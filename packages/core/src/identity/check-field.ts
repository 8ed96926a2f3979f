import { MusterError } from '../errors/muster-error.js';
import { describeValue } from './describe-value.js';
import type { FieldSchema } from './identity-schema.js';
import { normalizeTimestamp } from './parse-timestamp.js';

const TIMESTAMP_EXAMPLE = '"2026-01-31T12:00:00Z"';

/**
 * Checks one metadata field against its schema and returns the value to store: the same value,
 * or for a timestamp its `toISOString()` UTC form. Throws INVALID_METADATA naming the field,
 * what was expected and what was found. `null` is a value here, not an absent field.
 */
export function checkField(name: string, field: FieldSchema, value: unknown): unknown {
  switch (field.type) {
    case 'string':
      if (typeof value !== 'string') throw mismatch(name, field, 'a string', value);
      checkMaxLength(name, field, value, 'characters');
      return value;
    case 'number':
      if (typeof value !== 'number') throw mismatch(name, field, 'a number', value);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw mismatch(name, field, 'a boolean', value);
      return value;
    case 'enum':
      if (!(field.values ?? []).includes(value as string | number | boolean))
        throw mismatch(
          name,
          field,
          `one of ${(field.values ?? []).map((v) => JSON.stringify(v)).join(', ')}`,
          value,
        );
      return value;
    case 'array':
      if (!Array.isArray(value)) throw mismatch(name, field, 'an array', value);
      checkMaxLength(name, field, value, 'items');
      return value;
    case 'object':
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw mismatch(name, field, 'an object', value);
      return value;
    case 'timestamp': {
      const expected = `an RFC 3339 date-time such as ${TIMESTAMP_EXAMPLE}`;
      if (typeof value !== 'string') throw mismatch(name, field, expected, value);
      checkMaxLength(name, field, value, 'characters');
      const normalized = normalizeTimestamp(value);
      if (normalized === undefined) throw mismatch(name, field, expected, value);
      return normalized;
    }
    default:
      throw new MusterError(
        'INVALID_METADATA',
        `metadata field ${JSON.stringify(name)} has an unknown schema type ${JSON.stringify(field.type)}`,
        { details: { field: name } },
      );
  }
}

function checkMaxLength(
  name: string,
  field: FieldSchema,
  value: string | readonly unknown[],
  unit: 'characters' | 'items',
): void {
  const max = field.maxLength;
  if (max === undefined || value.length <= max) return;
  const length = typeof value === 'string' ? [...value].length : value.length;
  if (length <= max) return;
  throw new MusterError(
    'INVALID_METADATA',
    `metadata field ${JSON.stringify(name)} must have at most ${max} ${unit}, found ${length}`,
    { details: { field: name, limit: 'maxLength', max, actual: length } },
  );
}

function mismatch(name: string, field: FieldSchema, expected: string, value: unknown): MusterError {
  return new MusterError(
    'INVALID_METADATA',
    `metadata field ${JSON.stringify(name)} must be ${expected}, found ${describeValue(value)}`,
    { details: { field: name, expected: field.type } },
  );
}
