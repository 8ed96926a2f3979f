import type { FieldSchema, FieldType, IdentitySchema } from '@muster/core';
import type { FieldSettings, NamespaceSettings } from './config-schema.js';

/** A problem at a path below `identity_schema`. */
export class SchemaProblem extends Error {
  constructor(
    readonly path: readonly (string | number)[],
    message: string,
  ) {
    super(message);
  }
}

/** RFC-017 type names and what they are in Muster's schema. */
const TYPE_NAMES: Readonly<Record<string, FieldType>> = {
  string: 'string',
  str: 'string',
  number: 'number',
  float: 'number',
  double: 'number',
  int: 'number',
  integer: 'number',
  bool: 'boolean',
  boolean: 'boolean',
  timestamp: 'timestamp',
  object: 'object',
  map: 'object',
  // A GeoJSON-ish {lat, lon} object: stored and filtered as an object.
  geo_point: 'object',
  array: 'array',
  enum: 'enum',
};

type RawSchema = NonNullable<NamespaceSettings['identity_schema']>;
type RawField = string | FieldSettings;

/**
 * RFC-017's identity schema, short form (`status: enum[online, away]`, `tags: array[string]`,
 * `battery_level: float`) or long form (`fields:` with `type`, `required`, `max_length`,
 * `values`, `default`, `auto: now`, `index`), as core's IdentitySchema.
 */
export function toIdentitySchema(raw: RawSchema): IdentitySchema {
  const long = 'fields' in raw && typeof raw.fields === 'object' && raw.fields !== null;
  const fields = (long ? raw.fields : raw) as Readonly<Record<string, RawField>>;
  const prefix = long ? ['fields'] : [];
  const out: Record<string, FieldSchema> = {};
  for (const [name, field] of Object.entries(fields)) {
    if (!long && (name === 'primary_key' || name === 'additional_fields')) continue;
    out[name] = toField(field, [...prefix, name]);
  }
  const additional = long ? (raw as { additional_fields?: boolean }).additional_fields : undefined;
  return { fields: out, ...(additional === undefined ? {} : { additionalFields: additional }) };
}

function toField(field: RawField, path: readonly (string | number)[]): FieldSchema {
  if (typeof field === 'string') return parseShortType(field, path);
  const base = parseShortType(field.type, [...path, 'type']);
  const values = field.values ?? base.values;
  return {
    ...base,
    ...(field.required === undefined ? {} : { required: field.required }),
    ...(field.max_length === undefined ? {} : { maxLength: field.max_length }),
    ...(values === undefined ? {} : { values }),
    ...(field.default === undefined ? {} : { default: field.default }),
    ...(field.auto === undefined ? {} : { auto: field.auto }),
    ...(field.index === undefined ? {} : { index: field.index }),
  };
}

/** `enum[a, b]`, `array[string]`, or a plain type name. */
function parseShortType(text: string, path: readonly (string | number)[]): FieldSchema {
  const match = /^\s*([a-z_]+)\s*(?:\[(.*)\])?\s*$/i.exec(text);
  const type = match === null ? undefined : TYPE_NAMES[match[1]!.toLowerCase()];
  if (match === null || type === undefined)
    throw new SchemaProblem(
      path,
      `unknown field type "${text}" (use string, number/float/int, boolean, timestamp, object, geo_point, array[...], enum[...])`,
    );
  const inner = match[2];
  if (type === 'enum') {
    const values = (inner ?? '')
      .split(',')
      .map((value) => value.trim())
      .filter((value) => value !== '');
    return values.length === 0 ? { type } : { type, values };
  }
  return { type };
}
