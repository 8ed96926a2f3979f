import { afterAll, describe, expect, it } from 'vitest';
import type { FilterNode, Scalar } from '../../src/ast/filter-node.js';
import { nodes } from '../../src/ast/nodes.js';
import { LuaFilterHarness } from './lua-filter-harness.js';

const harness = await LuaFilterHarness.open('injection');

/** Keys that would break a script built by string concatenation, or a Lua pattern. */
const KEYS = [
  '"',
  "'",
  '\\',
  ']]',
  '[[',
  '[==[',
  "]]redis_call('FLUSHALL')[[",
  '%',
  '%a',
  '%s+',
  '*',
  '[',
  ']',
  '^',
  '(',
  '-- comment',
  '\u0001\u001f\u007f\u0080',
  'é',
  '😀',
  '\uffff',
  '\u{10ffff}',
  '1',
  '0',
  'true',
  'nil',
  '__index',
  '__proto__',
  ' ',
  '\n',
  'a$',
];

const STRINGS = [
  ...KEYS,
  '',
  '.',
  'a.c',
  'x%ay',
  'xay',
  '[a-z]',
  '%d',
  '$a',
  '{"$a":0}',
  '[]',
  '{}',
  'null',
  '\\u0000',
  'x'.repeat(10_000),
];

const NUMBERS = [
  0,
  -0,
  1,
  -1,
  0.1,
  -2.5,
  1e21,
  1e-7,
  Number('123456789012345678'),
  Number('9007199254740993'),
  2 ** 53,
  2 ** 63,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MIN_VALUE,
  -Number.MIN_VALUE,
  Number.EPSILON,
];

const VALUES: Scalar[] = [...STRINGS, ...NUMBERS, true, false, null];

/** A sentence holding Lua pattern characters literally, for substring checks. */
const SENTENCE = 'x%ay.b*c[d]e]]f\\g"h\'i^j$k(l)m-n+o?p%%q';
const SUBSTRINGS = [
  '%a',
  '%ay',
  '.',
  '.b*',
  '[d]',
  ']]',
  '\\',
  '"',
  "'",
  '^j$',
  '(l)',
  '%%',
  'n+o?',
];
const NOT_SUBSTRINGS = ['x.a', '[a-z]', '%d', 'x%a+y', '^x', 'q$', '.*', '%w', 'Y', 'm-n+o?pq'];

describe.skipIf(!harness)('Redis Lua evaluator with adversarial keys and values', () => {
  const h = harness!;
  afterAll(() => h.close());

  it('answers like compile() for odd keys and values in every position', async () => {
    const documents: [string, Record<string, unknown>][] = [];
    VALUES.forEach((value, i) => {
      const key = KEYS[i % KEYS.length]!;
      documents.push([`flat:${i}`, { [key]: value }]);
      documents.push([`array:${i}`, { [key]: [value, 'pad', []] }]);
      documents.push([`nested:${i}`, { [key]: { [key]: value } }]);
    });
    documents.push(['all-keys', Object.fromEntries(KEYS.map((key, i) => [key, STRINGS[i + 3]!]))]);
    documents.push(['sentence', { s: SENTENCE, arr: VALUES }]);
    documents.push(['empty', {}]);
    const keys = await h.store(documents);

    const filters: FilterNode[] = [];
    for (const key of KEYS) {
      for (const path of [[key], [key, key]]) {
        filters.push(nodes.exists(path), nodes.type(path, 'array'), nodes.type(path, 'object'));
        filters.push(nodes.eq(path, null), nodes.in(path, [null, key]));
      }
    }
    VALUES.forEach((value, i) => {
      const key = KEYS[i % KEYS.length]!;
      for (const path of [[key], [key, key], ['arr']]) {
        filters.push(
          nodes.eq(path, value),
          nodes.contains(path, value),
          nodes.in(path, [value, 'pad']),
        );
        filters.push(nodes.not(nodes.eq(path, value)));
        if (typeof value === 'string' || typeof value === 'number') {
          for (const op of ['lt', 'lte', 'gt', 'gte'] as const)
            filters.push(nodes.range(op, path, value));
        }
        if (typeof value === 'string') {
          filters.push(nodes.startsWith(path, value), nodes.endsWith(path, value));
          filters.push(nodes.matches(path, value.replace(/[^a-z]/g, '').slice(0, 20), 'i'));
        }
      }
    });
    for (const part of [...SUBSTRINGS, ...NOT_SUBSTRINGS, ...STRINGS]) {
      filters.push(
        nodes.contains(['s'], part),
        nodes.startsWith(['s'], part),
        nodes.endsWith(['s'], part),
      );
    }

    let checked = 0;
    for (let i = 0; i < filters.length; i += 250) {
      const chunk = filters.slice(i, i + 250);
      const results = await h.runFilters(keys, chunk);
      results.forEach((result, j) => {
        const ast = chunk[j]!;
        expect(result.refined, JSON.stringify(ast)).toEqual(h.expected(keys, ast));
      });
      checked += chunk.length;
    }
    console.log(`injection: ${checked} filters over ${keys.length} documents`);
    expect(checked).toBe(filters.length);
  });

  it('treats Lua pattern characters in contains literally', async () => {
    const [sentence] = await h.store([['literal', { s: SENTENCE }]]);
    const asts = [...SUBSTRINGS, ...NOT_SUBSTRINGS].map((part) => nodes.contains(['s'], part));
    const results = await h.runFilters([sentence!], asts);
    const matched = results.map((r) => r.raw.length === 1);
    expect(matched).toEqual([...SUBSTRINGS.map(() => true), ...NOT_SUBSTRINGS.map(() => false)]);
  });

  it('still has every stored key afterwards (no script wrote or deleted anything)', async () => {
    const [key] = await h.store([['canary', { a: 1 }]]);
    await h.runFilters([key!], [nodes.eq(["]]redis_call('DEL')[["], 1)]);
    expect(await h.redis.exists(key!)).toBe(1);
  });
});
