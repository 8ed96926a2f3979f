import { afterAll, describe, expect, it } from 'vitest';
import type { FilterNode } from '../../src/ast/filter-node.js';
import { nodes } from '../../src/ast/nodes.js';
import { encodeMetadataForLua } from '../../src/compile/redis/encode-metadata-for-lua.js';
import { LUA_FILTER_LIBRARY } from '../../src/compile/redis/lua-filter-library.js';
import { LuaFilterHarness } from './lua-filter-harness.js';

const harness = await LuaFilterHarness.open('numbers');

const NUMBERS = [
  0.1,
  0.2,
  0.30000000000000004,
  0.3,
  1e21,
  -2.5,
  Number('123456789012345678'),
  Number('9007199254740993'),
  2 ** 53 + 2,
  1e-7,
  5e-324,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  1 / 3,
  0,
];

/** The next double up or down: the closest a wrong decoding could land. */
function neighbour(x: number, direction: 1 | -1): number {
  if (x === 0) return direction * Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  view.setBigUint64(0, x > 0 === direction > 0 ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
}

describe.skipIf(!harness)('numbers survive the trip to Lua exactly', () => {
  const h = harness!;
  afterAll(() => h.close());

  it('decodes stored numbers to the same doubles as JavaScript', async () => {
    const script = `${LUA_FILTER_LIBRARY}
local doc = muster_filter_decode_metadata(ARGV[1])
local out = {}
for i = 1, #doc.n do out[i] = string.format('%.17g', doc.n[i]) end
return out`;
    const printed = (await h.redis.eval(
      script,
      0,
      encodeMetadataForLua({ n: NUMBERS }),
    )) as string[];
    expect(printed.map(Number)).toEqual(NUMBERS);
  });

  it('compares every number and its neighbours exactly as compile() does', async () => {
    const keys = await h.store(NUMBERS.map((n, i) => [`n:${i}`, { n, list: [n] }] as const));
    const filters: FilterNode[] = [];
    for (const n of NUMBERS) {
      for (const x of [n, neighbour(n, 1), neighbour(n, -1)].filter(Number.isFinite)) {
        for (const path of [['n'], ['list']]) {
          filters.push(nodes.eq(path, x), nodes.in(path, [x]), nodes.contains(path, x));
          for (const op of ['lt', 'lte', 'gt', 'gte'] as const)
            filters.push(nodes.range(op, path, x));
        }
      }
    }
    const results = await h.runFilters(keys, filters);
    results.forEach((result, i) => {
      expect(result.raw, JSON.stringify(filters[i])).toEqual(h.expected(keys, filters[i]!));
    });
    // Spot checks stated by hand, independent of the evaluator.
    const only = async (ast: FilterNode) =>
      (await h.runFilters(keys, [ast]))[0]!.raw.map((k) => h.metadata(k).n);
    expect(await only(nodes.eq(['n'], 0.1))).toEqual([0.1]);
    expect(await only(nodes.eq(['n'], 0.1 + 0.2))).toEqual([0.30000000000000004]);
    expect(await only(nodes.eq(['n'], Number('123456789012345680')))).toEqual([
      Number('123456789012345678'),
    ]);
    expect(await only(nodes.eq(['n'], 9007199254740992))).toEqual([Number('9007199254740993')]);
    expect(await only(nodes.range('gt', ['n'], neighbour(1e21, -1)))).toEqual([
      1e21,
      Number.MAX_VALUE,
    ]);
    expect(await only(nodes.range('lt', ['n'], -2.5))).toEqual([-Number.MAX_VALUE]);
    expect(await only(nodes.range('lte', ['n'], 0))).toEqual([-2.5, -Number.MAX_VALUE, 0]);
    expect(await only(nodes.range('gt', ['n'], 0))).toHaveLength(NUMBERS.length - 3);
    expect(await only(nodes.eq(['n'], 1e-7))).toEqual([1e-7]);
    expect(await only(nodes.eq(['n'], 5e-324))).toEqual([5e-324]);
  });
});
