import fc from 'fast-check';
import { parseRegex } from '../../src/regex/index.js';

/**
 * Random patterns of the portable subset over a small alphabet, so that random subjects match
 * often. Every generated pattern is valid (parseRegex must accept it).
 */

const LITERALS = ['a', 'b', 'A', 'B', 'z', 'é', 'É', '😀', '-', '0', '1', ' ', '\n'];
const ESCAPES = [
  '\\n',
  '\\t',
  '\\-',
  '\\.',
  '\\d',
  '\\w',
  '\\s',
  '\\D',
  '\\W',
  '\\S',
  '\\]',
  '\\[',
  '\\\\',
  '\\^',
  '\\$',
  '\\*',
  '\\{',
  '\\}',
  '\\(',
  '\\|',
  '\\/',
];
const CLASS_ITEMS = [
  'a',
  'b',
  'A',
  'é',
  '😀',
  '0',
  '1',
  '\n',
  ' ',
  '.',
  '*',
  '$',
  '(',
  '|',
  '{',
  '\\d',
  '\\w',
  '\\s',
  '\\D',
  '\\W',
  '\\S',
  '\\n',
  '\\-',
  '\\]',
  '\\\\',
  '\\^',
  '\\[',
  'a-z',
  'A-Z',
  '0-9',
  'a-b',
  'B-a',
  'é-😀',
  '\\--a',
  '\n-a',
  'Z-é',
];
const QUANTIFIERS = ['*', '+', '?', '{0}', '{1}', '{2}', '{0,1}', '{1,3}', '{2,}', '{0,2}', '{3}'];

const classArb = fc
  .tuple(
    fc.boolean(),
    fc.boolean(),
    fc.array(fc.constantFrom(...CLASS_ITEMS), { minLength: 1, maxLength: 3 }),
    fc.boolean(),
  )
  .map(
    ([negated, leadingHyphen, items, trailingHyphen]) =>
      `[${negated ? '^' : ''}${leadingHyphen ? '-' : ''}${items.join('')}${trailingHyphen ? '-' : ''}]`,
  );

const { pattern } = fc.letrec<{ pattern: string; concat: string; item: string; atom: string }>(
  (tie) => ({
    pattern: fc
      .array(tie('concat'), { minLength: 1, maxLength: 3, depthIdentifier: 'regex' })
      .map((alternatives) => alternatives.join('|')),
    concat: fc
      .array(tie('item'), { minLength: 0, maxLength: 4, depthIdentifier: 'regex' })
      .map((items) => items.join('')),
    item: fc
      .oneof(
        { depthIdentifier: 'regex' },
        { arbitrary: fc.tuple(tie('atom'), fc.constantFrom('', '', ...QUANTIFIERS)), weight: 8 },
        { arbitrary: fc.constantFrom('^', '$').map((anchor) => [anchor, ''] as const), weight: 1 },
      )
      .map(([atom, quantifier]) => atom + quantifier),
    atom: fc.oneof(
      { maxDepth: 3, depthIdentifier: 'regex' },
      { arbitrary: fc.constantFrom(...LITERALS), weight: 6 },
      { arbitrary: fc.constantFrom(...ESCAPES), weight: 2 },
      { arbitrary: fc.constant('.'), weight: 1 },
      { arbitrary: classArb, weight: 2 },
      {
        arbitrary: fc
          .tuple(fc.constantFrom('(', '(?:'), tie('pattern'))
          .map(([open, inner]) => `${open}${inner})`),
        weight: 2,
      },
    ),
  }),
);

export const patternArb: fc.Arbitrary<string> = pattern;

export const flagsArb: fc.Arbitrary<'' | 'i'> = fc.constantFrom('', 'i');

const SUBJECT_CHARS = [
  'a',
  'b',
  'A',
  'B',
  'z',
  'Z',
  'é',
  'É',
  '😀',
  '😁',
  '\n',
  '\t',
  ' ',
  '-',
  '.',
  '0',
  '1',
  '_',
  '[',
  ']',
  '\\',
  '^',
  '$',
  '*',
  '{',
  '|',
  '/',
  'ſ',
  'K',
];

/** Mostly short subjects; some longer ones exercise the matcher's skipping ahead. */
export const subjectArb: fc.Arbitrary<string> = fc
  .oneof(
    { arbitrary: fc.array(fc.constantFrom(...SUBJECT_CHARS), { maxLength: 10 }), weight: 4 },
    { arbitrary: fc.array(fc.constantFrom(...SUBJECT_CHARS), { maxLength: 40 }), weight: 1 },
  )
  .map((chars) => chars.join(''));

/** Pattern-like noise: mostly invalid patterns, to check that what we accept means the same. */
export const noisyPatternArb: fc.Arbitrary<string> = fc
  .array(
    fc.constantFrom(
      'a',
      'b',
      'A',
      '😀',
      '\n',
      '-',
      '.',
      '^',
      '$',
      '|',
      '(',
      ')',
      '(?:',
      '[',
      ']',
      '[^',
      '{',
      '}',
      ',',
      '1',
      '2',
      '*',
      '+',
      '?',
      '\\',
      '\\d',
      '\\w',
      '\\S',
    ),
    { maxLength: 10 },
  )
  .map((parts) => parts.join(''));

/** The seed for a property run: FILTER_SEED when set, else random; logged for reruns. */
export function propertySeed(label: string): number {
  const fromEnv = process.env.FILTER_SEED;
  const seed =
    fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) : (Math.random() * 2 ** 31) | 0;
  console.log(`${label}: fast-check seed ${seed} (rerun with FILTER_SEED=${seed})`);
  return seed;
}

/**
 * False for the one kind of generated pattern that is validly rejected: a class that matches no
 * character (e.g. `[^\\D0-9]`); use with fc.pre. Any other error is a bug and is rethrown.
 */
export function isMatchableClassPattern(pattern: string, flags: '' | 'i'): boolean {
  try {
    parseRegex(pattern, flags);
    return true;
  } catch (error) {
    if (error instanceof Error && error.message.includes('matches no character')) return false;
    throw error;
  }
}
