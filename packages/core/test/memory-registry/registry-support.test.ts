import { describe, expect, it } from 'vitest';
import { MusterError } from '../../src/errors/muster-error.js';
import { compareIdentities } from '../../src/registry-support/compare-identities.js';
import { compareSortTuples } from '../../src/registry-support/compare-sort-tuples.js';
import { compareSortValues } from '../../src/registry-support/compare-sort-values.js';
import { decodeCursor } from '../../src/registry-support/decode-cursor.js';
import { encodeCursor } from '../../src/registry-support/encode-cursor.js';
import { normalizeSortKeys } from '../../src/registry-support/normalize-sort-keys.js';
import { COMPOSITE, type SortValue, sortValue } from '../../src/registry-support/sort-value.js';
import { sortValuesOf } from '../../src/registry-support/sort-values-of.js';
import type { SortKey } from '../../src/slots/registry-slot.js';

describe('compareIdentities', () => {
  it('orders by code point, astral characters after U+E000..U+FFFF', () => {
    const astral = 'a\u{1F600}'; // a surrogate pair: UTF-16 order would put it before U+FFFD
    const high = 'a\uFFFD';
    expect(astral < high).toBe(true); // what plain JavaScript comparison does
    expect(compareIdentities(astral, high)).toBeGreaterThan(0);
    expect(compareIdentities(high, astral)).toBeLessThan(0);
    const sorted = ['b', 'a\u{10000}', 'a', 'a\uE000', 'A', 'a-', 'ab'].sort(compareIdentities);
    expect(sorted).toEqual(['A', 'a', 'a-', 'ab', 'a\uE000', 'a\u{10000}', 'b']);
    expect(compareIdentities('same', 'same')).toBe(0);
    expect(compareIdentities('ab', 'abc')).toBeLessThan(0);
  });
});

describe('sortValue', () => {
  const metadata = {
    n: 3,
    s: 'x',
    b: false,
    z: null,
    list: [1, 2],
    nested: { deep: { v: 'd' }, arr: [{ v: 1 }] },
  };
  it('reads scalars, reduces arrays and objects to COMPOSITE, missing to undefined', () => {
    expect(sortValue(metadata, ['n'])).toBe(3);
    expect(sortValue(metadata, ['s'])).toBe('x');
    expect(sortValue(metadata, ['b'])).toBe(false);
    expect(sortValue(metadata, ['z'])).toBe(null);
    expect(sortValue(metadata, ['list'])).toBe(COMPOSITE);
    expect(sortValue(metadata, ['nested'])).toBe(COMPOSITE);
    expect(sortValue(metadata, ['nested', 'deep', 'v'])).toBe('d');
    expect(sortValue(metadata, ['absent'])).toBeUndefined();
    expect(sortValue(metadata, ['n', 'x'])).toBeUndefined();
  });
  it('walks objects only and own properties only, like the filter language', () => {
    expect(sortValue(metadata, ['nested', 'arr', '0', 'v'])).toBeUndefined();
    expect(sortValue(metadata, ['list', '0'])).toBeUndefined();
    expect(sortValue(metadata, ['constructor'])).toBeUndefined();
    expect(sortValue(metadata, ['toString'])).toBeUndefined();
    expect(sortValue(metadata, ['__proto__'])).toBeUndefined();
  });
});

describe('compareSortValues', () => {
  it('follows missing < null < false < true < numbers < strings < composites', () => {
    const ascending: SortValue[] = [
      undefined,
      null,
      false,
      true,
      -1e9,
      -0.5,
      0,
      2,
      10,
      '',
      '10',
      '2',
      'a',
      'a\uFFFD',
      'a\u{1F600}',
      COMPOSITE,
    ];
    for (let i = 0; i < ascending.length; i++)
      for (let j = 0; j < ascending.length; j++) {
        const order = Math.sign(compareSortValues(ascending[i], ascending[j]));
        expect([i, j, order]).toEqual([i, j, Math.sign(i - j)]);
      }
  });
  it('treats numbers numerically and composites as equal', () => {
    expect(compareSortValues(0, -0)).toBe(0);
    expect(compareSortValues(2, 10)).toBeLessThan(0);
    expect(compareSortValues(COMPOSITE, COMPOSITE)).toBe(0);
  });
});

