import { MusterError } from '../errors/muster-error.js';
import { checkField } from './check-field.js';
import type { FieldType, IdentitySchema } from './identity-schema.js';
import { measureMetadata } from './measure-metadata.js';

const FIELD_TYPES: readonly FieldType[] = [
  'string',
  'number',
  'boolean',
  'enum',
  'array',
  'object',
  'timestamp',
];

/**
 * Checks a namespace's identity schema once, when the namespace is configured, so that mistakes
 * (an enum without values, a default of the wrong type, `auto` on a number) are reported as
 * configuration errors instead of failing every register. Throws INVALID_ARGUMENT with
 * `details.field` = `schema.fields.<name>`.
 */
export function checkIdentitySchema(schema: IdentitySchema): IdentitySchema {
  if (
    typeof schema !== 'object' ||
    schema === null ||
    typeof schema.fields !== 'object' ||
    schema.fields === null
  )
    throw invalid('schema', 'an identity schema must be an object with `fields`');
  if (schema.additionalFields !== undefined && typeof schema.additionalFields !== 'boolean')
    throw invalid('schema.additionalFields', 'additionalFields must be a boolean');
  for (const name of Object.keys(schema.fields)) {
    const where = `schema.fields.${name}`;
    const field = schema.fields[name]!;
    if (!measureMetadata({ [name]: null }, 2).valid)
      throw invalid(where, `${JSON.stringify(name)} is not a valid metadata key`);
    if (!FIELD_TYPES.includes(field?.type))
      throw invalid(
        where,
        `type must be one of ${FIELD_TYPES.join(', ')}, not ${JSON.stringify(field?.type)}`,
      );
    if (field.type === 'enum') {
      const values = field.values;
      if (!Array.isArray(values) || values.length === 0 || !values.every(isScalar))
        throw invalid(
          where,
          'an enum needs `values`: a non-empty list of strings, numbers or booleans',
        );
    } else if (field.values !== undefined) {
      throw invalid(where, '`values` is only for enum fields');
    }
    if (field.maxLength !== undefined) {
      if (!['string', 'timestamp', 'array'].includes(field.type))
        throw invalid(where, '`maxLength` is only for string, timestamp and array fields');
      if (!Number.isSafeInteger(field.maxLength) || field.maxLength < 0)
        throw invalid(where, '`maxLength` must be a non-negative integer');
    }
    if (field.auto !== undefined) {
      if (field.auto !== 'now') throw invalid(where, '`auto` can only be "now"');
      if (field.type !== 'timestamp' && field.type !== 'string')
        throw invalid(where, '`auto: "now"` is only for timestamp and string fields');
    }
    if (field.required !== undefined && typeof field.required !== 'boolean')
      throw invalid(where, '`required` must be a boolean');
    if (field.index !== undefined && typeof field.index !== 'boolean')
      throw invalid(where, '`index` must be a boolean');
    if (field.default !== undefined) {
      if (!measureMetadata({ [name]: field.default }, 64).valid)
        throw invalid(where, '`default` must be a valid metadata value');
      try {
        checkField(name, field, field.default);
      } catch (cause) {
        throw invalid(
          where,
          `\`default\` does not fit the field: ${(cause as Error).message}`,
          cause,
        );
      }
    }
  }
  return schema;
}

function isScalar(value: unknown): boolean {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

function invalid(field: string, message: string, cause?: unknown): MusterError {
  return new MusterError('INVALID_ARGUMENT', `invalid identity schema: ${message}`, {
    details: { field },
    ...(cause === undefined ? {} : { cause }),
  });
}
