// Guarantees: for thousands of random filters (and/or/not over every operator, cross-type values,
// nested arrays, odd keys) over random documents, the adapter's enumerate selects exactly what the
// reference evaluator `compile` selects. The seed is printed; FILTER_SEED=<seed> replays a run,
// and fast-check shrinks a failure to a small filter.
import { compile, format, nodes, validateMetadata } from '@muster/filter';
import { documentArb, filterArb, runSeed } from '@muster/filter/testing';
import fc from 'fast-check';
import { expect } from 'vitest';
import { makeRecord } from '../support/make-record.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { checkFilter } from './filter-check.js';
import { type RegistrySuiteContext, withRegistry } from './registry-suite-context.js';

const DOCUMENTS = 120;
const MIN_RUNS = 2_000;

export function registryFilterFuzzSuite(context: RegistrySuiteContext): void {
  const runs = Math.max(MIN_RUNS, context.fuzzRuns ?? MIN_RUNS);
  context.test(`filter fuzz: ${runs} random filters against the reference evaluator`, async () => {
    const seed = runSeed();
    console.log(`[conformance] filter fuzz seed ${seed} (replay with FILTER_SEED=${seed})`);
    await withRegistry(context, async (slot) => {
      const namespace = uniqueNamespace('fuzz');
      const now = Date.now();
      const documents = new Map<string, Record<string, unknown>>();
      fc.sample(documentArb, { seed, numRuns: DOCUMENTS }).forEach((metadata, i) => {
        if (isValid(metadata)) documents.set(`doc-${String(i).padStart(3, '0')}`, metadata);
      });
      documents.set('doc-empty', {});
      await Promise.all(
        [...documents].map(([id, metadata]) =>
          slot.put(namespace, makeRecord(id, metadata, now), { mode: 'create' }, now),
        ),
      );
      let selective = 0;
      await fc.assert(
        fc.asyncProperty(filterArb, async (filter) => {
          const problem = await checkFilter(
            slot,
            context.supports,
            namespace,
            documents,
            filter,
            now,
          );
          expect(problem, `filter ${format(filter)} (seed ${seed})`).toBeUndefined();
          const matches = compile(filter);
          let count = 0;
          for (const metadata of documents.values()) if (matches(metadata)) count++;
          if (count > 0 && count < documents.size) selective++;
        }),
        { seed, numRuns: runs },
      );
      // Guards against a degenerate run where nearly every filter matches all or nothing.
      expect(selective, 'random filters that select some documents but not all').toBeGreaterThan(
        runs / 5,
      );
      // `not` must partition: f and not f never overlap (checked once more explicitly).
      const sample = fc.sample(filterArb, { seed: seed + 1, numRuns: 20 });
      for (const filter of sample) {
        const problem = await checkFilter(
          slot,
          context.supports,
          namespace,
          documents,
          nodes.not(filter),
          now,
        );
        expect(problem, `filter ${format(nodes.not(filter))} (seed ${seed})`).toBeUndefined();
      }
    });
  });
}

function isValid(metadata: Record<string, unknown>): boolean {
  try {
    validateMetadata(metadata);
    return true;
  } catch {
    return false;
  }
}
