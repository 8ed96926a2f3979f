import { afterAll, describe, expect, it } from 'vitest';
import type { FilterNode } from '../../src/ast/filter-node.js';
import { parse } from '../../src/parse.js';
import { loadCorpus } from '../../src/testing/corpus.js';
import { LuaFilterHarness } from './lua-filter-harness.js';

const harness = await LuaFilterHarness.open('corpus');
const corpus = loadCorpus();

describe.skipIf(!harness)('Redis Lua evaluator on the shared corpus', () => {
  const h = harness!;
  afterAll(() => h.close());

  it('has corpus files to run', () => {
    expect(corpus.length).toBeGreaterThan(0);
  });

  for (const file of corpus) {
    it(`${file.name}: ${file.cases.length} cases`, async () => {
      const ids = Object.keys(file.documents);
      const keys = await h.store(
        ids.map((id) => [`${file.name}:${id}`, file.documents[id]!] as const),
      );
      const idOf = new Map(keys.map((key, i) => [key, ids[i]!]));
      const runs: { label: string; ast: FilterNode; matches: readonly string[] }[] = [];
      for (const c of file.cases) {
        if (c.filter !== undefined)
          runs.push({
            label: `${c.description} [${c.filter}]`,
            ast: parse(c.filter),
            matches: c.matches,
          });
        if (c.json !== undefined) {
          runs.push({
            label: `${c.description} [json ${JSON.stringify(c.json)}]`,
            ast: parse(c.json),
            matches: c.matches,
          });
        }
      }
      const results = await h.runFilters(
        keys,
        runs.map((r) => r.ast),
      );
      const failures: string[] = [];
      results.forEach((result, i) => {
        const run = runs[i]!;
        const got = result.refined.map((key) => idOf.get(key)!).sort();
        const want = [...run.matches].sort();
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          failures.push(`${run.label}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
        }
      });
      expect(failures).toEqual([]);
      expect(runs.length).toBeGreaterThan(0);
    });
  }
});
