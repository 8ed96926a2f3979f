import { describe, expect, test } from 'vitest';
import type { FilterNode } from '../../src/ast/filter-node.js';
import { nodes } from '../../src/ast/nodes.js';
import { toMongo } from '../../src/compile/mongo/index.js';
import { FilterError } from '../../src/errors/filter-error.js';

/** Exact query documents: each operator, and each MongoDB behaviour the compiler neutralises. */
const query = (ast: FilterNode, field?: string) =>
  (field === undefined ? toMongo(ast) : toMongo(ast, { field })).query;

/** The guard for `metadata.a` being a non-array object (see objectPathGuard). */
const A_IS_OBJECT = [
  { 'metadata.a': { $type: 'object' } },
  { 'metadata.a': { $not: { $type: 'array' } } },
];
const AB_IS_OBJECT = [
  ...A_IS_OBJECT,
  { 'metadata.a.b': { $type: 'object' } },
  { 'metadata.a.b': { $not: { $type: 'array' } } },
];

describe('operators on a one-key path (no guard)', () => {
  test.each<[string, FilterNode, Record<string, unknown>]>([
    ['== string', nodes.eq(['x'], 'abc'), { 'metadata.x': { $eq: 'abc' } }],
    ['== number', nodes.eq(['x'], 1.5), { 'metadata.x': { $eq: 1.5 } }],
    ['== boolean', nodes.eq(['x'], true), { 'metadata.x': { $eq: true } }],
    ['== null', nodes.eq(['x'], null), { 'metadata.x': { $eq: null } }],
    ['!=', nodes.not(nodes.eq(['x'], 1)), { $nor: [{ 'metadata.x': { $eq: 1 } }] }],
    ['<', nodes.range('lt', ['x'], 2), { 'metadata.x': { $lt: 2 } }],
    ['<=', nodes.range('lte', ['x'], 'b'), { 'metadata.x': { $lte: 'b' } }],
    ['>', nodes.range('gt', ['x'], -1), { 'metadata.x': { $gt: -1 } }],
    ['>=', nodes.range('gte', ['x'], ''), { 'metadata.x': { $gte: '' } }],
    ['startswith', nodes.startsWith(['x'], 'ab'), { 'metadata.x': { $regex: '^ab' } }],
    ['startswith ""', nodes.startsWith(['x'], ''), { 'metadata.x': { $regex: '^' } }],
    ['endswith uses \\z', nodes.endsWith(['x'], 'ab'), { 'metadata.x': { $regex: 'ab\\z' } }],
    [
      'matches',
      nodes.matches(['x'], '^a.c$', ''),
      { 'metadata.x': { $regex: '\\Aa[^\\x{A}]c\\z' } },
    ],
    [
      'matches with i folds ASCII into the pattern',
      nodes.matches(['x'], 'ab', 'i'),
      { 'metadata.x': { $regex: '[Aa][Bb]' } },
    ],
    [
      'contains a string: an element equal, or a substring of a non-array',
      nodes.contains(['x'], 'b'),
      {
        $or: [
          { 'metadata.x': { $elemMatch: { $eq: 'b' } } },
          {
            $and: [
              { 'metadata.x': { $not: { $type: 'array' } } },
              { 'metadata.x': { $regex: 'b' } },
            ],
          },
        ],
      },
    ],
    [
      'contains a number: an element only',
      nodes.contains(['x'], 1),
      { 'metadata.x': { $elemMatch: { $eq: 1 } } },
    ],
    [
      'contains null: a null element only',
      nodes.contains(['x'], null),
      { 'metadata.x': { $elemMatch: { $eq: null } } },
    ],
    ['in', nodes.in(['x'], [1, 'a', true]), { 'metadata.x': { $in: [1, 'a', true] } }],
    [
      'in drops duplicates',
      nodes.in(['x'], [1, 1.0, 'a', 'a']),
      { 'metadata.x': { $in: [1, 'a'] } },
    ],
    [
      'in with null also matches missing',
      nodes.in(['x'], [null, 1]),
      { $or: [{ 'metadata.x': { $eq: null } }, { 'metadata.x': { $in: [1] } }] },
    ],
    ['in [null] is == null', nodes.in(['x'], [null]), { 'metadata.x': { $eq: null } }],
    ['in [] matches nothing', nodes.in(['x'], []), { $nor: [{}] }],
    ['exists', nodes.exists(['x']), { 'metadata.x': { $exists: true } }],
    ['is string', nodes.type(['x'], 'string'), { 'metadata.x': { $type: 'string' } }],
    ['is number', nodes.type(['x'], 'number'), { 'metadata.x': { $type: 'number' } }],
    [
      'is boolean uses the bool alias',
      nodes.type(['x'], 'boolean'),
      { 'metadata.x': { $type: 'bool' } },
    ],
    ['is null', nodes.type(['x'], 'null'), { 'metadata.x': { $type: 'null' } }],
    ['is array', nodes.type(['x'], 'array'), { 'metadata.x': { $type: 'array' } }],
    ['is object', nodes.type(['x'], 'object'), { 'metadata.x': { $type: 'object' } }],
  ])('%s', (_name, ast, expected) => {
    expect(toMongo(ast)).toEqual({ query: expected, exact: true });
  });
});

