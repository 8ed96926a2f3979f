import { FilterError, type Path, parse } from '@muster/filter';
import { MusterError } from '../errors/muster-error.js';
import type { SortKey } from '../slots/registry-slot.js';
import { invalidArgument } from './invalid-argument.js';
import type { SortSpec } from './muster-api.js';

/** Most sort keys in one request: more never helps and only costs the backend. */
export const MAX_SORT_KEYS = 8;

const NO_SORT: readonly SortKey[] = Object.freeze([]);
const REGISTERED_AT = Object.freeze({ field: 'registeredAt' as const });
const IDENTITY = Object.freeze({ field: 'identity' as const });

/** Parsed metadata paths by their text: sort specs repeat, parsing them does not need to. */
const paths = new Map<string, Path>();
const MAX_CACHED_PATHS = 1000;

/**
 * Sort specs as the registry takes them. `by` is `registered_at`, `identity`, or a metadata path
 * in the filter syntax's path form (`location.floor`, `labels."rack-id"`; quote a metadata field
 * named `identity` or `registered_at`). Metadata paths are UNSUPPORTED when the registry cannot
 * sort by them (`supports.sort`); malformed specs are INVALID_ARGUMENT.
 */
export function parseSort(sort: unknown, metadataSort: boolean): readonly SortKey[] {
  if (sort === undefined) return NO_SORT;
  if (!Array.isArray(sort))
    throw invalidArgument('sort', 'sort must be an array of { by, direction }');
  if (sort.length > MAX_SORT_KEYS)
    throw invalidArgument(
      'sort',
      `sort has ${sort.length} keys; at most ${MAX_SORT_KEYS} are allowed`,
    );
  if (sort.length === 0) return NO_SORT;
  const keys: SortKey[] = [];
  for (let i = 0; i < sort.length; i++) {
    const spec = sort[i] as SortSpec | undefined;
    const field = `sort[${i}]`;
    if (typeof spec !== 'object' || spec === null || typeof spec.by !== 'string')
      throw invalidArgument(field, `${field} must be an object with a string \`by\``);
    const direction = spec.direction ?? 'asc';
    if (direction !== 'asc' && direction !== 'desc')
      throw invalidArgument(`${field}.direction`, `${field}.direction must be 'asc' or 'desc'`);
    if (spec.by === 'registered_at') keys.push({ by: REGISTERED_AT, direction });
    else if (spec.by === 'identity') keys.push({ by: IDENTITY, direction });
    else {
      if (!metadataSort)
        throw new MusterError(
          'UNSUPPORTED',
          `this registry cannot sort by metadata (${JSON.stringify(spec.by)}); sort by registered_at or identity`,
          { details: { field: `${field}.by`, capability: 'sort' } },
        );
      keys.push({ by: { path: parsePath(spec.by, `${field}.by`) }, direction });
    }
  }
  return keys;
}

/** A path in the filter syntax, parsed by the filter grammar itself (`<path> exists`). */
function parsePath(text: string, field: string): Path {
  const cached = paths.get(text);
  if (cached !== undefined) return cached;
  let path: Path | undefined;
  if (text.trim() === text && text.length > 0 && text.length <= 1024) {
    try {
      const node = parse(`${text} exists`);
      if (node.kind === 'exists') path = node.path;
    } catch (error) {
      if (!FilterError.is(error)) throw error;
    }
  }
  if (path === undefined)
    throw invalidArgument(
      field,
      `${JSON.stringify(text.slice(0, 100))} is not a metadata path (write segments separated by dots, quoting any that is not an identifier: labels."rack-id")`,
    );
  if (paths.size >= MAX_CACHED_PATHS) paths.clear();
  paths.set(text, path);
  return path;
}
