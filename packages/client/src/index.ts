export type { BackoffOptions } from './backoff-delay.js';
export type {
  CallOptions,
  ClientOptions,
  DeliveryMode,
  DeliveryStatus,
  EnumerateRequest,
  EnumerateResult,
  FilterInput,
  HeartbeatResult,
  IdentityDelivery,
  IdentityRecord,
  JsonObject,
  JsonValue,
  KeepAliveOptions,
  Message,
  Metadata,
  MulticastReport,
  MulticastRequest,
  MusterClient,
  NamespaceClient,
  ReconnectOptions,
  RegisterRequest,
  RegisterResult,
  Registration,
  SortSpec,
  SubscribeOptions,
  Subscription,
  Watch,
  WatchEvent,
  WatchRequest,
} from './client-api.js';
export { createClient } from './create-client.js';
export type { MusterErrorCode, MusterErrorDetails } from './muster-error.js';
export { MusterError } from './muster-error.js';
export { toMusterError } from './to-muster-error.js';
