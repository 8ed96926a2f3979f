import { describe, expect, it } from 'vitest';
import { MusterError } from '../../src/errors/muster-error.js';
import { checkIdentitySchema } from '../../src/identity/check-identity-schema.js';
import type { IdentitySchema } from '../../src/identity/identity-schema.js';
import { indexedFields } from '../../src/identity/indexed-fields.js';

function problem(schema: unknown): MusterError {
  try {
    checkIdentitySchema(schema as IdentitySchema);
  } catch (error) {
    if (MusterError.is(error)) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('checkIdentitySchema', () => {
  it('accepts a well-formed schema and returns it', () => {
    const schema: IdentitySchema = {
      additionalFields: false,
      fields: {
        kind: { type: 'enum', values: ['a', 1, true], default: 'a', index: true },
        name: { type: 'string', maxLength: 10, required: true },
        seen: { type: 'timestamp', auto: 'now' },
        since: { type: 'timestamp', default: '2026-01-01T00:00:00+01:00' },
        tags: { type: 'array', maxLength: 5, default: ['x'] },
        extra: { type: 'object', default: { a: 1 } },
      },
    };
    expect(checkIdentitySchema(schema)).toBe(schema);
  });

  it('reports configuration mistakes as INVALID_ARGUMENT naming the field', () => {
    const cases: [unknown, string, RegExp][] = [
      [null, 'schema', /must be an object/],
      [{ fields: {}, additionalFields: 'no' }, 'schema.additionalFields', /boolean/],
      [{ fields: { 'a.b': { type: 'string' } } }, 'schema.fields.a.b', /not a valid metadata key/],
      [{ fields: { a: { type: 'date' } } }, 'schema.fields.a', /type must be one of/],
      [{ fields: { a: { type: 'enum' } } }, 'schema.fields.a', /needs `values`/],
      [{ fields: { a: { type: 'enum', values: [] } } }, 'schema.fields.a', /needs `values`/],
      [{ fields: { a: { type: 'enum', values: [{}] } } }, 'schema.fields.a', /needs `values`/],
      [{ fields: { a: { type: 'string', values: ['x'] } } }, 'schema.fields.a', /only for enum/],
      [
        { fields: { a: { type: 'number', maxLength: 3 } } },
        'schema.fields.a',
        /only for string, timestamp and array/,
      ],
      [
        { fields: { a: { type: 'string', maxLength: -1 } } },
        'schema.fields.a',
        /non-negative integer/,
      ],
      [
        { fields: { a: { type: 'number', auto: 'now' } } },
        'schema.fields.a',
        /only for timestamp and string/,
      ],
      [
        { fields: { a: { type: 'timestamp', auto: 'later' } } },
        'schema.fields.a',
        /can only be "now"/,
      ],
      [
        { fields: { a: { type: 'number', default: 'x' } } },
        'schema.fields.a',
        /`default` does not fit the field: .*must be a number/,
      ],
      [
        { fields: { a: { type: 'number', default: Number.NaN } } },
        'schema.fields.a',
        /valid metadata value/,
      ],
      [
        { fields: { a: { type: 'enum', values: ['x'], default: 'y' } } },
        'schema.fields.a',
        /does not fit/,
      ],
      [
        { fields: { a: { type: 'timestamp', default: 'soon' } } },
        'schema.fields.a',
        /does not fit/,
      ],
      [
        { fields: { a: { type: 'string', required: 'yes' } } },
        'schema.fields.a',
        /`required` must be a boolean/,
      ],
    ];
    for (const [schema, field, message] of cases) {
      const error = problem(schema);
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.details.field).toBe(field);
      expect(error.message).toMatch(message);
    }
  });
});

describe('indexedFields', () => {
  it('lists the paths of fields marked index: true, in schema order', () => {
    expect(
      indexedFields({
        fields: {
          a: { type: 'string', index: true },
          b: { type: 'number' },
          c: { type: 'timestamp', index: true },
          d: { type: 'boolean', index: false },
        },
      }),
    ).toEqual([['a'], ['c']]);
    expect(indexedFields({ fields: {} })).toEqual([]);
    expect(indexedFields(undefined)).toEqual([]);
  });
});
