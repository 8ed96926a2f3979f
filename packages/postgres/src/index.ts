export type { PostgresConnectionOptions } from './connection/postgres-connection-options.js';
export { DEFAULT_DATABASE_URL } from './connection/postgres-connection-options.js';
export type { PostgresDurabilityOptions } from './durability/index.js';
export {
  createPostgresDurability,
  POSTGRES_DURABILITY_SUPPORTS,
  PostgresDurability,
} from './durability/index.js';
export type {
  ClaimedTarget,
  MigrateOutboxOptions,
  MigrateOutboxResult,
  OutboxDelivery,
  OutboxFilterInput,
  OutboxMigration,
  OutboxMulticastRequest,
  OutboxMulticastResult,
  OutboxRelayOptions,
  OutboxReport,
  PostgresOutboxOptions,
  TargetOutcome,
} from './outbox/index.js';
export {
  createOutboxRelay,
  createPostgresOutbox,
  DEFAULT_OUTBOX_TABLE,
  migrateOutbox,
  OUTBOX_MIGRATIONS,
  OutboxRelay,
  PostgresOutbox,
} from './outbox/index.js';
export { createPostgresRegistry } from './registry/create-postgres-registry.js';
export type { PostgresRegistryOptions } from './registry/postgres-registry.js';
export { PostgresRegistry } from './registry/postgres-registry.js';
export { POSTGRES_REGISTRY_SUPPORTS } from './registry/postgres-registry-supports.js';
export type { MigrateOptions, MigrateResult, Migration } from './schema/index.js';
export { DEFAULT_SCHEMA, MIGRATIONS, migrate } from './schema/index.js';