describe('paths walk objects only', () => {
  test('each intermediate must be an object and not an array (no fan-out, no index)', () => {
    expect(query(nodes.eq(['a', 'b', 'c'], 1))).toEqual({
      $and: [...AB_IS_OBJECT, { 'metadata.a.b.c': { $eq: 1 } }],
    });
  });

  test('a digit segment stays a key: its parent is guarded as a non-array object', () => {
    expect(query(nodes.eq(['a', '0'], 'x'))).toEqual({
      $and: [...A_IS_OBJECT, { 'metadata.a.0': { $eq: 'x' } }],
    });
  });

  test('== null on a deep path: a path the guard rejects is missing, so it matches', () => {
    expect(query(nodes.eq(['a', 'b'], null))).toEqual({
      $or: [{ $nor: [{ $and: A_IS_OBJECT }] }, { 'metadata.a.b': { $eq: null } }],
    });
  });

  test('in with null on a deep path', () => {
    expect(query(nodes.in(['a', 'b'], [2, null]))).toEqual({
      $or: [
        { $nor: [{ $and: A_IS_OBJECT }] },
        { 'metadata.a.b': { $eq: null } },
        { 'metadata.a.b': { $in: [2] } },
      ],
    });
  });

  test('!= on a deep path negates the guarded == (so a rejected path matches)', () => {
    expect(query(nodes.not(nodes.eq(['a', 'b'], 1)))).toEqual({
      $nor: [{ $and: [...A_IS_OBJECT, { 'metadata.a.b': { $eq: 1 } }] }],
    });
  });

  test('exists and is array are guarded too', () => {
    expect(query(nodes.exists(['a', 'b']))).toEqual({
      $and: [...A_IS_OBJECT, { 'metadata.a.b': { $exists: true } }],
    });
    expect(query(nodes.type(['a', 'b'], 'array'))).toEqual({
      $and: [...A_IS_OBJECT, { 'metadata.a.b': { $type: 'array' } }],
    });
  });

  test('contains on a deep path: guard, then the array/string choice', () => {
    expect(query(nodes.contains(['a', 'b'], 'z'))).toEqual({
      $and: [
        ...A_IS_OBJECT,
        {
          $or: [
            { 'metadata.a.b': { $elemMatch: { $eq: 'z' } } },
            {
              $and: [
                { 'metadata.a.b': { $not: { $type: 'array' } } },
                { 'metadata.a.b': { $regex: 'z' } },
              ],
            },
          ],
        },
      ],
    });
  });
});

describe('junctions and negation', () => {
  test('and/or are explicit arrays, even on the same field (no key collision)', () => {
    const ast = nodes.and([nodes.range('gt', ['x'], 1), nodes.range('lt', ['x'], 5)]);
    expect(query(ast)).toEqual({
      $and: [{ 'metadata.x': { $gt: 1 } }, { 'metadata.x': { $lt: 5 } }],
    });
    const either = nodes.or([nodes.eq(['x'], 1), nodes.eq(['x'], 2)]);
    expect(query(either)).toEqual({
      $or: [{ 'metadata.x': { $eq: 1 } }, { 'metadata.x': { $eq: 2 } }],
    });
  });

  test('not of a group is $nor of the group', () => {
    const ast = nodes.not(nodes.or([nodes.eq(['x'], 1), nodes.exists(['y'])]));
    expect(query(ast)).toEqual({
      $nor: [{ $or: [{ 'metadata.x': { $eq: 1 } }, { 'metadata.y': { $exists: true } }] }],
    });
  });

  test('all and not(all), anywhere', () => {
    expect(toMongo(nodes.all())).toEqual({ query: {}, exact: true });
    expect(toMongo(nodes.not(nodes.all()))).toEqual({ query: { $nor: [{}] }, exact: true });
    expect(query(nodes.and([nodes.all(), nodes.eq(['x'], 1)]))).toEqual({
      'metadata.x': { $eq: 1 },
    });
    expect(query(nodes.or([nodes.not(nodes.all()), nodes.eq(['x'], 1)]))).toEqual({
      'metadata.x': { $eq: 1 },
    });
    expect(query(nodes.or([nodes.all(), nodes.eq(['x'], 1)]))).toEqual({});
    expect(query(nodes.not(nodes.and([nodes.not(nodes.all()), nodes.eq(['x'], 1)])))).toEqual({});
  });

  test('every call returns fresh objects', () => {
    const first = query(nodes.all());
    first.poisoned = true;
    expect(query(nodes.all())).toEqual({});
  });
});

