/**
 * @muster/conformance: the test kit every Muster slot adapter must pass. The four runners compose
 * the suites by the adapter's `supports` manifest; every suite is exported too, so an adapter
 * can run a subset. See README.md for writing an adapter.
 */

export { coordinatorCloseSuite } from './coordinator/coordinator-close-suite.js';
export { coordinatorEnumerateSuite } from './coordinator/coordinator-enumerate-suite.js';
export { coordinatorMulticastSuite } from './coordinator/coordinator-multicast-suite.js';
export { coordinatorRegisterSuite } from './coordinator/coordinator-register-suite.js';
export { coordinatorReportsSuite } from './coordinator/coordinator-reports-suite.js';
export { coordinatorSharedSlotsSuite } from './coordinator/coordinator-shared-slots-suite.js';
export { coordinatorSubscribeSuite } from './coordinator/coordinator-subscribe-suite.js';
export type {
  CoordinatorFixture,
  CoordinatorSlots,
  CoordinatorSuiteContext,
  CoordinatorSupports,
} from './coordinator/coordinator-suite-context.js';
export { withCoordinators } from './coordinator/coordinator-suite-context.js';
export { coordinatorTtlSuite } from './coordinator/coordinator-ttl-suite.js';
export { coordinatorWatchSuite } from './coordinator/coordinator-watch-suite.js';
export { durabilityAckSuite } from './durability/durability-ack-suite.js';
export { durabilityClosedSuite } from './durability/durability-closed-suite.js';
export { durabilityManifestSuite } from './durability/durability-manifest-suite.js';
export { durabilityNamespaceIsolationSuite } from './durability/durability-namespace-isolation-suite.js';
export { durabilityNotifyAbsentSuite } from './durability/durability-notify-absent-suite.js';
export { durabilityNotifySuite } from './durability/durability-notify-suite.js';
export { durabilityOrderSuite } from './durability/durability-order-suite.js';
export { durabilityPurgeSuite } from './durability/durability-purge-suite.js';
export { durabilityQueueSuite } from './durability/durability-queue-suite.js';
export { durabilityRedeliverySuite } from './durability/durability-redelivery-suite.js';
export { durabilityReportsAbsentSuite } from './durability/durability-reports-absent-suite.js';
export { durabilityReportsSuite } from './durability/durability-reports-suite.js';
export { durabilityRetentionAbsentSuite } from './durability/durability-retention-absent-suite.js';
export { durabilityRetentionSuite } from './durability/durability-retention-suite.js';
export type {
  DurabilityFactory,
  DurabilityFactoryOptions,
  DurabilitySuiteContext,
} from './durability/durability-suite-context.js';
export { messagingAckedAbsentSuite } from './messaging/messaging-acked-absent-suite.js';
export { messagingAckedSuite } from './messaging/messaging-acked-suite.js';
export { messagingAtMostOnceAbsentSuite } from './messaging/messaging-at-most-once-absent-suite.js';
export { messagingAtMostOnceSuite } from './messaging/messaging-at-most-once-suite.js';
export { messagingClosedSuite } from './messaging/messaging-closed-suite.js';
export { messagingDeliverySuite } from './messaging/messaging-delivery-suite.js';
export { messagingDisconnectNotApplicableSuite } from './messaging/messaging-disconnect-not-applicable-suite.js';
export { messagingDisconnectSuite } from './messaging/messaging-disconnect-suite.js';
export { messagingManifestSuite } from './messaging/messaging-manifest-suite.js';
export { messagingNamespaceIsolationSuite } from './messaging/messaging-namespace-isolation-suite.js';
export { messagingOrderSuite } from './messaging/messaging-order-suite.js';
export { messagingSubscriptionsSuite } from './messaging/messaging-subscriptions-suite.js';
export type {
  MessagingFactory,
  MessagingSuiteContext,
} from './messaging/messaging-suite-context.js';
export { registryChangeEventsSuite } from './registry/registry-change-events-suite.js';
export { registryClosedSuite } from './registry/registry-closed-suite.js';
export { registryConcurrentWritersSuite } from './registry/registry-concurrent-writers-suite.js';
export { registryCountAbsentSuite } from './registry/registry-count-absent-suite.js';
export { registryCountSuite } from './registry/registry-count-suite.js';
export { registryCrudSuite } from './registry/registry-crud-suite.js';
export { registryFilterCorpusSuite } from './registry/registry-filter-corpus-suite.js';
export { registryFilterFuzzSuite } from './registry/registry-filter-fuzz-suite.js';
export { registryManifestSuite } from './registry/registry-manifest-suite.js';
export { registryMetadataSortAbsentSuite } from './registry/registry-metadata-sort-absent-suite.js';
export { registryMetadataSortSuite } from './registry/registry-metadata-sort-suite.js';
export { registryNamespaceIsolationSuite } from './registry/registry-namespace-isolation-suite.js';
export { registryPaginationSuite } from './registry/registry-pagination-suite.js';
export { registryQuotaAbsentSuite } from './registry/registry-quota-absent-suite.js';
export { registryQuotaSuite } from './registry/registry-quota-suite.js';
export { registryRealTimeTtlSuite } from './registry/registry-real-time-ttl-suite.js';
export { registryReplaceSuite } from './registry/registry-replace-suite.js';
export { registrySortSuite } from './registry/registry-sort-suite.js';
export type { RegistryFactory, RegistrySuiteContext } from './registry/registry-suite-context.js';
export { registrySweepSuite } from './registry/registry-sweep-suite.js';
export { registryTtlBoundarySuite } from './registry/registry-ttl-boundary-suite.js';
export { registryTtlSuite } from './registry/registry-ttl-suite.js';
export { registryWatchAbsentSuite } from './registry/registry-watch-absent-suite.js';
export { AsyncReader } from './support/async-reader.js';
export { expectMusterError } from './support/expect-muster-error.js';
export { makeEnvelope, payloadText } from './support/make-envelope.js';
export { makeRecord } from './support/make-record.js';
export {
  expectAtLeastOnceInOrder,
  type FaultStreamControl,
  faultStreamMusterOptions,
  type MulticastThroughFaultsOptions,
  multicastThroughFaults,
  type Receipt,
} from './support/multicast-through-faults.js';
export { compareCodePoints, referenceOrder } from './support/reference-order.js';
export {
  freePort,
  type ServerCommand,
  ServerProcess,
} from './support/server-process.js';
export type { Closable, SuiteDescribe, SuiteTest } from './support/suite-test.js';
export type { TimeControl } from './support/time-control.js';
export { manualTime, realTime, timeControlFor } from './support/time-control.js';
export { uniqueNamespace } from './support/unique-namespace.js';
export { sleep, waitFor } from './support/wait-for.js';
export type { Walk, WalkQuery } from './support/walk-enumerate.js';
export { query, walkEnumerate } from './support/walk-enumerate.js';
export type { TestCoordinatorOptions } from './test-coordinator.js';
export { coordinatorSuites, testCoordinator } from './test-coordinator.js';
export type { TestDurabilitySlotOptions } from './test-durability-slot.js';
export { durabilitySuites, testDurabilitySlot } from './test-durability-slot.js';
export type { TestMessagingSlotOptions } from './test-messaging-slot.js';
export { messagingSuites, testMessagingSlot } from './test-messaging-slot.js';
export type { TestRegistrySlotOptions } from './test-registry-slot.js';
export { registrySuites, testRegistrySlot } from './test-registry-slot.js';
