import {
  emitRegex,
  isAsciiAlphanumeric,
  isAsciiPunctuation,
  type RegexDialect,
} from './emit-regex.js';
import { parseRegex } from './parse-regex.js';

/**
 * The pattern for MongoDB `$regex` (PCRE2 in UTF mode) used with no options. `\A` and `\z` are
 * the ends of the subject in every mode (PCRE's `$` also matches before a final newline); sets
 * are explicit classes, so neither the newline convention nor UCP changes the meaning.
 */
export function toPcreRegex(pattern: string, flags: '' | 'i'): string {
  return emitRegex(parseRegex(pattern, flags), PCRE);
}

const PCRE: RegexDialect = {
  literal: (cp) =>
    isAsciiAlphanumeric(cp)
      ? String.fromCodePoint(cp)
      : isAsciiPunctuation(cp)
        ? `\\${String.fromCodePoint(cp)}`
        : hexEscape(cp),
  classChar: (cp) => (isAsciiAlphanumeric(cp) ? String.fromCodePoint(cp) : hexEscape(cp)),
  start: '\\A',
  end: '\\z',
};

function hexEscape(cp: number): string {
  return `\\x{${cp.toString(16).toUpperCase()}}`;
}
