import { describe, expect, test } from 'vitest';
import { FilterError } from '../../src/errors/filter-error.js';
import {
  complementRanges,
  DOT_RANGES,
  normalizeRanges,
} from '../../src/regex/code-point-ranges.js';
import {
  MAX_REGEX_NESTING,
  MAX_REGEX_STATES,
  parseRegex,
  type RegexNode,
} from '../../src/regex/index.js';

const char = (c: string): RegexNode => ({ kind: 'char', codePoint: c.codePointAt(0)! });
const set = (...flat: number[]): RegexNode => ({ kind: 'set', ranges: flat });
const concat = (...items: RegexNode[]): RegexNode => ({ kind: 'concat', items });
const alt = (...alternatives: RegexNode[]): RegexNode => ({ kind: 'alternation', alternatives });
const repeat = (node: RegexNode, min: number, max: number | null): RegexNode => ({
  kind: 'repeat',
  node,
  min,
  max,
});
const EMPTY: RegexNode = { kind: 'empty' };
const START: RegexNode = { kind: 'start' };
const END: RegexNode = { kind: 'end' };
const ALL = [0, 0xd7ff, 0xe000, 0x10ffff];

function rejects(pattern: string, flags: '' | 'i' = ''): string {
  try {
    parseRegex(pattern, flags);
  } catch (error) {
    expect(FilterError.is(error)).toBe(true);
    expect((error as FilterError).code).toBe('INVALID_FILTER');
    return (error as FilterError).message;
  }
  throw new Error(`expected ${JSON.stringify(pattern)} to be rejected`);
}

