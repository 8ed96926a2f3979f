import { describe, expect, test } from 'vitest';
import { nodes } from '../../src/ast/nodes.js';
import { toSql } from '../../src/compile/postgres/index.js';
import { FilterError } from '../../src/errors/filter-error.js';
import { parse } from '../../src/parse.js';
import { postgresLiteral } from '../../src/regex/to-postgres-regex.js';

const M = '"metadata"';

describe('toSql golden output', () => {
  test('== compiles to one index-served strict jsonpath', () => {
    expect(toSql(parse('battery.level == 0.2'))).toEqual({
      sql: `${M} @? $1::jsonpath`,
      params: [
        'strict $ ? (@."battery"."level" == 0.2 || exists(@."battery"."level"[*] ? (@ == 0.2)))',
      ],
      exact: true,
      indexedLeaves: 1,
      indexed: true,
    });
  });

  test('column and firstParameter', () => {
    const sql = toSql(parse('a == "x" and b == -1'), { column: 'i.meta_data', firstParameter: 4 });
    expect(sql.sql).toBe('("i"."meta_data" @? $4::jsonpath AND "i"."meta_data" @? $5::jsonpath)');
    expect(sql.params).toEqual([
      'strict $ ? (@."a" == "x" || exists(@."a"[*] ? (@ == "x")))',
      'strict $ ? (@."b" == -1 || exists(@."b"[*] ? (@ == -1)))',
    ]);
    expect(sql.indexedLeaves).toBe(2);
  });

  test('!= and not are negated in SQL with IS NOT TRUE', () => {
    const sql = toSql(parse('a != "x" or not (b > 1 and c exists)'));
    expect(sql.sql).toBe(
      `((${M} @? $1::jsonpath IS NOT TRUE) OR ((${M} @? $2::jsonpath AND ${M} @? $3::jsonpath) IS NOT TRUE))`,
    );
    expect(sql.params).toEqual([
      'strict $ ? (@."a" == "x" || exists(@."a"[*] ? (@ == "x")))',
      'strict $ ? (@."b" > 1 || exists(@."b"[*] ? (@ > 1)))',
      'strict $ ? (exists(@."c"))',
    ]);
    expect(sql).toMatchObject({ indexedLeaves: 0, indexed: false });
  });

  test('== null and in with null also match a missing path', () => {
    expect(toSql(parse('a == null')).params).toEqual([
      'strict $ ? ((exists(@."a")) is unknown || @."a" == null || exists(@."a"[*] ? (@ == null)))',
    ]);
    expect(toSql(parse('a in ["x", 1, 1.0, null]')).params).toEqual([
      'strict $ ? ((exists(@."a")) is unknown || @."a" == "x" || @."a" == 1 || @."a" == null || ' +
        'exists(@."a"[*] ? (@ == "x" || @ == 1 || @ == null)))',
    ]);
  });

  test('contains: element equality, plus substring for a string operand', () => {
    expect(toSql(parse('tags contains 5'))).toMatchObject({
      params: ['strict $ ? (exists(@."tags"[*] ? (@ == 5)))'],
      indexedLeaves: 1,
    });
    expect(toSql(parse('tags contains "a.b"'))).toMatchObject({
      params: ['strict $ ? (exists(@."tags"[*] ? (@ == "a.b")) || @."tags" like_regex "a\\\\.b")'],
      indexedLeaves: 0,
    });
  });

  test('startswith, endswith, matches and is', () => {
    expect(toSql(parse('s startswith "ab"')).params[0]).toBe(
      'strict $ ? (@."s" starts with "ab" || exists(@."s"[*] ? (@ starts with "ab")))',
    );
    expect(toSql(parse('s endswith "a$"')).params[0]).toBe(
      'strict $ ? (@."s" like_regex "a\\\\$$" || exists(@."s"[*] ? (@ like_regex "a\\\\$$")))',
    );
    expect(toSql(parse('s matches "^ab"i')).params[0]).toBe(
      'strict $ ? (@."s" like_regex "^[Aa][Bb]" || exists(@."s"[*] ? (@ like_regex "^[Aa][Bb]")))',
    );
    expect(toSql(parse('s is array')).params[0]).toBe('strict $ ? (@."s".type() == "array")');
    expect(toSql(parse('s is object')).params[0]).toBe(
      'strict $ ? (@."s".type() == "object" || exists(@."s"[*] ? (@.type() == "object")))',
    );
    expect(toSql(parse('s is null'))).toMatchObject({
      params: ['strict $ ? (@."s" == null || exists(@."s"[*] ? (@ == null)))'],
      indexed: true,
    });
  });

  test('constants: all, not all, in []', () => {
    expect(toSql(nodes.all())).toEqual({
      sql: 'TRUE',
      params: [],
      exact: true,
      indexedLeaves: 0,
      indexed: false,
    });
    expect(toSql(nodes.not(nodes.all())).sql).toBe('FALSE');
    expect(toSql(parse('a in []')).sql).toBe('FALSE');
    expect(toSql(nodes.and([nodes.all(), nodes.exists(['a'])])).sql).toBe(`${M} @? $1::jsonpath`);
    expect(toSql(nodes.or([nodes.not(nodes.all()), nodes.in(['a'], [])])).sql).toBe('FALSE');
  });

  test('equal jsonpaths share one parameter', () => {
    const sql = toSql(parse('a == 1 or (b == 2 and a == 1)'));
    expect(sql.sql).toBe(
      `(${M} @? $1::jsonpath OR (${M} @? $2::jsonpath AND ${M} @? $1::jsonpath))`,
    );
    expect(sql.params).toHaveLength(2);
  });

  test('index-served leaves: and needs one, or needs all', () => {
    expect(toSql(parse('a == 1 and b > 2 and c in [1, 2]'))).toMatchObject({
      indexed: true,
      indexedLeaves: 2,
    });
    expect(toSql(parse('a == 1 or b > 2'))).toMatchObject({ indexed: false, indexedLeaves: 0 });
    expect(toSql(parse('(a == 1 or b is boolean) and not c == 1'))).toMatchObject({
      indexed: true,
      indexedLeaves: 2,
    });
  });

  test('numbers print as the shortest round-trip decimal', () => {
    expect(toSql(parse('a < 1e21')).params[0]).toContain('@."a" < 1e+21');
    expect(toSql(parse('a >= 9007199254740993')).params[0]).toContain('@."a" >= 9007199254740992');
    expect(toSql(parse('a == -0.000001')).params[0]).toContain('@."a" == -0.000001');
    expect(toSql(nodes.eq(['a'], 1e-7)).params[0]).toContain('@."a" == 1e-7');
  });

  test('hostile keys and values stay inside JSON string literals', () => {
    const key = `it's "x" -- */ \\`;
    const value = `") || (@ == "' $1`;
    const sql = toSql(nodes.eq([key], value));
    expect(sql.sql).toBe(`${M} @? $1::jsonpath`);
    expect(sql.params[0]).toBe(
      `strict $ ? (@.${JSON.stringify(key)} == ${JSON.stringify(value)} || ` +
        `exists(@.${JSON.stringify(key)}[*] ? (@ == ${JSON.stringify(value)})))`,
    );
  });

  test('literal regexes escape every non-alphanumeric', () => {
    expect(postgresLiteral('aZ9')).toBe('aZ9');
    expect(postgresLiteral('.*$^\\')).toBe('\\.\\*\\$\\^\\\\');
    expect(postgresLiteral(' é\n😀')).toBe('\\u0020\\u00E9\\u000A\\U0001F600');
  });

  test('refuses a column that is not an identifier', () => {
    for (const column of [
      '',
      'a.b.c',
      'metadata; DROP TABLE x',
      '"metadata"',
      'a b',
      '1a',
      'meta-data',
      'a.',
    ]) {
      expect(() => toSql(nodes.all(), { column }), column).toThrow(TypeError);
    }
    expect(toSql(nodes.exists(['a']), { column: '_T1.m2' }).sql).toBe('"_T1"."m2" @? $1::jsonpath');
  });

  test('refuses a bad firstParameter', () => {
    for (const firstParameter of [0, -1, 1.5, Number.NaN]) {
      expect(() => toSql(nodes.all(), { firstParameter })).toThrow(RangeError);
    }
  });

  test('refuses hand-built ASTs with invalid keys or values', () => {
    expect(() => toSql(nodes.eq(['a.b'], 1))).toThrow(FilterError);
    expect(() => toSql(nodes.eq(['$a'], 1))).toThrow(FilterError);
    expect(() => toSql(nodes.eq([], 1))).toThrow(FilterError);
    expect(() => toSql(nodes.eq(['a'], 'x\u0000'))).toThrow(FilterError);
    expect(() => toSql(nodes.eq(['a'], '\ud800'))).toThrow(FilterError);
    expect(() => toSql(nodes.eq(['a'], Number.POSITIVE_INFINITY))).toThrow(FilterError);
  });
});
