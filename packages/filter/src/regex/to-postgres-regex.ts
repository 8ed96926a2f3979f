import {
  emitRegex,
  isAsciiAlphanumeric,
  isAsciiPunctuation,
  type RegexDialect,
} from './emit-regex.js';
import { parseRegex } from './parse-regex.js';

/**
 * The pattern as a PostgreSQL ARE for jsonpath `like_regex` without flags. That mode is
 * newline-sensitive (`.` and `[^...]` never match newline) and `$` is end of string only; the
 * emitted pattern uses no `.`, only negations that list newline, and no case-insensitivity, so
 * its meaning is the same in any mode. Non-alphanumerics are escaped (`\uXXXX`, `\UXXXXXXXX`).
 */
export function toPostgresRegex(pattern: string, flags: '' | 'i'): string {
  return emitRegex(parseRegex(pattern, flags), POSTGRES);
}

const POSTGRES: RegexDialect = {
  literal: (cp) =>
    isAsciiAlphanumeric(cp)
      ? String.fromCodePoint(cp)
      : isAsciiPunctuation(cp)
        ? `\\${String.fromCodePoint(cp)}`
        : unicodeEscape(cp),
  classChar: (cp) => (isAsciiAlphanumeric(cp) ? String.fromCodePoint(cp) : unicodeEscape(cp)),
  start: '^',
  end: '$',
};

function unicodeEscape(cp: number): string {
  const hex = cp.toString(16).toUpperCase();
  return cp <= 0xffff ? `\\u${hex.padStart(4, '0')}` : `\\U${hex.padStart(8, '0')}`;
}
