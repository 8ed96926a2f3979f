import type { Path } from '@muster/filter';

/** Stands for any array or object: they sort after every scalar and equal to one another. */
export const COMPOSITE: unique symbol = Symbol.for('@muster/core/sort-value/composite');

/**
 * A metadata value reduced to what sorting looks at: `undefined` for a missing path, a scalar,
 * or `COMPOSITE` for an array or object.
 */
export type SortValue = undefined | null | boolean | number | string | typeof COMPOSITE;

/**
 * Reads the sort value of `path` in a metadata object. Paths walk own properties of objects only,
 * as in the filter language: a missing key, or a non-object (an array included) before the last
 * segment, makes the value missing.
 */
export function sortValue(metadata: Readonly<Record<string, unknown>>, path: Path): SortValue {
  let value: unknown = metadata;
  for (let i = 0; i < path.length; i++) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const key = path[i]!;
    if (!Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return value;
    case 'object':
      return value === null ? null : COMPOSITE;
    default:
      return undefined;
  }
}
