import { isAsciiAlphanumeric, isAsciiPunctuation } from './ascii-classes.js';

/** How one backend spells what is not plain ASCII, and its anchors; the structure is shared. */
export interface RegexDialect {
  /** A code point written as an escape (space, controls, non-ASCII). */
  readonly escape: (codePoint: number) => string;
  readonly start: string;
  readonly end: string;
}

/**
 * PostgreSQL ARE for jsonpath `like_regex` without flags. Non-ASCII and controls become
 * `\uXXXX` / `\UXXXXXXXX`, so no character can mean anything special in any regex mode.
 */
export const POSTGRES_DIALECT: RegexDialect = Object.freeze({
  escape: (cp: number) => {
    const hex = cp.toString(16).toUpperCase();
    return cp <= 0xffff ? `\\u${hex.padStart(4, '0')}` : `\\U${hex.padStart(8, '0')}`;
  },
  start: '^',
  end: '$',
});

/**
 * PCRE2 in UTF mode with no options (MongoDB `$regex`). `\A` and `\z` are the ends of the subject
 * in every mode (PCRE's `$` also matches before a final newline); `\x{HEX}` is a code point.
 */
export const PCRE_DIALECT: RegexDialect = Object.freeze({
  escape: (cp: number) => `\\x{${cp.toString(16).toUpperCase()}}`,
  start: '\\A',
  end: '\\z',
});

/** A literal character outside a class: alphanumerics as they are, punctuation behind `\`. */
export function literalChar(cp: number, dialect: RegexDialect): string {
  if (isAsciiAlphanumeric(cp)) return String.fromCodePoint(cp);
  return isAsciiPunctuation(cp) ? `\\${String.fromCodePoint(cp)}` : dialect.escape(cp);
}

/** A character inside a bracket expression: everything but alphanumerics escaped. */
export function classChar(cp: number, dialect: RegexDialect): string {
  return isAsciiAlphanumeric(cp) ? String.fromCodePoint(cp) : dialect.escape(cp);
}

/** A pattern matching `text` literally (for startswith, endswith and substring tests). */
export function literalPattern(text: string, dialect: RegexDialect): string {
  let pattern = '';
  for (const char of text) pattern += literalChar(char.codePointAt(0)!, dialect);
  return pattern;
}
