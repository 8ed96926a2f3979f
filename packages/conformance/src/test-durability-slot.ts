import { durabilityAckSuite } from './durability/durability-ack-suite.js';
import { durabilityClosedSuite } from './durability/durability-closed-suite.js';
import { durabilityManifestSuite } from './durability/durability-manifest-suite.js';
import { durabilityNamespaceIsolationSuite } from './durability/durability-namespace-isolation-suite.js';
import { durabilityNotifyAbsentSuite } from './durability/durability-notify-absent-suite.js';
import { durabilityNotifySuite } from './durability/durability-notify-suite.js';
import { durabilityOrderSuite } from './durability/durability-order-suite.js';
import { durabilityPurgeSuite } from './durability/durability-purge-suite.js';
import { durabilityQueueSuite } from './durability/durability-queue-suite.js';
import { durabilityRedeliverySuite } from './durability/durability-redelivery-suite.js';
import { durabilityReportsAbsentSuite } from './durability/durability-reports-absent-suite.js';
import { durabilityReportsSuite } from './durability/durability-reports-suite.js';
import { durabilityRetentionAbsentSuite } from './durability/durability-retention-absent-suite.js';
import { durabilityRetentionSuite } from './durability/durability-retention-suite.js';
import type {
  DurabilityFactory,
  DurabilitySuiteContext,
} from './durability/durability-suite-context.js';
import { readSupports, requireOption } from './support/read-supports.js';
import type { SuiteDescribe, SuiteTest } from './support/suite-test.js';

export interface TestDurabilitySlotOptions {
  readonly it: SuiteTest;
  readonly describe: SuiteDescribe;
  readonly name: string;
  /** A fresh durability slot per call, applying `options.retention` when given. */
  readonly factory: DurabilityFactory;
  readonly teardown?: DurabilitySuiteContext['teardown'];
}

/** Registers every durability suite, choosing by the slot's `supports` manifest. */
export function durabilitySuites(context: DurabilitySuiteContext): void {
  const { supports } = context;
  durabilityManifestSuite(context);
  durabilityQueueSuite(context);
  durabilityRedeliverySuite(context);
  durabilityOrderSuite(context);
  durabilityAckSuite(context);
  durabilityPurgeSuite(context);
  if (supports.retention) durabilityRetentionSuite(context);
  else durabilityRetentionAbsentSuite(context);
  if (supports.notify) durabilityNotifySuite(context);
  else durabilityNotifyAbsentSuite(context);
  if (supports.reports) durabilityReportsSuite(context);
  else durabilityReportsAbsentSuite(context);
  durabilityNamespaceIsolationSuite(context);
  durabilityClosedSuite(context);
}

/** The durability conformance kit: `await testDurabilitySlot({ it, describe, name, factory })`. */
export async function testDurabilitySlot(options: TestDurabilitySlotOptions): Promise<void> {
  requireOption(options.it, 'it', 'testDurabilitySlot');
  requireOption(options.describe, 'describe', 'testDurabilitySlot');
  requireOption(options.factory, 'factory', 'testDurabilitySlot');
  const supports = await readSupports(() => options.factory({}), options.teardown);
  options.describe(`${options.name}: durability slot conformance`, () => {
    durabilitySuites({
      test: options.it,
      factory: options.factory,
      supports,
      ...(options.teardown === undefined ? {} : { teardown: options.teardown }),
    });
  });
}
