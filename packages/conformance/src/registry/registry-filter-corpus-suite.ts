// Guarantees: every case of @muster/filter's shared corpus (both the string and the JSON form)
// selects, through the adapter's enumerate, exactly the documents the corpus lists (after refining
// pages that say `exact: false`, which may hold extra identities but never miss one).
import { format, parse } from '@muster/filter';
import { loadCorpus } from '@muster/filter/testing';
import { expect } from 'vitest';
import { makeRecord } from '../support/make-record.js';
import { uniqueNamespace } from '../support/unique-namespace.js';
import { checkFilter } from './filter-check.js';
import { type RegistrySuiteContext, withRegistry } from './registry-suite-context.js';

export function registryFilterCorpusSuite(context: RegistrySuiteContext): void {
  for (const file of loadCorpus()) {
    context.test(`filter corpus: ${file.name} (${file.cases.length} cases)`, async () => {
      await withRegistry(context, async (slot) => {
        const namespace = uniqueNamespace(`corpus-${file.name}`);
        const now = Date.now();
        const documents = new Map(Object.entries(file.documents));
        await Promise.all(
          [...documents].map(([id, metadata]) =>
            slot.put(namespace, makeRecord(id, metadata, now), { mode: 'create' }, now),
          ),
        );
        const failures: string[] = [];
        for (const testCase of file.cases) {
          for (const input of [testCase.filter, testCase.json]) {
            if (input === undefined) continue;
            const ast = parse(input);
            const problem = await checkFilter(
              slot,
              context.supports,
              namespace,
              documents,
              ast,
              now,
            );
            if (problem !== undefined)
              failures.push(`${testCase.description} [${format(ast)}]: ${problem}`);
          }
        }
        if (failures.length > 0)
          expect.fail(
            `corpus ${file.name}: ${failures.length} cases wrong:\n${failures.join('\n')}`,
          );
      });
    });
  }
}
