import { emitRegex } from './emit-regex.js';
import { parseRegex } from './parse-regex.js';
import { literalPattern, PCRE_DIALECT } from './regex-dialect.js';

/**
 * The pattern for MongoDB `$regex` (PCRE2 in UTF mode) used with no options. Sets are explicit
 * classes, so neither the newline convention nor UCP changes the meaning.
 */
export function toPcreRegex(pattern: string, flags: '' | 'i'): string {
  return emitRegex(parseRegex(pattern, flags), PCRE_DIALECT);
}

/** A PCRE pattern matching `text` literally; the result is plain ASCII. */
export function pcreLiteral(text: string): string {
  return literalPattern(text, PCRE_DIALECT);
}
