import { describe, expect, it } from 'vitest';
import { nodes } from '../src/ast/nodes.js';
import { type ParseOptions, parse } from '../src/parse.js';
import { catchFilterError } from './support/catch-filter-error.js';

const parseError = (input: unknown, options: ParseOptions = {}) =>
  catchFilterError(() => parse(input, options), JSON.stringify(input));

describe('string syntax', () => {
  it('parses every comparison operator', () => {
    expect(parse('a == 1')).toEqual(nodes.eq(['a'], 1));
    expect(parse('a != "x"')).toEqual(nodes.not(nodes.eq(['a'], 'x')));
    expect(parse('a < 1')).toEqual(nodes.range('lt', ['a'], 1));
    expect(parse('a <= 1')).toEqual(nodes.range('lte', ['a'], 1));
    expect(parse('a > "m"')).toEqual(nodes.range('gt', ['a'], 'm'));
    expect(parse('a >= -2.5e3')).toEqual(nodes.range('gte', ['a'], -2500));
  });

  it('parses the word operators and their negations', () => {
    expect(parse('fw startswith "1.0"')).toEqual(nodes.startsWith(['fw'], '1.0'));
    expect(parse('host not endswith ".lab"')).toEqual(nodes.not(nodes.endsWith(['host'], '.lab')));
    expect(parse('caps contains "gps"')).toEqual(nodes.contains(['caps'], 'gps'));
    expect(parse('caps not contains 3')).toEqual(nodes.not(nodes.contains(['caps'], 3)));
    expect(parse('h matches "^edge-[0-9]+$"')).toEqual(nodes.matches(['h'], '^edge-[0-9]+$', ''));
    expect(parse('h matches "edge"i')).toEqual(nodes.matches(['h'], 'edge', 'i'));
    expect(parse('h not matches "x"i')).toEqual(nodes.not(nodes.matches(['h'], 'x', 'i')));
    expect(parse('b in ["B1", 2, null, true]')).toEqual(nodes.in(['b'], ['B1', 2, null, true]));
    expect(parse('b not in []')).toEqual(nodes.not(nodes.in(['b'], [])));
    expect(parse('loc exists')).toEqual(nodes.exists(['loc']));
    expect(parse('loc not exists')).toEqual(nodes.not(nodes.exists(['loc'])));
    expect(parse('x is number')).toEqual(nodes.type(['x'], 'number'));
    expect(parse('x is not array')).toEqual(nodes.not(nodes.type(['x'], 'array')));
  });

  it('gives not > and > or precedence and flattens chains', () => {
    const a = nodes.eq(['a'], 1);
    const b = nodes.eq(['b'], 2);
    const c = nodes.eq(['c'], 3);
    expect(parse('a == 1 or b == 2 and c == 3')).toEqual(nodes.or([a, nodes.and([b, c])]));
    expect(parse('(a == 1 or b == 2) and c == 3')).toEqual(nodes.and([nodes.or([a, b]), c]));
    expect(parse('not a == 1 and b == 2')).toEqual(nodes.and([nodes.not(a), b]));
    expect(parse('a == 1 and (b == 2 and c == 3)')).toEqual(nodes.and([a, b, c]));
    expect(parse('not not a == 1')).toEqual(nodes.not(nodes.not(a)));
  });

  it('accepts case-insensitive keywords and the symbolic aliases', () => {
    const expected = parse('not (a == 1 and b in [1]) or c exists');
    expect(parse('NOT (a == 1 AND b IN [1]) OR c EXISTS')).toEqual(expected);
    expect(parse('!(a == 1 && b in [1]) || c exists')).toEqual(expected);
    expect(parse('x Is Not String')).toEqual(nodes.not(nodes.type(['x'], 'string')));
  });

  it('does not split identifiers that start with a keyword', () => {
    expect(parse('android == 1')).toEqual(nodes.eq(['android'], 1));
    expect(parse('notes exists and order == 2')).toEqual(
      nodes.and([nodes.exists(['notes']), nodes.eq(['order'], 2)]),
    );
    expect(parse('island is string')).toEqual(nodes.type(['island'], 'string'));
  });

  it('reads quoted path segments anywhere', () => {
    expect(parse('labels."rack-id" == "R12"')).toEqual(nodes.eq(['labels', 'rack-id'], 'R12'));
    expect(parse('"rack-id" exists')).toEqual(nodes.exists(['rack-id']));
    expect(parse('"and".x == 1')).toEqual(nodes.eq(['and', 'x'], 1));
    expect(parse('a.\'0\'."é" == 1')).toEqual(nodes.eq(['a', '0', 'é'], 1));
  });

  it('reads JSON string escapes and single-quoted strings', () => {
    expect(parse('a == "x\\"y\\\\z\\n\\u00e9"')).toEqual(nodes.eq(['a'], 'x"y\\z\né'));
    expect(parse("a == 'it\\'s'")).toEqual(nodes.eq(['a'], "it's"));
    expect(parse('a == \'say "hi"\'')).toEqual(nodes.eq(['a'], 'say "hi"'));
    expect(parse('a == "\\ud83d\\ude00"')).toEqual(nodes.eq(['a'], '😀'));
  });

  it('treats the empty filter as match-all', () => {
    expect(parse('')).toEqual(nodes.all());
    expect(parse('  \n ')).toEqual(nodes.all());
  });

  it('normalises -0 to 0', () => {
    expect(Object.is((parse('a == -0') as { value: number }).value, 0)).toBe(true);
  });
});

