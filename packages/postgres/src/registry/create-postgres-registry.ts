import { PostgresRegistry, type PostgresRegistryOptions } from './postgres-registry.js';

/**
 * A PostgreSQL registry slot: `createPostgresRegistry({ url, schema, poolSize })`, or
 * `createPostgresRegistry({ pool })` to share a pool the caller owns.
 */
export function createPostgresRegistry(options: PostgresRegistryOptions = {}): PostgresRegistry {
  return new PostgresRegistry(options);
}
