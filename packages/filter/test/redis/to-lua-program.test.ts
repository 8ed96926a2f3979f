import { describe, expect, it } from 'vitest';
import { nodes } from '../../src/ast/nodes.js';
import { toLuaProgram } from '../../src/compile/redis/to-lua-program.js';
import { FilterError } from '../../src/errors/filter-error.js';
import { parse } from '../../src/parse.js';

const decoded = (program: string): unknown => JSON.parse(program);

describe('toLuaProgram', () => {
  it('encodes every leaf as [op, path, operand]', () => {
    const cases: [Parameters<typeof toLuaProgram>[0], unknown][] = [
      [nodes.eq(['a', 'b'], 1), ['eq', ['a', 'b'], 1]],
      [nodes.eq(['a'], null), ['eq', ['a'], null]],
      [nodes.range('lt', ['a'], 0.1), ['lt', ['a'], 0.1]],
      [nodes.range('lte', ['a'], 'x'), ['lte', ['a'], 'x']],
      [nodes.range('gt', ['a'], -2.5), ['gt', ['a'], -2.5]],
      [nodes.range('gte', ['a'], 1e21), ['gte', ['a'], 1e21]],
      [nodes.startsWith(['a'], 'p'), ['startswith', ['a'], 'p']],
      [nodes.endsWith(['a'], 's'), ['endswith', ['a'], 's']],
      [nodes.contains(['a'], null), ['contains', ['a'], null]],
      [nodes.in(['a'], []), ['in', ['a'], []]],
      [nodes.in(['a'], [1, '1', true, null]), ['in', ['a'], [1, '1', true, null]]],
      [nodes.exists(['a']), ['exists', ['a']]],
      [nodes.type(['a'], 'object'), ['type', ['a'], 'object']],
      [nodes.all(), ['all']],
      [nodes.not(nodes.all()), ['not', ['all']]],
    ];
    for (const [ast, expected] of cases) {
      const { program, exact } = toLuaProgram(ast);
      expect(decoded(program)).toEqual(expected);
      expect(exact).toBe(true);
    }
  });

  it('encodes and/or/not with their children in order', () => {
    const ast = parse('a == 1 and (b == "x" or not c exists)');
    expect(decoded(toLuaProgram(ast).program)).toEqual([
      'and',
      ['eq', ['a'], 1],
      ['or', ['eq', ['b'], 'x'], ['not', ['exists', ['c']]]],
    ]);
  });

  it('relaxes matches by polarity and reports exact: false', () => {
    const positive = toLuaProgram(nodes.and([nodes.matches(['a'], '^x', ''), nodes.eq(['b'], 1)]));
    expect(decoded(positive.program)).toEqual(['eq', ['b'], 1]);
    expect(positive.exact).toBe(false);

    const negative = toLuaProgram(nodes.not(nodes.matches(['a'], 'x', 'i')));
    expect(decoded(negative.program)).toEqual(['all']);
    expect(negative.exact).toBe(false);

    const absorbed = toLuaProgram(nodes.or([nodes.matches(['a'], 'x', ''), nodes.eq(['b'], 1)]));
    expect(decoded(absorbed.program)).toEqual(['all']);
    expect(absorbed.exact).toBe(false);
  });

  it('carries numbers in their shortest round-trip form', () => {
    const { program } = toLuaProgram(
      nodes.in(
        ['n'],
        [0.1, 1e21, -2.5, Number('123456789012345678'), 5e-324, Number('9007199254740993')],
      ),
    );
    expect(program).toBe(
      '["in",["n"],[0.1,1e+21,-2.5,123456789012345680,5e-324,9007199254740992]]',
    );
  });

  it('keeps user strings as JSON string data, whatever they contain', () => {
    const nasty = '"]] .. redis.call("FLUSHALL") .. [[ %a.*[ ]\\';
    const { program } = toLuaProgram(nodes.eq([nasty.replaceAll('.', '_')], nasty));
    expect(decoded(program)).toEqual(['eq', [nasty.replaceAll('.', '_')], nasty]);
  });

  it('rejects operands the Lua side could not represent', () => {
    expect(() => toLuaProgram(nodes.eq(['a'], Number.POSITIVE_INFINITY))).toThrow(FilterError);
    expect(() => toLuaProgram(nodes.eq(['a'], Number.NaN))).toThrow(/not finite/);
    expect(() => toLuaProgram(nodes.in(['a'], [1, Number.NaN]))).toThrow(FilterError);
    expect(() => toLuaProgram(nodes.startsWith(['a'], '\ud83d'))).toThrow(/lone surrogate/);
    expect(() => toLuaProgram(nodes.exists(['a.b']))).toThrow(FilterError);
    expect(() => toLuaProgram(nodes.exists(['$a']))).toThrow(FilterError);
    expect(() => toLuaProgram(nodes.exists([]))).toThrow(FilterError);
  });
});
