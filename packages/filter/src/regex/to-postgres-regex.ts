import { emitRegex } from './emit-regex.js';
import { parseRegex } from './parse-regex.js';
import { literalPattern, POSTGRES_DIALECT } from './regex-dialect.js';

/**
 * The pattern as a PostgreSQL ARE for jsonpath `like_regex` without flags. That mode is
 * newline-sensitive (`.` and `[^...]` never match newline) and `$` is end of string only; the
 * emitted pattern uses no `.`, only negations that list newline, and no case-insensitivity, so
 * its meaning is the same in any mode.
 */
export function toPostgresRegex(pattern: string, flags: '' | 'i'): string {
  return emitRegex(parseRegex(pattern, flags), POSTGRES_DIALECT);
}

/** A PostgreSQL ARE matching `text` literally. */
export function postgresLiteral(text: string): string {
  return literalPattern(text, POSTGRES_DIALECT);
}
