import { coordinatorCloseSuite } from './coordinator/coordinator-close-suite.js';
import { coordinatorEnumerateSuite } from './coordinator/coordinator-enumerate-suite.js';
import { coordinatorMulticastSuite } from './coordinator/coordinator-multicast-suite.js';
import { coordinatorRegisterSuite } from './coordinator/coordinator-register-suite.js';
import { coordinatorReportsSuite } from './coordinator/coordinator-reports-suite.js';
import { coordinatorSharedSlotsSuite } from './coordinator/coordinator-shared-slots-suite.js';
import { coordinatorSubscribeSuite } from './coordinator/coordinator-subscribe-suite.js';
import type {
  CoordinatorSlots,
  CoordinatorSuiteContext,
  CoordinatorSupports,
} from './coordinator/coordinator-suite-context.js';
import { coordinatorTtlSuite } from './coordinator/coordinator-ttl-suite.js';
import { coordinatorWatchSuite } from './coordinator/coordinator-watch-suite.js';
import { requireOption } from './support/read-supports.js';
import type { SuiteDescribe, SuiteTest } from './support/suite-test.js';

export interface TestCoordinatorOptions {
  readonly it: SuiteTest;
  readonly describe: SuiteDescribe;
  readonly name: string;
  /** A fresh set of slots per call (registry, messaging, and durability or null). */
  readonly slots: () => CoordinatorSlots | Promise<CoordinatorSlots>;
  readonly teardown?: CoordinatorSuiteContext['teardown'];
}

/** Registers every coordinator suite (each runs `createMuster` on the slots under test). */
export function coordinatorSuites(context: CoordinatorSuiteContext): void {
  coordinatorRegisterSuite(context);
  coordinatorTtlSuite(context);
  coordinatorEnumerateSuite(context);
  coordinatorMulticastSuite(context);
  coordinatorReportsSuite(context);
  coordinatorSubscribeSuite(context);
  coordinatorWatchSuite(context);
  coordinatorSharedSlotsSuite(context);
  coordinatorCloseSuite(context);
}

/** The coordinator suite: `await testCoordinator({ it, describe, name, slots })`. */
export async function testCoordinator(options: TestCoordinatorOptions): Promise<void> {
  requireOption(options.it, 'it', 'testCoordinator');
  requireOption(options.describe, 'describe', 'testCoordinator');
  requireOption(options.slots, 'slots', 'testCoordinator');
  const slots = await options.slots();
  let supports: CoordinatorSupports;
  try {
    supports = structuredClone({
      registry: slots.registry.supports,
      messaging: slots.messaging.supports,
      durability: slots.durability?.supports ?? null,
    });
  } finally {
    await slots.registry.close();
    await slots.messaging.close();
    await slots.durability?.close();
    await options.teardown?.(slots);
  }
  options.describe(`${options.name}: coordinator conformance`, () => {
    coordinatorSuites({
      test: options.it,
      slots: options.slots,
      supports,
      ...(options.teardown === undefined ? {} : { teardown: options.teardown }),
    });
  });
}