describe('string syntax errors', () => {
  it('names what was expected and what was found, with line, column and caret', () => {
    const error = parseError('battery_level < ');
    expect(error.code).toBe('INVALID_FILTER');
    expect(error.message).toContain('line 1, column 17');
    expect(error.message).toMatch(/expected value but end of input found/i);
    expect(error.details.location).toEqual({ offset: 16, line: 1, column: 17 });
    expect(error.details.excerpt).toBe('  battery_level < \n                  ^');
  });

  it('rejects bare words as values', () => {
    const error = parseError('a == gps');
    expect(error.message).toMatch(/expected value but "g" found/i);
    expect(error.details.location?.column).toBe(6);
  });

  it('rejects a single "=" and names the operators it expected', () => {
    const error = parseError('status = "ok"');
    expect(error.message).toMatch(/comparison operator/);
    expect(error.message).toContain('column 8');
  });

  it('reports errors on later lines', () => {
    const error = parseError('a == 1 and\n  b <> 2');
    expect(error.details.location?.line).toBe(2);
    expect(error.details.excerpt).toBe('    b <> 2\n       ^');
  });

  it('rejects operands of the wrong kind', () => {
    expect(parseError('a == [1]').message).toMatch(/"==" takes a single value .* not a list/);
    expect(parseError('a < true').message).toMatch(
      /"<" compares with a number or a string, not a boolean/,
    );
    expect(parseError('a < null').message).toMatch(/not null/);
    expect(parseError('a startswith 1').message).toMatch(/expected a string, found a number/);
    expect(parseError('a in [[1]]').message).toMatch(/not a list/);
    expect(parseError('a in 1').message).toMatch(/expected list/i);
    expect(parseError('a contains [1]').message).toMatch(/not a list/);
  });

  it('rejects keywords as bare path segments and tells how to quote them', () => {
    expect(parseError('and == 1').message).toMatch(/"and" is a keyword; quote it/);
    expect(parseError('a.in == 1').message).toMatch(/"in" is a keyword; quote it/);
  });

  it('rejects invalid keys in quoted segments', () => {
    expect(parseError('"a.b" == 1').message).toMatch(/must not contain "."/);
    expect(parseError('"$x" == 1').message).toMatch(/must not start with "\$"/);
    expect(parseError('"" == 1').message).toMatch(/must not be empty/);
  });

  it('rejects invalid escapes, raw control characters and NUL', () => {
    expect(parseError('a matches "\\d"').message).toMatch(/invalid escape "\\d".*write "\\\\d"/);
    expect(parseError('a == "x\ty"').message).toMatch(/expected/i);
    expect(parseError('a == "\\u0000"').message).toMatch(/U\+0000/);
    expect(parseError('a == "\\ud800"').message).toMatch(/lone surrogate/);
  });

  it('rejects non-finite numbers and non-JSON numbers', () => {
    expect(parseError('a == 1e400').message).toMatch(/out of range/);
    expect(parseError('a == 01').message).toMatch(/expected/i);
    expect(parseError('a == .5').message).toMatch(/expected value/i);
    expect(parseError('a == +1').message).toMatch(/expected value/i);
  });

  it('rejects unsupported regex constructs at parse time', () => {
    const error = parseError('a matches "(?=x)"');
    expect(error.code).toBe('INVALID_FILTER');
    expect(error.message).toContain('column 11');
  });

  it('rejects trailing garbage and unbalanced parentheses', () => {
    expect(parseError('a == 1 b == 2').message).toMatch(/expected/i);
    expect(parseError('(a == 1').message).toMatch(/expected .*"\)".* but end of input found/);
    expect(parseError('a == 1)').message).toMatch(/expected/i);
  });
});

describe('limits', () => {
  const leaves = (n: number) => Array.from({ length: n }, (_, i) => `k${i} == ${i}`).join(' and ');

  it('allows 20 comparisons and rejects 21, naming the limit', () => {
    expect(() => parse(leaves(20))).not.toThrow();
    const error = parseError(leaves(21));
    expect(error.details.limit).toBe('maxComparisons');
    expect(error.message).toMatch(/21 comparisons.*maxComparisons.*20/);
  });

  it('allows depth 5 and rejects depth 6', () => {
    const nest = (depth: number): string =>
      depth === 0 ? 'a == 1' : `not (${nest(depth - 1)} or b == 2)`;
    // each level adds a `not` over an `or`: two levels
    expect(() => parse('a == 1 or (b == 2 and (c == 3 or not (d == 4 and e == 5)))')).not.toThrow();
    expect(
      parseError('not (a == 1 or (b == 2 and (c == 3 or not (d == 4 and e == 5))))').details.limit,
    ).toBe('maxDepth');
    expect(parseError(nest(3)).details.limit).toBe('maxDepth');
  });

  it('does not count a not directly over a comparison as a level', () => {
    expect(() =>
      parse('a != 1 and (b != 2 or (c != 3 and (d != 4 or (e != 5 and f != 6))))'),
    ).not.toThrow();
  });

  it('limits input length, regex length and in-list size, and accepts overrides', () => {
    expect(parseError(`a == "${'x'.repeat(5000)}"`).details.limit).toBe('maxInputLength');
    expect(parseError(`a matches "${'x'.repeat(257)}"`).details.limit).toBe('maxRegexLength');
    expect(() => parse(`a matches "${'x'.repeat(256)}"`)).not.toThrow();
    const list = (n: number) => `a in [${Array.from({ length: n }, (_, i) => i).join(',')}]`;
    expect(() => parse(list(1000), { limits: { maxInputLength: 10_000 } })).not.toThrow();
    const big = { limits: { maxInputLength: 100_000 } };
    expect(parseError(list(1001), big).details.limit).toBe('maxInItems');
    expect(
      parseError({ 'a.in': Array.from({ length: 1001 }, (_, i) => i) }, big).details.limit,
    ).toBe('maxInItems');
    expect(() => parse(leaves(21), { limits: { maxComparisons: 30 } })).not.toThrow();
  });
});
