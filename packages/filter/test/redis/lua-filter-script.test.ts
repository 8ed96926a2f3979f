import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { nodes } from '../../src/ast/nodes.js';
import { encodeMetadataForLua } from '../../src/compile/redis/encode-metadata-for-lua.js';
import { LUA_FILTER_LIBRARY } from '../../src/compile/redis/lua-filter-library.js';
import { LUA_FILTER_SCRIPT } from '../../src/compile/redis/lua-filter-script.js';
import { LUA_FILTER_SCRIPT_SHA } from '../../src/compile/redis/lua-filter-script-sha.js';
import { toLuaProgram } from '../../src/compile/redis/to-lua-program.js';
import { parse } from '../../src/parse.js';
import { LuaFilterHarness } from './lua-filter-harness.js';

describe('LUA_FILTER_SCRIPT (no server)', () => {
  it('is the library plus an entry point, flagged no-writes', () => {
    expect(LUA_FILTER_SCRIPT.startsWith('#!lua flags=no-writes\n')).toBe(true);
    expect(LUA_FILTER_SCRIPT).toContain(LUA_FILTER_LIBRARY);
    expect(LUA_FILTER_SCRIPT_SHA).toBe(createHash('sha1').update(LUA_FILTER_SCRIPT).digest('hex'));
  });

  it('never uses Lua patterns or locale-dependent string order', () => {
    // Every find is plain; match/gmatch/gsub would interpret user data as a pattern.
    expect(LUA_FILTER_LIBRARY).not.toMatch(/\b(match|gmatch|gsub)\(/);
    for (const call of LUA_FILTER_LIBRARY.match(/\bfind\([^)]*\)/g) ?? [])
      expect(call).toMatch(/, 1, true\)$/);
    expect(LUA_FILTER_LIBRARY).not.toMatch(/\b(loadstring|load|dofile|setfenv)\b/);
  });
});

const harness = await LuaFilterHarness.open('script');

