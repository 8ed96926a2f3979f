import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodes } from '../src/ast/nodes.js';
import { compile } from '../src/evaluate/compile.js';
import { compileClosures } from '../src/evaluate/compile-closures.js';
import { parse } from '../src/parse.js';
import { documentArb, filterArb, runSeed } from '../src/testing/arbitraries.js';

const matches = (filter: string, doc: unknown) =>
  compile(parse(filter))(JSON.parse(JSON.stringify(doc)));

describe('evaluator', () => {
  it('generated code and closures give the same answers', () => {
    const seed = runSeed();
    console.log(`generated vs closures seed=${seed}`);
    fc.assert(
      fc.property(
        filterArb,
        fc.array(documentArb, { minLength: 1, maxLength: 20 }),
        (ast, docs) => {
          const generated = compile(ast);
          const closures = compileClosures(ast);
          for (const doc of docs) expect(generated(doc)).toBe(closures(doc));
        },
      ),
      { seed, numRuns: 5000 },
    );
  });

  it('keeps the algebra: in is an or of ==, != is not ==, not partitions', () => {
    const seed = runSeed();
    console.log(`evaluator laws seed=${seed}`);
    fc.assert(
      fc.property(filterArb, documentArb, (ast, doc) => {
        expect(compile(nodes.not(ast))(doc)).toBe(!compile(ast)(doc));
        if (ast.kind === 'in') {
          const asOr = ast.values
            .map((value) => compile(nodes.eq(ast.path, value))(doc))
            .some(Boolean);
          expect(compile(ast)(doc)).toBe(asOr);
        }
      }),
      { seed, numRuns: 5000 },
    );
  });

  it('does not see inherited JavaScript properties as metadata', () => {
    for (const key of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      const quoted = JSON.stringify(key);
      expect(matches(`${quoted} exists`, {}), key).toBe(false);
      expect(matches(`a.${quoted} exists`, { a: {} }), key).toBe(false);
      expect(matches(`${quoted} == 1`, JSON.parse(`{${quoted}: 1}`)), key).toBe(true);
      expect(compileClosures(parse(`a.${quoted} exists`))({ a: {} }), key).toBe(false);
    }
  });

  it('treats arrays before the last segment as missing and nested arrays as opaque', () => {
    expect(matches('a.b == 1', { a: [{ b: 1 }] })).toBe(false);
    expect(matches('a.b == null', { a: [{ b: 1 }] })).toBe(true);
    expect(matches('a == "x"', { a: [['x']] })).toBe(false);
    expect(matches('a contains "x"', { a: [['x']] })).toBe(false);
    expect(matches('a is array', { a: [['x']] })).toBe(true);
    expect(matches('a is object', { a: [{}] })).toBe(true);
  });

  it('compares strings by code point, not UTF-16 unit', () => {
    expect(matches('a > "\uffff"', { a: '😀' })).toBe(true);
    expect(matches('a < "😀"', { a: '\uffff' })).toBe(true);
    expect(matches('a < "b"', { a: 'B' })).toBe(true);
  });

  it('falls back to closures where code generation is disallowed', () => {
    const script = `
      import { compile } from './src/evaluate/compile.ts';
      import { parse } from './src/parse.ts';
      const predicate = compile(parse('a < 2 and b in ["x", "y"] and c matches "^z"'));
      console.log(JSON.stringify([predicate({ a: 1, b: 'x', c: 'zz' }), predicate({ a: 3 })]));
    `;
    const result = spawnSync(
      process.execPath,
      [
        '--disallow-code-generation-from-strings',
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        script,
      ],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8' },
    );
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('[true,false]');
  });
});
