import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compileRegexMatcher } from '../../src/regex/index.js';
import { propertySeed, subjectArb } from './regex-arbitraries.js';

function matches(pattern: string, input: string, flags: '' | 'i' = ''): boolean {
  return compileRegexMatcher(pattern, flags)(input);
}

describe('compileRegexMatcher', () => {
  test.each<[string, '' | 'i', string, boolean]>([
    // Empty pattern and empty groups match everywhere.
    ['', '', '', true],
    ['', '', 'abc', true],
    ['()', '', 'x', true],
    ['^$', '', '', true],
    ['^$', '', 'a', false],
    ['^$', '', '\n', false],
    // Unanchored search.
    ['b', '', 'abc', true],
    ['bd', '', 'abc', false],
    ['a.c', '', 'xxabcxx', true],
    // Astral characters are one character.
    ['^.$', '', '😀', true],
    ['^..$', '', '😀', false],
    ['^😀{2}$', '', '😀😀', true],
    ['^😀{2}$', '', '😀\uDE00', false],
    ['^[😀-😂]$', '', '😁', true],
    ['^[^a]$', '', '😀', true],
    ['^\\D\\W\\S$', '', '😀😀😀', true],
    ['^a.b$', '', 'a😀b', true],
    // `.` excludes newline; classes and complements do not.
    ['a.b', '', 'a\nb', false],
    ['a[^x]b', '', 'a\nb', true],
    ['a\\Db', '', 'a\nb', true],
    ['a\\Wb', '', 'a\nb', true],
    ['a\\Sb', '', 'a\nb', false],
    ['a\\sb', '', 'a\nb', true],
    ['a\\nb', '', 'a\nb', true],
    ['a\nb', '', 'a\nb', true],
    // `$` is the very end; `^` the very start (no multiline).
    ['a$', '', 'a\n', false],
    ['a$', '', 'ba', true],
    ['a\\n$', '', 'a\n', true],
    ['^a', '', 'b\na', false],
    ['^a', '', 'ab', true],
    ['a$|b', '', 'xb\n', true],
    // ASCII-only shorthands.
    ['\\d', '', '٣', false],
    ['\\w', '', 'é', false],
    ['\\s', '', '\u00a0', false],
    ['\\s', '', '\u2028', false],
    ['\\s', '', '\v', true],
    ['\\S', '', '\u00a0', true],
    // Flag i: ASCII letters only.
    ['abc', 'i', 'xABCx', true],
    ['AbC', 'i', 'aBc', true],
    ['abc', '', 'ABC', false],
    ['k', 'i', '\u212a', false],
    ['s', 'i', 'ſ', false],
    ['ä', 'i', 'Ä', false],
    ['é', 'i', 'É', false],
    ['[a-c]+$', 'i', 'xAbC', true],
    ['[^a]', 'i', 'A', false],
    ['[^a]', 'i', 'Aa', false],
    ['[^a]', 'i', 'Ab', true],
    ['^\\W$', 'i', 'A', false],
    // Alternation, including empty alternatives.
    ['cat|dog', '', 'hotdog', true],
    ['cat|dog', '', 'cow', false],
    ['^(cat|dog)s?$', '', 'cats', true],
    ['^(cat|dog)s?$', '', 'catdog', false],
    ['a|', '', 'zzz', true],
    ['^(|a)$', '', '', true],
    ['^(|a)$', '', 'a', true],
    // Bounded repetition.
    ['^a{2,3}$', '', 'a', false],
    ['^a{2,3}$', '', 'aa', true],
    ['^a{2,3}$', '', 'aaa', true],
    ['^a{2,3}$', '', 'aaaa', false],
    ['^a{0}$', '', '', true],
    ['^a{0}$', '', 'a', false],
    ['^(ab){2}$', '', 'abab', true],
    ['^(ab){2}$', '', 'ab', false],
    ['^(a|b){3,}$', '', 'abba', true],
    ['^(a|b){3,}$', '', 'ab', false],
    ['^x{255}$', '', 'x'.repeat(255), true],
    ['^x{255}$', '', 'x'.repeat(254), false],
    ['^(a?){3}b$', '', 'aab', true],
    ['^(a*)*b$', '', 'b', true],
    // Anchors inside groups and loops.
    ['(^)*a', '', 'ba', true],
    ['(^|x)a', '', 'ba', false],
    ['(^|x)a', '', 'xa', true],
    ['a($|b)', '', 'ab', true],
    ['$^', '', '', true],
    ['$^', '', 'a', false],
    ['a^', '', 'a', false],
    // Literal fast paths.
    ['^abc$', '', 'abc', true],
    ['^abc$', '', 'abcd', false],
    ['^ab', '', 'abz', true],
    ['ab$', '', 'zab', true],
    ['ab$', '', 'zab\n', false],
    ['a😀', '', 'xa😀y', true],
    // A literal prefix followed by more.
    ['ab[cd]', '', 'xxabxabd', true],
    ['ab[cd]', '', 'xxabxabe', false],
  ])('%j (%j) on %j is %j', (pattern, flags, input, expected) => {
    expect(matches(pattern, input, flags)).toBe(expected);
  });

  test('a compiled matcher can be reused (its state lists reset on every call)', () => {
    const match = compileRegexMatcher('^(a|b)*c$', '');
    for (let k = 0; k < 3; k++) {
      expect(match('ababc')).toBe(true);
      expect(match('ababd')).toBe(false);
      expect(match('')).toBe(false);
      expect(match('c')).toBe(true);
    }
  });

  test('lone surrogates in the input match no set (inputs are well-formed in practice)', () => {
    expect(matches('^.$', '\uD800')).toBe(false);
    expect(matches('^\\D$', '\uDE00')).toBe(false);
    expect(matches('a', '\uD800a')).toBe(true);
  });

  test('literal fast paths agree with the general matcher', () => {
    const literal = fc
      .array(fc.constantFrom('a', 'b', '😀', 'é', '\n'), { maxLength: 4 })
      .map((chars) => chars.join(''));
    fc.assert(
      fc.property(literal, subjectArb, (lit, subject) => {
        // `lit|lit` means the same but defeats the fast path.
        for (const [fast, slow] of [
          [lit, `${lit}|${lit}`],
          [`^${lit}`, `^${lit}|^${lit}`],
          [`${lit}$`, `${lit}$|${lit}$`],
          [`^${lit}$`, `^${lit}$|^${lit}$`],
        ] as const) {
          expect(matches(fast, subject)).toBe(matches(slow, subject));
        }
      }),
      { seed: propertySeed('literal fast paths'), numRuns: 500 },
    );
  });
});

