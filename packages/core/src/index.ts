export type { Clock } from './clock/clock.js';
export { ManualClock, systemClock } from './clock/clock.js';
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
export { DEFAULT_NAMESPACE_CONFIG } from './coordinator/namespace-config.js';
export type { MusterErrorCode, MusterErrorDetails } from './errors/muster-error.js';
export { MusterError } from './errors/muster-error.js';
export type { FieldSchema, FieldType, IdentitySchema } from './identity/identity-schema.js';
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
