import type { Path } from '../ast/filter-node.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEYWORDS = new Set([
  'and',
  'or',
  'not',
  'in',
  'contains',
  'startswith',
  'endswith',
  'matches',
  'exists',
  'is',
  'true',
  'false',
  'null',
]);

/** Prints a path in the string syntax, quoting only the segments that need it. */
export function formatPath(path: Path): string {
  return path
    .map((segment) =>
      IDENTIFIER.test(segment) && !KEYWORDS.has(segment.toLowerCase())
        ? segment
        : JSON.stringify(segment),
    )
    .join('.');
}
