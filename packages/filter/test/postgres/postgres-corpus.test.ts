import { afterAll, describe, expect, test } from 'vitest';
import { parse } from '../../src/parse.js';
import { loadCorpus } from '../../src/testing/corpus.js';
import { PostgresHarness } from './support/postgres-harness.js';

const corpus = loadCorpus();
const harness = await PostgresHarness.open('postgres-corpus');

afterAll(async () => {
  await harness?.close();
});

test('the corpus is not empty', () => {
  expect(corpus.length).toBeGreaterThan(0);
  expect(corpus.flatMap((file) => file.cases).length).toBeGreaterThan(0);
});

describe.skipIf(harness === undefined)('corpus on PostgreSQL', () => {
  for (const file of corpus) {
    test(file.name, async () => {
      const db = harness!;
      await db.store(Object.entries(file.documents));
      let checked = 0;
      for (const item of file.cases) {
        const inputs: [string, unknown][] = [];
        if (item.filter !== undefined) inputs.push(['string', item.filter]);
        if (item.json !== undefined) inputs.push(['json', item.json]);
        expect(inputs.length, item.description).toBeGreaterThan(0);
        const expected = [...item.matches].sort();
        for (const [form, input] of inputs) {
          const ast = parse(input);
          const label = `${file.name}: ${item.description} (${form}: ${JSON.stringify(input)})`;
          expect(db.expected(ast), `evaluator, ${label}`).toEqual(expected);
          const result = await db.select(ast);
          expect(
            result.refined,
            `postgres, ${label}\n${result.sql.sql}\n${result.sql.params.join('\n')}`,
          ).toEqual(expected);
          if (result.sql.exact) expect(result.raw).toEqual(expected);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(0);
    });
  }
});