describe('parseRegex: supported constructs', () => {
  test.each<[string, RegexNode]>([
    ['', EMPTY],
    ['a', char('a')],
    ['abc', concat(char('a'), char('b'), char('c'))],
    ['a|b', alt(char('a'), char('b'))],
    ['a|', alt(char('a'), EMPTY)],
    ['|', alt(EMPTY, EMPTY)],
    ['(a)', char('a')],
    ['(?:ab)c', concat(char('a'), char('b'), char('c'))],
    ['()', EMPTY],
    ['(?:)*', repeat(EMPTY, 0, null)],
    ['(a|b)c', concat(alt(char('a'), char('b')), char('c'))],
    ['^a$', concat(START, char('a'), END)],
    ['(^)*', repeat(START, 0, null)],
    ['.', set(...DOT_RANGES)],
    ['\\d', set(0x30, 0x39)],
    ['\\w', set(0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a)],
    ['\\s', set(0x09, 0x0d, 0x20, 0x20)],
    ['\\D', set(0, 0x2f, 0x3a, 0xd7ff, 0xe000, 0x10ffff)],
    [
      '\\W',
      set(...complementRanges(normalizeRanges([0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a]))),
    ],
    ['\\S', set(0, 0x08, 0x0e, 0x1f, 0x21, 0xd7ff, 0xe000, 0x10ffff)],
    ['\\n\\t\\r\\f\\v', concat(char('\n'), char('\t'), char('\r'), char('\f'), char('\v'))],
    ['\\.\\-\\/\\]\\{', concat(char('.'), char('-'), char('/'), char(']'), char('{'))],
    ['\n', char('\n')],
    ['😀', char('😀')],
    ['😀+', repeat(char('😀'), 1, null)],
    ['[a-c]', set(0x61, 0x63)],
    ['[a]', char('a')],
    ['[ca-b]', set(0x61, 0x63)],
    ['[^a]', set(0, 0x60, 0x62, 0xd7ff, 0xe000, 0x10ffff)],
    ['[-a]', set(0x2d, 0x2d, 0x61, 0x61)],
    ['[a-]', set(0x2d, 0x2d, 0x61, 0x61)],
    ['[^-]', set(0, 0x2c, 0x2e, 0xd7ff, 0xe000, 0x10ffff)],
    ['[\\]\\-\\[\\\\]', set(0x2d, 0x2d, 0x5b, 0x5d)],
    ['[\\d\\s]', set(0x09, 0x0d, 0x20, 0x20, 0x30, 0x39)],
    ['[\\D\\d]', set(...ALL)],
    ['[.*$(|{]', set(0x24, 0x24, 0x28, 0x28, 0x2a, 0x2a, 0x2e, 0x2e, 0x7b, 0x7c)],
    ['[\\--/]', set(0x2d, 0x2f)],
    ['[😀-😂]', set(0x1f600, 0x1f602)],
    ['[é-😀]', set(0xe9, 0xd7ff, 0xe000, 0x1f600)],
    ['a*', repeat(char('a'), 0, null)],
    ['a+', repeat(char('a'), 1, null)],
    ['a?', repeat(char('a'), 0, 1)],
    ['a{3}', repeat(char('a'), 3, 3)],
    ['a{2,}', repeat(char('a'), 2, null)],
    ['a{2,5}', repeat(char('a'), 2, 5)],
    ['a{0}', repeat(char('a'), 0, 0)],
    ['a{1}', char('a')],
    ['a{255}', repeat(char('a'), 255, 255)],
    ['a{0,255}', repeat(char('a'), 0, 255)],
    ['(ab)*', repeat(concat(char('a'), char('b')), 0, null)],
    ['(a*)*', repeat(repeat(char('a'), 0, null), 0, null)],
    ['[a]{2}', repeat(char('a'), 2, 2)],
  ])('%j', (pattern, expected) => {
    expect(parseRegex(pattern, '')).toEqual(expected);
  });

  test('every ASCII punctuation character can be escaped', () => {
    for (let cp = 0x21; cp <= 0x7e; cp++) {
      const c = String.fromCharCode(cp);
      if (/[A-Za-z0-9]/.test(c)) continue;
      expect(parseRegex(`\\${c}`, '')).toEqual(char(c));
      expect(parseRegex(`[\\${c}]`, '')).toEqual(char(c));
    }
  });

  test('flag i folds ASCII letters only, in literals and classes', () => {
    expect(parseRegex('a', 'i')).toEqual(set(0x41, 0x41, 0x61, 0x61));
    expect(parseRegex('Z1', 'i')).toEqual(concat(set(0x5a, 0x5a, 0x7a, 0x7a), char('1')));
    expect(parseRegex('[a-c]', 'i')).toEqual(set(0x41, 0x43, 0x61, 0x63));
    expect(parseRegex('[X-c]', 'i')).toEqual(set(0x41, 0x43, 0x58, 0x63, 0x78, 0x7a));
    // Folding comes before negation, as in every engine: [^a] under i excludes A too.
    expect(parseRegex('[^a]', 'i')).toEqual(
      set(0, 0x40, 0x42, 0x60, 0x62, 0xd7ff, 0xe000, 0x10ffff),
    );
    for (const c of ['é', 'É', 'ſ', '\u212a', 'ä', '😀', '_', '1']) {
      expect(parseRegex(c, 'i')).toEqual(char(c));
    }
    expect(parseRegex('\\w', 'i')).toEqual(parseRegex('\\w', ''));
  });

  test('sets never contain surrogates', () => {
    for (const pattern of ['.', '[^a]', '\\D', '\\W', '\\S', '[\\D\\d]']) {
      const node = parseRegex(pattern, '');
      expect(node.kind).toBe('set');
      const ranges = (node as { ranges: readonly number[] }).ranges;
      for (let k = 0; k < ranges.length; k += 2) {
        expect(ranges[k]! > 0xdfff || ranges[k + 1]! < 0xd800).toBe(true);
      }
    }
  });

  test('nodes are deeply frozen', () => {
    const node = parseRegex('(a|[b-d]+)x{2}', 'i');
    const check = (value: unknown): void => {
      if (typeof value !== 'object' || value === null) return;
      expect(Object.isFrozen(value)).toBe(true);
      for (const child of Object.values(value)) check(child);
    };
    check(node);
  });

  test('nesting up to the limit is fine', () => {
    const depth = MAX_REGEX_NESTING;
    expect(parseRegex(`${'('.repeat(depth)}a${')'.repeat(depth)}`, '')).toEqual(char('a'));
  });
});

