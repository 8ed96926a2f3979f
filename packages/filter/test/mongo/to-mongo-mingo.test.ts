import fc from 'fast-check';
import { expect, test } from 'vitest';
import type { FilterNode } from '../../src/ast/filter-node.js';
import { nodes } from '../../src/ast/nodes.js';
import { toMongo } from '../../src/compile/mongo/index.js';
import { compile } from '../../src/evaluate/compile.js';
import { documentArb, filterArb, runSeed } from '../../src/testing/arbitraries.js';
import { manualMatches } from './manual-model.js';
import { mingoDivergence, mingoMatches, storedDocument } from './mingo-harness.js';
import { plantedDocumentsArb } from './planted-documents.js';

/**
 * Second opinion: toMongo's queries run on mingo must give the evaluator's answers (a superset
 * when `exact` is false), except on the shapes where mingo departs from the MongoDB manual
 * (see mingoDivergence); those are counted, and must stay a minority so the test keeps its teeth.
 * Every case is also run, with no exclusion, on manualMatches (an executable reading of the manual).
 */
interface Tally {
  compared: number;
  matched: number;
  inexact: number;
  skipped: Record<string, number>;
  /** Comparisons against manualMatches, which needs no exclusions. */
  modelled: number;
}

function check(
  ast: FilterNode,
  documents: readonly Record<string, unknown>[],
  tally: Tally,
  field?: string,
): void {
  const { query, exact } = field === undefined ? toMongo(ast) : toMongo(ast, { field });
  const predicate = compile(ast);
  const answers = mingoMatches(
    query,
    documents.map((document) => storedDocument(document, field)),
  );
  if (!exact) tally.inexact++;
  documents.forEach((document, i) => {
    const expected = predicate(document);
    const label = `filter ${JSON.stringify(ast)}\ndocument ${JSON.stringify(document)}\nquery ${JSON.stringify(query)}`;
    const modelled = manualMatches(query, storedDocument(document, field));
    if (exact) expect(modelled, `manual model: ${label}`).toBe(expected);
    else if (expected) expect(modelled, `manual model, superset: ${label}`).toBe(true);
    tally.modelled++;
    const reason = mingoDivergence(ast, document);
    if (reason !== undefined) {
      tally.skipped[reason] = (tally.skipped[reason] ?? 0) + 1;
      return;
    }
    if (exact) expect(answers[i], `mingo: ${label}`).toBe(expected);
    else if (expected) expect(answers[i], `mingo, superset: ${label}`).toBe(true);
    tally.compared++;
    if (expected) tally.matched++;
  });
}

const newTally = (): Tally => ({ compared: 0, matched: 0, inexact: 0, skipped: {}, modelled: 0 });

test('random filters on random documents agree with the evaluator (mingo)', () => {
  const seed = runSeed();
  console.log(`mongo/mingo differential: FILTER_SEED=${seed}`);
  const tally = newTally();
  const started = performance.now();
  fc.assert(
    fc.property(
      filterArb,
      fc.array(documentArb, { minLength: 1, maxLength: 8 }),
      (ast, documents) => {
        check(ast, documents, tally);
      },
    ),
    { seed, numRuns: 2000 },
  );
  const skipped = Object.values(tally.skipped).reduce((a, b) => a + b, 0);
  console.log(
    `mongo/mingo differential: ${tally.compared} comparisons (${tally.matched} matching), ${skipped} skipped ${JSON.stringify(tally.skipped)}, ${tally.modelled} manual-model comparisons, ${tally.inexact} inexact filters, ${Math.round(performance.now() - started)} ms`,
  );
  expect(tally.compared).toBeGreaterThan(5 * skipped);
  expect(tally.matched).toBeGreaterThan(tally.compared / 10);
  expect(tally.compared - tally.matched).toBeGreaterThan(tally.compared / 10);
});

test('random filters on documents planted at their paths agree with the evaluator (mingo)', () => {
  const seed = runSeed();
  console.log(`mongo/mingo planted differential: FILTER_SEED=${seed}`);
  const tally = newTally();
  const started = performance.now();
  const cases = filterArb.chain((ast) => fc.tuple(fc.constant(ast), plantedDocumentsArb(ast)));
  fc.assert(
    fc.property(cases, ([ast, documents]) => {
      check(ast, documents, tally);
    }),
    { seed, numRuns: 2000 },
  );
  const skipped = Object.values(tally.skipped).reduce((a, b) => a + b, 0);
  console.log(
    `mongo/mingo planted differential: ${tally.compared} comparisons (${tally.matched} matching), ${skipped} skipped ${JSON.stringify(tally.skipped)}, ${tally.modelled} manual-model comparisons, ${tally.inexact} inexact filters, ${Math.round(performance.now() - started)} ms`,
  );
  expect(tally.compared).toBeGreaterThan(3 * skipped);
  expect(tally.matched).toBeGreaterThan(tally.compared / 5);
  expect(tally.compared - tally.matched).toBeGreaterThan(tally.compared / 5);
});

test('a dotted field prefix changes nothing (mingo)', () => {
  const seed = runSeed();
  console.log(`mongo/mingo field differential: FILTER_SEED=${seed}`);
  const tally = newTally();
  fc.assert(
    fc.property(
      filterArb,
      fc.array(documentArb, { minLength: 1, maxLength: 4 }),
      (ast, documents) => {
        check(ast, documents, tally, 'identity.meta_data');
      },
    ),
    { seed, numRuns: 300 },
  );
  expect(tally.compared).toBeGreaterThan(0);
});

/** Fixed regression cases: shapes the differential found or that it must never lose. */
test.each<[string, FilterNode, Record<string, unknown>]>([
  ['fan-out through an array of objects is missing', nodes.eq(['a', 'b'], 1), { a: [{ b: 1 }] }],
  ['fan-out does not satisfy == null either way', nodes.eq(['a', 'b'], null), { a: [{ b: 2 }] }],
  ['a digit segment is an object key, not an index', nodes.eq(['a', '0'], 'x'), { a: ['x'] }],
  ['a digit segment on an object', nodes.eq(['a', '0'], 'x'), { a: { '0': 'x' } }],
  ['!= on a missing path', nodes.not(nodes.eq(['a'], 1)), {}],
  ['contains a substring of an array element is false', nodes.contains(['a'], 'b'), { a: ['abc'] }],
  ['contains on a scalar equal to the operand is false', nodes.contains(['a'], 1), { a: 1 }],
  ['endswith does not match before a final newline', nodes.endsWith(['a'], 'a'), { a: 'a\n' }],
  ['is array on an empty array', nodes.type(['a'], 'array'), { a: [] }],
  [
    'is object on an array of objects under an object',
    nodes.type(['a', 'b'], 'object'),
    { a: { b: {} } },
  ],
  ['in [null] on a path through an array', nodes.in(['a', 'b'], [null, 1]), { a: [1] }],
  ['exists through an array', nodes.exists(['a', 'b']), { a: [{ b: 1 }] }],
  ['unsafe regex is re-checked, not pushed down', nodes.matches(['a'], 'a+b+', ''), { a: 'ab' }],
])('%s', (_name, ast, document) => {
  const tally = newTally();
  check(ast, [document], tally);
  expect(tally.compared).toBe(1);
});
