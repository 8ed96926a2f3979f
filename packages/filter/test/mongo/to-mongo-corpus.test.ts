import { afterAll, describe, expect, test } from 'vitest';
import { toMongo } from '../../src/compile/mongo/index.js';
import { compile } from '../../src/evaluate/compile.js';
import { parse } from '../../src/parse.js';
import { loadCorpus } from '../../src/testing/corpus.js';
import { manualMatches } from './manual-model.js';
import { mingoDivergence, mingoMatches, storedDocument } from './mingo-harness.js';

/**
 * The shared corpus through toMongo, answered by mingo (no MongoDB server yet). Documents where
 * mingo departs from the MongoDB manual (see mingoDivergence) are left out of the mingo comparison
 * for that case and counted; every document is also answered by manualMatches.
 */
const corpus = loadCorpus();
const skipped: Record<string, number> = {};
let compared = 0;
let inputs = 0;
let modelledCount = 0;

afterAll(() => {
  console.log(
    `mongo/mingo corpus: ${corpus.length} files, ${inputs} filters, ${compared} mingo comparisons, skipped ${JSON.stringify(skipped)}, ${modelledCount} manual-model comparisons`,
  );
});

test('the corpus is not empty', () => {
  expect(corpus.flatMap((file) => file.cases).length).toBeGreaterThan(0);
});

describe('corpus through toMongo on mingo', () => {
  for (const file of corpus) {
    test(file.name, () => {
      const ids = Object.keys(file.documents);
      const documents = ids.map((id) => storedDocument(file.documents[id]!));
      let checkedHere = 0;
      for (const item of file.cases) {
        const forms: [string, unknown][] = [];
        if (item.filter !== undefined) forms.push(['string', item.filter]);
        if (item.json !== undefined) forms.push(['json', item.json]);
        for (const [form, input] of forms) {
          const ast = parse(input);
          const { query, exact } = toMongo(ast);
          const answers = mingoMatches(query, documents);
          const predicate = compile(ast);
          const label = `${file.name}: ${item.description} (${form}: ${JSON.stringify(input)})\nquery ${JSON.stringify(query)}`;
          inputs++;
          ids.forEach((id, i) => {
            const metadata = file.documents[id]!;
            const expected = item.matches.includes(id);
            // The executable reading of the manual needs no exclusions.
            const modelled = manualMatches(query, documents[i]!);
            if (exact) expect(modelled, `manual model: ${label}\ndocument ${id}`).toBe(expected);
            else if (expected)
              expect(modelled, `manual model, superset: ${label}\ndocument ${id}`).toBe(true);
            modelledCount++;
            const reason = mingoDivergence(ast, metadata);
            if (reason !== undefined) {
              skipped[reason] = (skipped[reason] ?? 0) + 1;
              return;
            }
            // The prefilter may return more when inexact; the in-memory re-check must then fix it.
            if (exact) expect(answers[i], `${label}\ndocument ${id}`).toBe(expected);
            else {
              if (expected) expect(answers[i], `superset: ${label}\ndocument ${id}`).toBe(true);
              expect(answers[i]! && predicate(metadata), `refined: ${label}\ndocument ${id}`).toBe(
                expected,
              );
            }
            compared++;
            checkedHere++;
          });
        }
      }
      expect(checkedHere).toBeGreaterThan(0);
    });
  }
});