describe('parseRegex: rejected constructs', () => {
  test.each<[string, string]>([
    ['\\b', 'unsupported regex construct "\\b" (word boundary) at pattern offset 0'],
    ['ab\\b', 'unsupported regex construct "\\b" (word boundary) at pattern offset 2'],
    ['😀\\b', 'unsupported regex construct "\\b" (word boundary) at pattern offset 1'],
    ['[\\b]', 'unsupported regex construct "\\b" (backspace) at pattern offset 1'],
    ['\\B', 'unsupported regex construct "\\B" (non-word-boundary) at pattern offset 0'],
    ['(a)\\1', 'unsupported regex construct "\\1" (backreference) at pattern offset 3'],
    ['\\k<x>', 'unsupported regex construct "\\k" (named backreference) at pattern offset 0'],
    ['\\p{L}', 'unsupported regex construct "\\p" (Unicode property) at pattern offset 0'],
    ['\\P{L}', 'unsupported regex construct "\\P" (Unicode property) at pattern offset 0'],
    ['\\u0041', 'unsupported regex construct "\\u" (Unicode escape; write the character itself)'],
    ['\\x41', 'unsupported regex construct "\\x" (hex escape; write the character itself)'],
    ['\\cA', 'unsupported regex construct "\\c" (control-character escape)'],
    ['\\0', 'unsupported regex construct "\\0" (NUL or octal escape)'],
    ['\\A', 'unsupported regex construct "\\A" (start-of-string anchor; use ^)'],
    ['\\z', 'unsupported regex construct "\\z" (end-of-string anchor; use $)'],
    ['\\q', 'unsupported regex construct "\\q" (unknown escape) at pattern offset 0'],
    ['\\é', 'unsupported regex construct "\\é" (unknown escape)'],
    ['\\ ', 'unsupported regex construct "\\ " (unknown escape)'],
    ['a\\', 'incomplete escape "\\" at the end of the regex at pattern offset 1'],
    ['(?=a)', 'unsupported regex construct "(?=" (lookahead) at pattern offset 0'],
    ['(?!a)', 'unsupported regex construct "(?!" (negative lookahead)'],
    ['x(?<=a)', 'unsupported regex construct "(?<=" (lookbehind) at pattern offset 1'],
    ['(?<!a)', 'unsupported regex construct "(?<!" (negative lookbehind)'],
    ['(?<n>a)', 'unsupported regex construct "(?<" (named group)'],
    ['(?P<n>a)', 'unsupported regex construct "(?P" (named group)'],
    ['(?i)a', 'unsupported regex construct "(?i" (inline flags)'],
    ['(?>a)', 'unsupported regex construct "(?>" (atomic group)'],
    ['(?#x)', 'unsupported regex construct "(?#" (comment)'],
    ['(?', 'unsupported regex construct "(?" (group syntax)'],
    ['(a', 'unclosed group "(" in regex at pattern offset 0'],
    ['a)', 'unmatched ")" in regex at pattern offset 1'],
    ['[a', 'unclosed class "[" in regex at pattern offset 0'],
    ['x[a-', 'unclosed class "[" in regex at pattern offset 1'],
    ['[^', 'unclosed class "[" in regex at pattern offset 0'],
    ['[]', 'empty class "[]" in regex at pattern offset 0'],
    ['[]a]', 'empty class "[]" in regex at pattern offset 0'],
    ['[^]', 'empty class "[^]" in regex at pattern offset 0'],
    ['a]', 'unescaped "]" in regex; write "\\]" for a literal "]" at pattern offset 1'],
    ['[[:alpha:]]', 'unsupported regex construct "[:alpha:]" (POSIX class'],
    ['[[.a.]]', 'unsupported regex construct "[.a.]" (collating element'],
    ['[[=a=]]', 'unsupported regex construct "[=a=]" (equivalence class'],
    ['[a[]', 'unescaped "[" inside a class in regex; write "\\[" at pattern offset 2'],
    ['[z-a]', 'invalid range "z-a" (start is after end) in regex class at pattern offset 1'],
    ['[😀-a]', 'invalid range "😀-a" (start is after end)'],
    [
      '[a-b-c]',
      'unescaped "-" in regex class; write "\\-" unless it is the first or last character at pattern offset 4',
    ],
    ['[--a]', 'unescaped "-" in regex class'],
    ['[a--]', 'unescaped "-" in regex class'],
    ['[\\d-z]', 'class escape "\\d" cannot be a range endpoint in regex at pattern offset 1'],
    ['[a-\\w]', 'class escape "\\w" cannot be a range endpoint in regex at pattern offset 3'],
    ['[^\\s\\S]', 'class "[^\\s\\S]" matches no character in regex at pattern offset 0'],
    // Found by the PostgreSQL differential test's generator: rejected on purpose.
    ['x[^\\D0-9a]', 'class "[^\\D0-9a]" matches no character in regex at pattern offset 1'],
    ['*a', 'quantifier "*" has nothing to quantify in regex at pattern offset 0'],
    ['+', 'quantifier "+" has nothing to quantify'],
    ['?', 'quantifier "?" has nothing to quantify'],
    ['(|*)', 'quantifier "*" has nothing to quantify in regex at pattern offset 2'],
    ['a|*', 'quantifier "*" has nothing to quantify in regex at pattern offset 2'],
    ['(*)', 'quantifier "*" has nothing to quantify in regex at pattern offset 1'],
    ['{2}', 'quantifier "{2}" has nothing to quantify in regex at pattern offset 0'],
    [
      '^*',
      'quantifier "*" has nothing to quantify (an anchor cannot be repeated) in regex at pattern offset 1',
    ],
    ['a$+', 'quantifier "+" has nothing to quantify (an anchor cannot be repeated)'],
    ['^{2}', 'quantifier "{2}" has nothing to quantify (an anchor cannot be repeated)'],
    ['a*?', 'lazy quantifier "*?" is not supported in regex at pattern offset 1'],
    ['a+?', 'lazy quantifier "+?" is not supported'],
    ['a??', 'lazy quantifier "??" is not supported'],
    ['a{2,3}?', 'lazy quantifier "{2,3}?" is not supported'],
    ['a*+', 'possessive quantifier "*+" is not supported in regex at pattern offset 1'],
    ['a{2}+', 'possessive quantifier "{2}+" is not supported'],
    [
      'a**',
      'quantifier "*" follows another quantifier (put the first in a group to repeat it) in regex at pattern offset 2',
    ],
    ['a?*', 'quantifier "*" follows another quantifier'],
    ['a{2}{3}', 'quantifier "{3}" follows another quantifier'],
    ['a{', 'unescaped "{" in regex; write "\\{" for a literal "{" at pattern offset 1'],
    ['{', 'unescaped "{" in regex'],
    ['a{x}', 'unescaped "{" in regex'],
    ['a{1,2', 'unescaped "{" in regex'],
    ['a{ 1}', 'unescaped "{" in regex'],
    ['a{}', 'unescaped "{" in regex'],
    ['a}', 'unescaped "}" in regex; write "\\}" for a literal "}" at pattern offset 1'],
    ['a{,3}', 'unsupported quantifier "{,3}" in regex; write "{0,3}" at pattern offset 1'],
    ['a{256}', 'repetition count 256 in "{256}" exceeds 255 in regex at pattern offset 1'],
    ['a{1,256}', 'repetition count 256 in "{1,256}" exceeds 255'],
    ['a{99999999999999999999}', 'exceeds 255'],
    ['a{3,2}', 'invalid quantifier "{3,2}" (minimum exceeds maximum) in regex at pattern offset 1'],
    ['a\uD800', 'lone surrogate U+D800 in regex at pattern offset 1'],
    ['\uDE00', 'lone surrogate U+DE00 in regex at pattern offset 0'],
    [
      '(a{255}){255}',
      `regex pattern too complex: it would compile to more than ${MAX_REGEX_STATES} states (reduce repetition counts) at pattern offset 8`,
    ],
    [
      '(a?){200}(b?){200}',
      'regex pattern too complex: too many optional or repeated items in a row (over 25000 transitions) at pattern offset 0',
    ],
    [
      'x(\\w?\\d?\\s?.?){30}',
      'regex pattern too complex: too many optional or repeated items in a row (over 25000 transitions) at pattern offset 14',
    ],
    [
      `${'('.repeat(MAX_REGEX_NESTING + 1)}a${')'.repeat(MAX_REGEX_NESTING + 1)}`,
      `regex pattern too complex: groups nested deeper than ${MAX_REGEX_NESTING} at pattern offset ${MAX_REGEX_NESTING}`,
    ],
  ])('%j', (pattern, message) => {
    expect(rejects(pattern)).toContain(message);
  });

  test('a huge nesting depth is an error, not a stack overflow', () => {
    expect(rejects('('.repeat(100_000))).toContain('nested deeper than');
  });
});
