import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { format } from '../src/format/format.js';
import { toJsonForm } from '../src/format/to-json-form.js';
import { parse } from '../src/parse.js';
import { filterArb, runSeed } from '../src/testing/arbitraries.js';

const unlimited = { limits: { maxDepth: 100, maxComparisons: 1000, maxInputLength: 1_000_000 } };

describe('printers', () => {
  it('parse(format(ast)) gives back the same AST', () => {
    const seed = runSeed();
    console.log(`round-trip string seed=${seed}`);
    fc.assert(
      fc.property(filterArb, (ast) => {
        expect(parse(format(ast), unlimited)).toEqual(ast);
      }),
      { seed, numRuns: 3000 },
    );
  });

  it('parse(toJsonForm(ast)) gives back the same AST', () => {
    const seed = runSeed();
    console.log(`round-trip JSON seed=${seed}`);
    fc.assert(
      fc.property(filterArb, (ast) => {
        const json = JSON.parse(JSON.stringify(toJsonForm(ast)));
        expect(parse(json, unlimited)).toEqual(ast);
      }),
      { seed, numRuns: 3000 },
    );
  });

  it('prints canonical forms', () => {
    expect(format(parse('NOT (a == 1 AND b In [1,2]) || c exists'))).toBe(
      'not (a == 1 and b in [1, 2]) or c exists',
    );
    expect(format(parse('(a == 1 or b != "x") and not c < 2 and "rack-id" is not null'))).toBe(
      '(a == 1 or b != "x") and not c < 2 and "rack-id" is not null',
    );
    expect(format(parse('h matches "^e\\\\d"i and "and".x not contains "y"'))).toBe(
      'h matches "^e\\\\d"i and "and".x not contains "y"',
    );
    expect(format(parse(''))).toBe('');
    expect(toJsonForm(parse('a == 1 and b.lt != "*" and c exists and d.e not exists'))).toEqual({
      a: 1,
      'b.lt.ne': '*',
      'c.exists': true,
      'd.e.exists': false,
    });
    expect(toJsonForm(parse('a == 1 and a == 2'))).toEqual({ $and: [{ a: 1 }, { a: 2 }] });
    expect(toJsonForm(parse('a == "*"'))).toEqual({ 'a.eq': '*' });
    expect(toJsonForm(parse('a matches "x"i or not (b < 1)'))).toEqual({
      $or: [{ 'a.regex': { pattern: 'x', flags: 'i' } }, { $not: { 'b.lt': 1 } }],
    });
  });
});