describe.skipIf(!harness)('LUA_FILTER_SCRIPT on Redis', () => {
  const h = harness!;
  afterAll(() => h.close());

  it('has the SHA that SCRIPT LOAD reports', async () => {
    expect(await h.redis.script('LOAD', LUA_FILTER_SCRIPT)).toBe(LUA_FILTER_SCRIPT_SHA);
  });

  it('returns matching keys in KEYS order and never a missing key', async () => {
    const keys = await h.store([
      ['k3', { a: 1 }],
      ['k1', { a: 2 }],
      ['k2', {}],
    ]);
    const missing = h.key('missing');
    const all = [missing, ...keys, h.key('missing-too')];
    const run = async (filter: string) =>
      (await h.runPrograms(all, [toLuaProgram(parse(filter)).program]))[0];
    expect(await run('')).toEqual(keys);
    expect(await run('a == null')).toEqual([keys[2]]);
    expect(await run('not a exists')).toEqual([keys[2]]);
    expect(await run('a != 1')).toEqual([keys[1], keys[2]]);
    expect(await run('a in []')).toEqual([]);
    expect(await run('not (a in [])')).toEqual(keys);
    expect(await h.runPrograms([], [toLuaProgram(nodes.all()).program])).toEqual([[]]);
  });

  it('keeps empty arrays, empty objects and null apart', async () => {
    const keys = await h.store([
      ['array', { v: [] }],
      ['object', { v: {} }],
      ['null', { v: null }],
      ['nested', { v: [[], {}, null] }],
    ]);
    const ids = async (filter: string) =>
      (await h.runPrograms(keys, [toLuaProgram(parse(filter)).program]))[0]!.map((k) =>
        k.slice(h.prefix.length),
      );
    expect(await ids('v is array')).toEqual(['array', 'nested']);
    expect(await ids('v is object')).toEqual(['object', 'nested']);
    expect(await ids('v is null')).toEqual(['null', 'nested']);
    expect(await ids('v == null')).toEqual(['null', 'nested']);
    expect(await ids('v contains null')).toEqual(['nested']);
    expect(await ids('v.x exists')).toEqual([]);
    expect(await ids('v exists')).toEqual(['array', 'object', 'null', 'nested']);
  });

  it('compares strings by code point whatever the server locale', async () => {
    const keys = await h.store([
      ['lower', { s: 'a' }],
      ['upper', { s: 'B' }],
      ['accent', { s: 'é' }],
      ['bmp', { s: '\uffff' }],
      ['astral', { s: '😀' }],
    ]);
    const ids = async (filter: string) =>
      (await h.runPrograms(keys, [toLuaProgram(parse(filter)).program]))[0]!.map((k) =>
        k.slice(h.prefix.length),
      );
    expect(await ids('s < "a"')).toEqual(['upper']);
    expect(await ids('s > "z"')).toEqual(['accent', 'bmp', 'astral']);
    expect(await ids('s > "\uffff"')).toEqual(['astral']);
    expect(await ids('s <= "é"')).toEqual(['lower', 'upper', 'accent']);
  });

  it('lets another script prepend the library', async () => {
    const script = `${LUA_FILTER_LIBRARY}
local predicate, constant = muster_filter_compile(ARGV[1])
local out = {}
for i = 2, #ARGV do
  out[#out + 1] = predicate(muster_filter_decode_metadata(ARGV[i])) and 1 or 0
end
out[#out + 1] = tostring(constant)
return out`;
    const docs = [{ a: 'xyz' }, { a: ['q', 'xy'] }, {}].map(encodeMetadataForLua);
    const run = (filter: string) =>
      h.redis.eval(script, 0, toLuaProgram(parse(filter)).program, ...docs);
    expect(await run('a startswith "xy"')).toEqual([1, 1, 0, 'nil']);
    expect(await run('a != "xy"')).toEqual([1, 0, 1, 'nil']);
    expect(await run('')).toEqual([1, 1, 1, 'true']);
    expect(await run('a matches "x" and b == 1')).toEqual([0, 0, 0, 'nil']);
  });

  it('folds all and not(all) anywhere in a program', async () => {
    const keys = await h.store([
      ['one', { a: 1 }],
      ['two', { a: 2 }],
    ]);
    const eqOne = '["eq",["a"],1]';
    const cases: [string, string[]][] = [
      [`["and",["all"],${eqOne}]`, [keys[0]!]],
      [`["and",["not",["all"]],${eqOne}]`, []],
      [`["or",["not",["all"]],${eqOne}]`, [keys[0]!]],
      [`["or",["all"],${eqOne}]`, keys],
      [`["not",["and",["all"],["all"]]]`, []],
      [`["not",["or",["not",["all"]],["not",["all"]]]]`, keys],
      [`["not",["or",["not",["all"]],${eqOne}]]`, [keys[1]!]],
      [`["and",["not",["not",["all"]]],["in",["a"],[]]]`, []],
      [`["not",["in",["a"],[]]]`, keys],
    ];
    const results = await h.runPrograms(
      keys,
      cases.map(([program]) => program),
    );
    expect(results).toEqual(cases.map(([, expected]) => expected));
  });

  it('rejects malformed programs with a clear script error', async () => {
    const [key] = await h.store([['doc', { a: 1 }]]);
    for (const program of [
      'not json',
      '["bogus",["a"],1]',
      '["eq",[],1]',
      '["eq",["a"],{"x":1}]',
      '["lt",["a"],true]',
      '["type",["a"],"date"]',
      '["in",["a"],1]',
      '42',
    ]) {
      await expect(h.runPrograms([key!], [program]), program).rejects.toThrow(/muster filter: /);
    }
  });

  it('evaluates thousands of keys per call', async () => {
    const count = 5_000;
    const keys = await h.store(
      Array.from(
        { length: count },
        (_, i) => [`bulk:${i}`, { n: i, tags: [`t${i % 7}`, 'x'], o: { s: `s${i}` } }] as const,
      ),
    );
    const ast = parse('(n >= 100 and n < 4000 and tags contains "t3") or o.s startswith "s49"');
    const started = performance.now();
    const [result] = await h.runFilters(keys, [ast]);
    const elapsed = performance.now() - started;
    console.log(
      `bulk: ${count} keys in one EVALSHA: ${elapsed.toFixed(1)} ms, ${result!.raw.length} matched`,
    );
    expect(result!.raw).toEqual(h.expected(keys, ast));
  });
});