describe('compileRegexMatcher: no catastrophic backtracking', () => {
  const N = 50_000;
  test.each<[string, string, boolean]>([
    ['(a+)+$', `${'a'.repeat(N)}!`, false],
    ['(a+)+$', 'a'.repeat(N), true],
    ['(a|a)*b', 'a'.repeat(N), false],
    ['(a|aa)*b', 'a'.repeat(N), false],
    ['(a*)*b', 'a'.repeat(N), false],
    ['\\d*\\d*\\d*\\d*x', '1'.repeat(N), false],
    ['\\d*\\d*\\d*\\d*x', `${'1'.repeat(N)}x`, true],
    ['^(\\w+\\s?)*$', `${'word '.repeat(N / 5)}!`, false],
    ['(.*a){12}', 'a'.repeat(N - 1), true],
    ['(.*a){12}b', 'a'.repeat(N), false],
    ['^(([a-z])+.)+[A-Z]([a-z])+$', 'a'.repeat(N), false],
    ['(x+x+)+y', 'x'.repeat(N), false],
    // Near the state limit, with hundreds of threads alive at every position.
    ['[ab]{0,255}[ab]{0,255}[ab]{0,255}c', 'ab'.repeat(10_000), false],
  ])('%j on an adversarial %#', (pattern, input, expected) => {
    const match = compileRegexMatcher(pattern, '');
    const started = performance.now();
    expect(match(input)).toBe(expected);
    // Generous: linear-time matching takes milliseconds; backtracking would take forever.
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
