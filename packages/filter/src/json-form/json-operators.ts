/** The operator suffixes of the JSON form: `{"path.op": value}`. */
export const JSON_OPERATORS = Object.freeze([
  'eq',
  'ne',
  'lt',
  'lte',
  'gt',
  'gte',
  'startswith',
  'endswith',
  'contains',
  'regex',
  'in',
  'exists',
  'type',
] as const);

export type JsonOperator = (typeof JSON_OPERATORS)[number];

const OPERATOR_SET: ReadonlySet<string> = new Set(JSON_OPERATORS);

export function isJsonOperator(segment: string): segment is JsonOperator {
  return OPERATOR_SET.has(segment);
}

/** The JSON form of a filter: an object of `path[.op]` keys and `$and`/`$or`/`$not`. */
export type JsonFilter = { readonly [key: string]: unknown };
