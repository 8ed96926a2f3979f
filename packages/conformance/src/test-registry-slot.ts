import { registryChangeEventsSuite } from './registry/registry-change-events-suite.js';
import { registryClosedSuite } from './registry/registry-closed-suite.js';
import { registryConcurrentWritersSuite } from './registry/registry-concurrent-writers-suite.js';
import { registryCountAbsentSuite } from './registry/registry-count-absent-suite.js';
import { registryCountSuite } from './registry/registry-count-suite.js';
import { registryCrudSuite } from './registry/registry-crud-suite.js';
import { registryFilterCorpusSuite } from './registry/registry-filter-corpus-suite.js';
import { registryFilterFuzzSuite } from './registry/registry-filter-fuzz-suite.js';
import { registryManifestSuite } from './registry/registry-manifest-suite.js';
import { registryMetadataSortAbsentSuite } from './registry/registry-metadata-sort-absent-suite.js';
import { registryMetadataSortSuite } from './registry/registry-metadata-sort-suite.js';
import { registryNamespaceIsolationSuite } from './registry/registry-namespace-isolation-suite.js';
import { registryPaginationSuite } from './registry/registry-pagination-suite.js';
import { registryQuotaAbsentSuite } from './registry/registry-quota-absent-suite.js';
import { registryQuotaSuite } from './registry/registry-quota-suite.js';
import { registryRealTimeTtlSuite } from './registry/registry-real-time-ttl-suite.js';
import { registryReplaceSuite } from './registry/registry-replace-suite.js';
import { registrySortSuite } from './registry/registry-sort-suite.js';
import type { RegistryFactory, RegistrySuiteContext } from './registry/registry-suite-context.js';
import { registrySweepSuite } from './registry/registry-sweep-suite.js';
import { registryTtlBoundarySuite } from './registry/registry-ttl-boundary-suite.js';
import { registryTtlSuite } from './registry/registry-ttl-suite.js';
import { registryWatchAbsentSuite } from './registry/registry-watch-absent-suite.js';
import { readSupports, requireOption } from './support/read-supports.js';
import type { SuiteDescribe, SuiteTest } from './support/suite-test.js';

export interface TestRegistrySlotOptions {
  /** vitest's `it` (or any function of that shape). */
  readonly it: SuiteTest;
  /** vitest's `describe`. */
  readonly describe: SuiteDescribe;
  /** The adapter's name, used as the describe block's title. */
  readonly name: string;
  /** A fresh registry slot per call. */
  readonly factory: RegistryFactory;
  /** Extra cleanup after each test, after the slot is closed. */
  readonly teardown?: RegistrySuiteContext['teardown'];
  /** Random filters in the differential fuzz (at least 2,000). */
  readonly fuzzRuns?: number;
}

/**
 * Registers every registry suite, choosing by the slot's `supports` manifest: a declared
 * capability runs its suite, a missing one runs the suite of its documented absence.
 */
export function registrySuites(context: RegistrySuiteContext): void {
  const { supports } = context;
  registryManifestSuite(context);
  registryCrudSuite(context);
  registryReplaceSuite(context);
  registryTtlSuite(context);
  if (supports.clock === 'caller') registryTtlBoundarySuite(context);
  registryRealTimeTtlSuite(context);
  registrySweepSuite(context);
  if (supports.quota) registryQuotaSuite(context);
  else registryQuotaAbsentSuite(context);
  registryPaginationSuite(context);
  registrySortSuite(context);
  if (supports.sort) registryMetadataSortSuite(context);
  else registryMetadataSortAbsentSuite(context);
  if (supports.count) registryCountSuite(context);
  else registryCountAbsentSuite(context);
  registryNamespaceIsolationSuite(context);
  registryConcurrentWritersSuite(context);
  if (supports.watch) registryChangeEventsSuite(context);
  else registryWatchAbsentSuite(context);
  registryFilterCorpusSuite(context);
  registryFilterFuzzSuite(context);
  registryClosedSuite(context);
}

/**
 * The registry conformance kit: `await testRegistrySlot({ it, describe, name, factory })` at the top
 * level of a test file. Reads the manifest from one slot, then registers the suites.
 */
export async function testRegistrySlot(options: TestRegistrySlotOptions): Promise<void> {
  requireOption(options.it, 'it', 'testRegistrySlot');
  requireOption(options.describe, 'describe', 'testRegistrySlot');
  requireOption(options.factory, 'factory', 'testRegistrySlot');
  const supports = await readSupports(options.factory, options.teardown);
  options.describe(`${options.name}: registry slot conformance`, () => {
    registrySuites({
      test: options.it,
      factory: options.factory,
      supports,
      ...(options.teardown === undefined ? {} : { teardown: options.teardown }),
      ...(options.fuzzRuns === undefined ? {} : { fuzzRuns: options.fuzzRuns }),
    });
  });
}
