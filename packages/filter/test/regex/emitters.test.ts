import { describe, expect, test } from 'vitest';
import {
  isBacktrackingSafe,
  MAX_BACKTRACKING_PATHS,
  toPcreRegex,
  toPostgresRegex,
} from '../../src/regex/index.js';

// [pattern, flags, PostgreSQL ARE, PCRE]
const GOLDEN: readonly (readonly [string, '' | 'i', string, string])[] = [
  ['abc', '', 'abc', 'abc'],
  ['a.b', '', 'a[^\\u000A]b', 'a[^\\x{A}]b'],
  ['^\\d+x$', 'i', '^[0-9]+[Xx]$', '\\A[0-9]+[Xx]\\z'],
  ['(ab|c)*d', '', '(?:ab|c)*d', '(?:ab|c)*d'],
  ['a{2,5}b{3}c{2,}', '', 'a{2,5}b{3}c{2,}', 'a{2,5}b{3}c{2,}'],
  ['é😀', '', '\\u00E9\\U0001F600', '\\x{E9}\\x{1F600}'],
  ['\\.\\-\\/ ', '', '\\.\\-\\/\\u0020', '\\.\\-\\/\\x{20}'],
  ['a\\nb\\t', '', 'a\\u000Ab\\u0009', 'a\\x{A}b\\x{9}'],
  [
    '[^a]',
    '',
    '[\\u0000-\\u0060b-\\uD7FF\\uE000-\\U0010FFFF]',
    '[\\x{0}-\\x{60}b-\\x{D7FF}\\x{E000}-\\x{10FFFF}]',
  ],
  ['\\S', '', '[^\\u0009-\\u000D\\u0020]', '[^\\x{9}-\\x{D}\\x{20}]'],
  ['\\w', '', '[0-9A-Z\\u005Fa-z]', '[0-9A-Z\\x{5F}a-z]'],
  [
    '\\s\\D',
    '',
    '[\\u0009-\\u000D\\u0020][\\u0000-\\u002F\\u003A-\\uD7FF\\uE000-\\U0010FFFF]',
    '[\\x{9}-\\x{D}\\x{20}][\\x{0}-\\x{2F}\\x{3A}-\\x{D7FF}\\x{E000}-\\x{10FFFF}]',
  ],
  ['', '', '', ''],
  ['a|', '', 'a|', 'a|'],
  ['(^)*a', '', '(?:^)*a', '(?:\\A)*a'],
  ['(a*)*', '', '(?:a*)*', '(?:a*)*'],
  ['()*', '', '(?:)*', '(?:)*'],
  ['(a|b)?c', '', '(?:a|b)?c', '(?:a|b)?c'],
  ['[😀-😂é]+', '', '[\\u00E9\\U0001F600-\\U0001F602]+', '[\\x{E9}\\x{1F600}-\\x{1F602}]+'],
  [
    '^[a-z0-9._-]+@example\\.com$',
    'i',
    '^[\\u002D\\u002E0-9A-Z\\u005Fa-z]+\\@[Ee][Xx][Aa][Mm][Pp][Ll][Ee]\\.[Cc][Oo][Mm]$',
    '\\A[\\x{2D}\\x{2E}0-9A-Z\\x{5F}a-z]+\\@[Ee][Xx][Aa][Mm][Pp][Ll][Ee]\\.[Cc][Oo][Mm]\\z',
  ],
];

describe('emitters: golden outputs', () => {
  test.each(GOLDEN)('%j (%j)', (pattern, flags, postgres, pcre) => {
    expect(toPostgresRegex(pattern, flags)).toBe(postgres);
    expect(toPcreRegex(pattern, flags)).toBe(pcre);
  });

  test('emitters reject what the parser rejects', () => {
    expect(() => toPostgresRegex('\\b', '')).toThrow('word boundary');
    expect(() => toPcreRegex('(?=a)', '')).toThrow('lookahead');
  });

  test('outputs are ASCII only', () => {
    for (const [pattern, flags] of GOLDEN) {
      expect(toPostgresRegex(pattern, flags)).toMatch(/^[\x20-\x7e]*$/);
      expect(toPcreRegex(pattern, flags)).toMatch(/^[\x20-\x7e]*$/);
    }
  });
});

describe('isBacktrackingSafe', () => {
  test.each([
    'abc',
    '',
    '^\\d+$',
    'a*b',
    '.*',
    '^[a-z0-9._-]+@[a-z]{2,10}\\.com$',
    '\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}',
    'cat|dog|bird',
    'a{0,255}',
    '(?:ab)c',
  ])('%j is safe', (pattern) => {
    expect(isBacktrackingSafe(pattern, '')).toBe(true);
    expect(isBacktrackingSafe(pattern, 'i')).toBe(true);
  });

  test.each([
    '(a+)+$',
    '(a|a)*b',
    '(a*)*b',
    '(ab)?',
    '(a|b)+',
    '\\d*\\d*x',
    'a+b+',
    'a*|b*',
    'a{0,255}b{0,255}',
    'a{2,}.*',
    '(a|b)(c|d)(e|f)(g|h)(i|j)(k|l)(m|n)(o|p)(q|r)',
  ])('%j is not safe', (pattern) => {
    expect(isBacktrackingSafe(pattern, '')).toBe(false);
  });

  test('the path budget is inclusive', () => {
    expect(isBacktrackingSafe(`a{0,${MAX_BACKTRACKING_PATHS - 1}}`, '')).toBe(true);
    expect(isBacktrackingSafe(`(a|b)a{0,${MAX_BACKTRACKING_PATHS / 2 - 1}}`, '')).toBe(true);
    expect(isBacktrackingSafe(`(a|b)a{0,${MAX_BACKTRACKING_PATHS / 2}}`, '')).toBe(false);
  });

  test('invalid patterns throw', () => {
    expect(() => isBacktrackingSafe('a**', '')).toThrow('follows another quantifier');
  });
});
