import { messagingAckedAbsentSuite } from './messaging/messaging-acked-absent-suite.js';
import { messagingAckedSuite } from './messaging/messaging-acked-suite.js';
import { messagingAtMostOnceAbsentSuite } from './messaging/messaging-at-most-once-absent-suite.js';
import { messagingAtMostOnceSuite } from './messaging/messaging-at-most-once-suite.js';
import { messagingClosedSuite } from './messaging/messaging-closed-suite.js';
import { messagingDeliverySuite } from './messaging/messaging-delivery-suite.js';
import { messagingDisconnectNotApplicableSuite } from './messaging/messaging-disconnect-not-applicable-suite.js';
import { messagingDisconnectSuite } from './messaging/messaging-disconnect-suite.js';
import { messagingManifestSuite } from './messaging/messaging-manifest-suite.js';
import { messagingNamespaceIsolationSuite } from './messaging/messaging-namespace-isolation-suite.js';
import { messagingOrderSuite } from './messaging/messaging-order-suite.js';
import { messagingSubscriptionsSuite } from './messaging/messaging-subscriptions-suite.js';
import type {
  MessagingFactory,
  MessagingSuiteContext,
} from './messaging/messaging-suite-context.js';
import { readSupports, requireOption } from './support/read-supports.js';
import type { SuiteDescribe, SuiteTest } from './support/suite-test.js';

export interface TestMessagingSlotOptions {
  readonly it: SuiteTest;
  readonly describe: SuiteDescribe;
  readonly name: string;
  /** A fresh messaging slot per call. */
  readonly factory: MessagingFactory;
  readonly teardown?: MessagingSuiteContext['teardown'];
  /** Cut the slot's backend connection (required, with `restore`, for a distributed slot). */
  readonly disrupt?: MessagingSuiteContext['disrupt'];
  /** Bring the backend back after `disrupt`. */
  readonly restore?: MessagingSuiteContext['restore'];
}

/** Registers every messaging suite, choosing by the slot's `supports` manifest. */
export function messagingSuites(context: MessagingSuiteContext): void {
  const { supports } = context;
  messagingManifestSuite(context);
  messagingDeliverySuite(context);
  messagingOrderSuite(context);
  messagingSubscriptionsSuite(context);
  messagingNamespaceIsolationSuite(context);
  if (supports.atMostOnce) messagingAtMostOnceSuite(context);
  else messagingAtMostOnceAbsentSuite(context);
  if (supports.acked) messagingAckedSuite(context);
  else messagingAckedAbsentSuite(context);
  if (context.disrupt !== undefined && context.restore !== undefined)
    messagingDisconnectSuite(context);
  else messagingDisconnectNotApplicableSuite(context);
  messagingClosedSuite(context);
}

/** The messaging conformance kit: `await testMessagingSlot({ it, describe, name, factory })`. */
export async function testMessagingSlot(options: TestMessagingSlotOptions): Promise<void> {
  requireOption(options.it, 'it', 'testMessagingSlot');
  requireOption(options.describe, 'describe', 'testMessagingSlot');
  requireOption(options.factory, 'factory', 'testMessagingSlot');
  if ((options.disrupt === undefined) !== (options.restore === undefined))
    throw new TypeError('testMessagingSlot: pass both `disrupt` and `restore`, or neither');
  const supports = await readSupports(options.factory, options.teardown);
  options.describe(`${options.name}: messaging slot conformance`, () => {
    messagingSuites({
      test: options.it,
      factory: options.factory,
      supports,
      name: options.name,
      ...(options.teardown === undefined ? {} : { teardown: options.teardown }),
      ...(options.disrupt === undefined ? {} : { disrupt: options.disrupt }),
      ...(options.restore === undefined ? {} : { restore: options.restore }),
    });
  });
}
