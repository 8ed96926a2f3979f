import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { FilterNode } from '../../src/ast/filter-node.js';
import { nodes } from '../../src/ast/nodes.js';
import { documentArb, filterArb, runSeed } from '../../src/testing/arbitraries.js';
import { LuaFilterHarness } from './lua-filter-harness.js';

const harness = await LuaFilterHarness.open('differential');
const seed = runSeed();
console.log(`Lua differential seed: ${seed} (replay with FILTER_SEED=${seed})`);

const BATCHES = 4;
const DOCUMENTS_PER_BATCH = 300;
const FILTERS_PER_BATCH = 600;

function hasMatches(node: FilterNode): boolean {
  switch (node.kind) {
    case 'matches':
      return true;
    case 'not':
      return hasMatches(node.child);
    case 'and':
    case 'or':
      return node.children.some(hasMatches);
    default:
      return false;
  }
}

/** f and not f split the stored keys: disjoint, and together all of them. */
function expectPartition(
  positive: readonly string[],
  negative: readonly string[],
  stored: readonly string[],
): void {
  const seen = new Set(positive);
  for (const key of negative) expect(seen.has(key), `${key} matches both f and not f`).toBe(false);
  expect([...positive, ...negative].sort()).toEqual([...stored].sort());
}

describe.skipIf(!harness)('Redis Lua evaluator against compile() (differential)', () => {
  const h = harness!;
  afterAll(() => h.close());

  it('fixed regression cases (shrunk counterexamples from deliberately broken scripts)', async () => {
    const stored = await h.store(
      [
        { a: [] },
        { a: {} },
        {},
        { a: null },
        { a: [null] },
        { a: [[]] },
        { a: 'x' },
        { a: -1 },
      ].map((metadata, i) => [`fixed:${i}`, metadata] as const),
    );
    const asts = [
      nodes.type(['a'], 'array'),
      nodes.type(['a'], 'object'),
      nodes.in(['a'], [null]),
      nodes.and([nodes.not(nodes.in(['a'], [])), nodes.eq(['a'], null)]),
      nodes.not(nodes.or([nodes.eq(['a'], null), nodes.type(['a'], 'string')])),
      nodes.or([
        nodes.contains(['a'], -1),
        nodes.type(['a'], 'array'),
        nodes.startsWith(['a'], ''),
      ]),
      nodes.or([nodes.endsWith(['a'], ''), nodes.not(nodes.type(['a'], 'array'))]),
    ];
    const results = await h.runFilters(stored, asts);
    results.forEach((result, i) => {
      expect(result.raw, JSON.stringify(asts[i])).toEqual(h.expected(stored, asts[i]!));
    });
  });

  for (let batch = 0; batch < BATCHES; batch++) {
    it(`batch ${batch}: ${FILTERS_PER_BATCH} random filters over ${DOCUMENTS_PER_BATCH} random documents`, async () => {
      const documents = fc.sample(documentArb, {
        seed: seed + batch,
        numRuns: DOCUMENTS_PER_BATCH,
      });
      const stored = await h.store(
        documents.map((metadata, i) => [`b${batch}:${i}`, metadata] as const),
      );
      // A key that holds nothing: it must never match, not even `not f`.
      const keys = [...stored, h.key(`b${batch}:missing`)];
      let selective = 0;
      let inexact = 0;
      await fc.assert(
        fc.asyncProperty(filterArb, async (ast) => {
          const [positive, negative] = await h.runFilters(keys, [ast, nodes.not(ast)]);
          const expected = h.expected(keys, ast);
          expect(positive!.refined).toEqual(expected);
          if (expected.length > 0 && expected.length < stored.length) selective++;
          if (!positive!.exact) inexact++;
          expectPartition(positive!.refined, negative!.refined, stored);
          if (!hasMatches(ast)) {
            expect(positive!.exact && negative!.exact).toBe(true);
            expectPartition(positive!.raw, negative!.raw, stored);
          }
        }),
        { seed: seed + 1000 + batch, numRuns: FILTERS_PER_BATCH },
      );
      console.log(`batch ${batch}: ${selective} selective filters, ${inexact} refined in memory`);
      // Guards against a degenerate run where nearly every filter matches all or nothing.
      expect(selective).toBeGreaterThan(FILTERS_PER_BATCH / 5);
    });
  }
});