describe('sort keys', () => {
  const byPath = (path: string[], direction: 'asc' | 'desc' = 'asc'): SortKey => ({
    by: { path },
    direction,
  });
  const identity = (direction: 'asc' | 'desc'): SortKey => ({
    by: { field: 'identity' },
    direction,
  });

  it('ends every key list with an identity key', () => {
    expect(normalizeSortKeys([])).toEqual([identity('asc')]);
    expect(normalizeSortKeys(undefined)).toEqual([identity('asc')]);
    expect(normalizeSortKeys([byPath(['a'], 'desc')])).toEqual([
      byPath(['a'], 'desc'),
      identity('asc'),
    ]);
    expect(normalizeSortKeys([identity('desc'), byPath(['a'])])).toEqual([identity('desc')]);
    expect(normalizeSortKeys([byPath(['a']), identity('desc'), byPath(['b'])])).toEqual([
      byPath(['a']),
      identity('desc'),
    ]);
  });

  it('rejects malformed keys with INVALID_ARGUMENT', () => {
    const bad: unknown[] = [
      [{ by: { path: [] }, direction: 'asc' }],
      [{ by: { path: ['a', ''] }, direction: 'asc' }],
      [{ by: { field: 'expiresAt' }, direction: 'asc' }],
      [{ by: { path: ['a'] }, direction: 'up' }],
      [null],
      'identity',
    ];
    for (const sort of bad) {
      let caught: unknown;
      try {
        normalizeSortKeys(sort as SortKey[]);
      } catch (error) {
        caught = error;
      }
      expect(MusterError.is(caught, 'INVALID_ARGUMENT')).toBe(true);
    }
  });

  it('reads a record’s sort values and compares tuples with directions', () => {
    const keys = normalizeSortKeys([
      { by: { field: 'registeredAt' }, direction: 'desc' },
      byPath(['a']),
    ]);
    const record = (identity: string, registeredAt: number, a: unknown) => ({
      identity,
      metadata: a === undefined ? {} : { a },
      registeredAt,
      updatedAt: registeredAt,
      expiresAt: null,
    });
    const x = sortValuesOf(record('x', 5, 1), keys);
    expect(x).toEqual([5, 1, 'x']);
    expect(sortValuesOf(record('y', 5, undefined), keys)).toEqual([5, undefined, 'y']);
    expect(compareSortTuples(x, sortValuesOf(record('y', 6, 1), keys), keys)).toBeGreaterThan(0);
    expect(compareSortTuples(x, sortValuesOf(record('y', 5, 1), keys), keys)).toBeLessThan(0);
    expect(compareSortTuples(x, sortValuesOf(record('a', 5, 2), keys), keys)).toBeLessThan(0);
    expect(compareSortTuples(x, x, keys)).toBe(0);
  });
});

describe('cursors', () => {
  it('round-trip every kind of sort value', () => {
    const values: SortValue[] = [
      undefined,
      null,
      true,
      false,
      0,
      -1.5,
      1e300,
      '',
      'é\u{1F600}',
      COMPOSITE,
      'id',
    ];
    const cursor = encodeCursor(values);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(values);
    expect(decodeCursor(cursor, values.length)).toEqual(values);
  });

  it('reject anything malformed with INVALID_ARGUMENT naming the cursor', () => {
    const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
    const malformed: [string, number?][] = [
      [''],
      ['not base64!'],
      ['a b'],
      [b64('{not json')],
      [b64('"id"')],
      [b64('[]')],
      [b64('{"a":1}')],
      [b64('[1]')], // no identity last
      [b64('[{"x":1},"id"]')],
      [b64('[[1],"id"]')],
      [b64('[1e999,"id"]')],
      [encodeCursor(['a', 'b']), 1],
      [encodeCursor(['a']), 2],
      ['x'.repeat((1 << 20) + 4)],
    ];
    for (const [text, length] of malformed) {
      let caught: unknown;
      try {
        decodeCursor(text, length);
      } catch (error) {
        caught = error;
      }
      expect(MusterError.is(caught, 'INVALID_ARGUMENT'), text.slice(0, 40)).toBe(true);
      expect((caught as MusterError).details.field).toBe('cursor');
    }
    expect(() => decodeCursor(123 as unknown as string)).toThrow(/malformed cursor/);
  });
});
