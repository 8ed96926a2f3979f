import fc from 'fast-check';
import type { FilterNode, Path, Scalar, ValueType } from '../ast/filter-node.js';
import { VALUE_TYPES } from '../ast/filter-node.js';
import { nodes } from '../ast/nodes.js';

/**
 * Generators for differential tests: small alphabets so that random filters match random
 * documents often, plus the edges backends get wrong (cross-type values, astral characters,
 * big and fractional numbers, nested arrays, keys that look like keywords or SQL).
 */
export const KEYS = ['a', 'b', 'c', 'rack-id', 'and', 'é', "o'k", 'constructor'] as const;

export const STRINGS = [
  '',
  'a',
  'ab',
  'abc',
  'b',
  'B',
  'A',
  'é',
  '😀',
  '\uffff',
  'a\nb',
  "it's",
  '%_',
  'x"y',
  'a\\b',
  '1',
  'null',
] as const;

export const NUMBERS = [-1, 0, 0.1, 0.5, 1, 2, 10, 1e21, -2.5, 2 ** 53 + 2] as const;

export const scalarArb: fc.Arbitrary<Scalar> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...STRINGS) },
  { weight: 4, arbitrary: fc.constantFrom(...NUMBERS) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
);

const keyArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('a', 'b', 'c') },
  { weight: 1, arbitrary: fc.constantFrom(...KEYS) },
);

export const pathArb: fc.Arbitrary<Path> = fc.array(keyArb, { minLength: 1, maxLength: 3 });

/** Random JSON values up to a small depth: scalars, arrays (also nested), objects. */
const valueArb: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    { weight: 6, arbitrary: scalarArb },
    { weight: 2, arbitrary: fc.array(tie('value'), { maxLength: 4 }) },
    { weight: 2, arbitrary: fc.dictionary(keyArb, tie('value'), { maxKeys: 3 }) },
  ),
})).value;

export const documentArb: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(keyArb, valueArb, {
  maxKeys: 4,
});

/** Regex patterns in the portable subset, chosen to hit the strings above. */
export const PATTERNS = [
  'a',
  '^a',
  'b$',
  '^$',
  'a.b',
  '[a-c]+',
  '^[^a]',
  '\\d',
  'é|😀',
  '^.$',
  'x"y',
  "'",
  'a{2}',
  '(ab)?c',
  '',
] as const;

const rangeValueArb = fc.oneof(fc.constantFrom(...STRINGS), fc.constantFrom(...NUMBERS));

export const leafArb: fc.Arbitrary<FilterNode> = fc.oneof(
  fc.tuple(pathArb, scalarArb).map(([path, value]) => nodes.eq(path, value)),
  fc
    .tuple(fc.constantFrom('lt', 'lte', 'gt', 'gte' as const), pathArb, rangeValueArb)
    .map(([op, path, value]) => nodes.range(op, path, value)),
  fc
    .tuple(pathArb, fc.constantFrom(...STRINGS))
    .map(([path, value]) => nodes.startsWith(path, value)),
  fc
    .tuple(pathArb, fc.constantFrom(...STRINGS))
    .map(([path, value]) => nodes.endsWith(path, value)),
  fc.tuple(pathArb, scalarArb).map(([path, value]) => nodes.contains(path, value)),
  fc
    .tuple(pathArb, fc.constantFrom(...PATTERNS), fc.constantFrom('' as const, 'i' as const))
    .map(([path, pattern, flags]) => nodes.matches(path, pattern, flags)),
  fc
    .tuple(pathArb, fc.array(scalarArb, { maxLength: 4 }))
    .map(([path, values]) => nodes.in(path, values)),
  pathArb.map((path) => nodes.exists(path)),
  fc
    .tuple(pathArb, fc.constantFrom<ValueType>(...VALUE_TYPES))
    .map(([path, type]) => nodes.type(path, type)),
);

/** Random filters: leaves combined with and/or/not, at most 3 levels deep. */
export const filterArb: fc.Arbitrary<FilterNode> = fc.letrec<{ filter: FilterNode }>((tie) => ({
  filter: fc.oneof(
    { depthSize: 'small', maxDepth: 3, withCrossShrink: true },
    { weight: 3, arbitrary: leafArb },
    { weight: 1, arbitrary: tie('filter').map((child) => nodes.not(child)) },
    {
      weight: 1,
      arbitrary: fc
        .array(tie('filter'), { minLength: 2, maxLength: 3 })
        .map((children) => nodes.and(children)),
    },
    {
      weight: 1,
      arbitrary: fc
        .array(tie('filter'), { minLength: 2, maxLength: 3 })
        .map((children) => nodes.or(children)),
    },
  ),
})).filter;

/** The seed for this run: FILTER_SEED when set (to replay a failure), otherwise random. */
export function runSeed(): number {
  const fromEnv = process.env.FILTER_SEED;
  return fromEnv ? Number(fromEnv) : Math.floor(Math.random() * 2 ** 31);
}