describe('regexes', () => {
  test('literals are escaped: punctuation with a backslash, the rest as code points', () => {
    expect(query(nodes.startsWith(['x'], 'a.b*(c)[d]{e}|f?+^$\\/ "\'%_-#'))).toEqual({
      'metadata.x': {
        $regex: '^a\\.b\\*\\(c\\)\\[d\\]\\{e\\}\\|f\\?\\+\\^\\$\\\\\\/\\x{20}\\"\\\'\\%\\_\\-\\#',
      },
    });
    expect(query(nodes.endsWith(['x'], 'é😀\n\t'))).toEqual({
      'metadata.x': { $regex: '\\x{E9}\\x{1F600}\\x{A}\\x{9}\\z' },
    });
    expect(query(nodes.contains(['x'], '\\E'))).toMatchObject({
      $or: [{}, { $and: [{}, { 'metadata.x': { $regex: '\\\\E' } }] }],
    });
  });

  test('a regex that is not backtracking-safe is not pushed down', () => {
    const unsafe = nodes.matches(['x'], '(a|b)*c', '');
    expect(toMongo(unsafe)).toEqual({ query: {}, exact: false });
    expect(toMongo(nodes.not(unsafe))).toEqual({ query: {}, exact: false });
    expect(toMongo(nodes.and([unsafe, nodes.eq(['y'], 1)]))).toEqual({
      query: { 'metadata.y': { $eq: 1 } },
      exact: false,
    });
    expect(toMongo(nodes.or([nodes.not(unsafe), nodes.eq(['y'], 1)]))).toEqual({
      query: {},
      exact: false,
    });
  });
});

describe('the metadata field', () => {
  test('defaults to metadata and accepts a dotted identifier path', () => {
    expect(query(nodes.eq(['a', 'b'], 1), 'identity.meta_data')).toEqual({
      $and: [
        { 'identity.meta_data.a': { $type: 'object' } },
        { 'identity.meta_data.a': { $not: { $type: 'array' } } },
        { 'identity.meta_data.a.b': { $eq: 1 } },
      ],
    });
    expect(query(nodes.exists(['k']), '_m')).toEqual({ '_m.k': { $exists: true } });
  });

  test.each(['', '$where', 'a..b', '.a', 'a.', 'a b', 'a.$b', '1a', 'a-b', 'é'])(
    'rejects %j',
    (field) => {
      expect(() => toMongo(nodes.exists(['k']), { field })).toThrow(TypeError);
    },
  );
});

describe('operands can never become operators', () => {
  test.each<[string, FilterNode]>([
    ['a key starting with $', nodes.eq(['$where'], 1)],
    ['a key with a dot', nodes.eq(['a.b'], 1)],
    ['an empty key', nodes.exists([''])],
    ['an empty path', nodes.exists([])],
    ['an object operand', nodes.eq(['a'], { $gt: 1 } as never)],
    ['an array operand', nodes.contains(['a'], [1] as never)],
    ['an object in in', nodes.in(['a'], [{ $ne: 1 }] as never)],
    ['a non-finite number', nodes.range('lt', ['a'], Number.POSITIVE_INFINITY)],
    ['NaN', nodes.eq(['a'], Number.NaN)],
    ['a NUL in a string', nodes.eq(['a'], 'a\u0000')],
    ['a lone surrogate', nodes.startsWith(['a'], '\ud800')],
    ['a boolean range bound', nodes.range('lt', ['a'], true as never)],
    ['an unknown type', nodes.type(['a'], 'date' as never)],
  ])('rejects %s', (_name, ast) => {
    expect(() => toMongo(ast)).toThrow(FilterError);
  });
});
