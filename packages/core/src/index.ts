export type { Clock } from './clock/clock.js';
export { ManualClock, systemClock } from './clock/clock.js';
export { createMuster } from './coordinator/create-muster.js';
export type {
  EnumerateRequest,
  EnumerateResult,
  FilterInput,
  HeartbeatResult,
  IdentityDelivery,
  Message,
  MulticastReport,
  MulticastRequest,
  Muster,
  MusterOptions,
  RegisterRequest,
  RegisterResult,
  SortSpec,
  SubscribeOptions,
  Subscription,
  Watch,
  WatchEvent,
  WatchRequest,
} from './coordinator/muster-api.js';
export type { NamespaceConfig } from './coordinator/namespace-config.js';
export {
  DEFAULT_NAMESPACE_CONFIG,
  MAX_REPORT_RETENTION_MS,
} from './coordinator/namespace-config.js';
export type { RetentionLimits } from './durability-support/check-retention.js';
export { checkRetention } from './durability-support/check-retention.js';
export {
  fromReportColumns,
  type ReportColumns,
  toReportColumns,
} from './durability-support/report-columns.js';
export type { MusterErrorCode, MusterErrorDetails } from './errors/muster-error.js';
export { MusterError } from './errors/muster-error.js';
export {
  checkIdentity,
  IDENTITY_PUNCTUATION,
  MAX_IDENTITY_LENGTH,
} from './identity/check-identity.js';
export { checkIdentitySchema } from './identity/check-identity-schema.js';
export type { MetadataRules } from './identity/check-metadata.js';
export { checkMetadata } from './identity/check-metadata.js';
export { decodeIdentityToken } from './identity/decode-identity-token.js';
export { encodeIdentityToken } from './identity/encode-identity-token.js';
export type { FieldSchema, FieldType, IdentitySchema } from './identity/identity-schema.js';
export { indexedFields } from './identity/indexed-fields.js';
export type { MemoryDurabilityOptions } from './memory/durability/create-memory-durability.js';
export {
  createMemoryDurability,
  DEFAULT_RETENTION,
  MEMORY_DURABILITY_SUPPORTS,
} from './memory/durability/create-memory-durability.js';
export type { ReportTableLimits } from './memory/durability/report-table.js';
export {
  createMemoryMessaging,
  MEMORY_MESSAGING_SUPPORTS,
} from './memory/messaging/create-memory-messaging.js';
export { createMemoryRegistry } from './memory/registry/create-memory-registry.js';
export type { MemoryRegistryOptions } from './memory/registry/memory-registry.js';
export { MemoryRegistry } from './memory/registry/memory-registry.js';
export { MEMORY_REGISTRY_SUPPORTS } from './memory/registry/memory-registry-supports.js';
export { AckedPublishWait } from './messaging-support/acked-publish-wait.js';
export { messageIndexOf } from './messaging-support/message-index.js';
export { publishResult } from './messaging-support/publish-result.js';
export { RepliedMessage } from './messaging-support/replied-message.js';
export { SentMessage } from './messaging-support/sent-message.js';
export { checkCursorTypes } from './registry-support/check-cursor-types.js';
export { checkExpiresAt } from './registry-support/check-expires-at.js';
export { checkRecord } from './registry-support/check-record.js';
export { compareIdentities } from './registry-support/compare-identities.js';
export { compareSortTuples } from './registry-support/compare-sort-tuples.js';
export { compareSortValues } from './registry-support/compare-sort-values.js';
export { decodeCursor, MAX_CURSOR_LENGTH } from './registry-support/decode-cursor.js';
export { encodeCursor } from './registry-support/encode-cursor.js';
export { invalidSlotArgument } from './registry-support/invalid-slot-argument.js';
export { normalizeSortKeys } from './registry-support/normalize-sort-keys.js';
export type { SortValue } from './registry-support/sort-value.js';
export { COMPOSITE, sortValue } from './registry-support/sort-value.js';
export { sortValuesOf } from './registry-support/sort-values-of.js';
export type {
  DurabilitySlot,
  DurabilitySupports,
  QueuedMessage,
  RetentionPolicy,
} from './slots/durability-slot.js';
export type { DeliveryMode, DeliveryStatus, Envelope } from './slots/envelope.js';
export type { IdentityRecord, Metadata } from './slots/identity-record.js';
export type {
  InboundMessage,
  MessagingSlot,
  MessagingSupports,
  PublishMode,
  PublishOptions,
  PublishResult,
} from './slots/messaging-slot.js';
export type { DeliveryMark } from './slots/multicast-report.js';
export type {
  EnumeratePage,
  EnumerateQuery,
  PutMode,
  PutOptions,
  PutResult,
  RegistryChange,
  RegistrySlot,
  RegistrySupports,
  SortField,
  SortKey,
  Unsubscribe,
} from './slots/registry-slot.js';
