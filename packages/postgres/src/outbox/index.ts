export { createOutboxRelay } from './create-outbox-relay.js';
export { createPostgresOutbox } from './create-postgres-outbox.js';
export type { MigrateOutboxOptions, MigrateOutboxResult } from './migrate-outbox.js';
export { migrateOutbox } from './migrate-outbox.js';
export type { OutboxMigration } from './outbox-migrations.js';
export { OUTBOX_MIGRATIONS } from './outbox-migrations.js';
export type { OutboxRelayOptions } from './outbox-relay.js';
export { OutboxRelay } from './outbox-relay.js';
export { DEFAULT_OUTBOX_TABLE } from './outbox-table.js';
export type {
  ClaimedTarget,
  OutboxDelivery,
  OutboxMulticastRequest,
  OutboxMulticastResult,
  OutboxReport,
  TargetOutcome,
} from './outbox-types.js';
export type { PostgresOutboxOptions } from './postgres-outbox.js';
export { PostgresOutbox } from './postgres-outbox.js';
export type { OutboxFilterInput } from './resolve-outbox-filter.js';
