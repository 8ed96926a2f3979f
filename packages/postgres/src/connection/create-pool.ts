import pg from 'pg';
import {
  DEFAULT_DATABASE_URL,
  type PostgresConnectionOptions,
} from './postgres-connection-options.js';

/** A pool and whether the adapter owns it (and so ends it on close). */
export interface PoolHandle {
  readonly pool: pg.Pool;
  readonly owned: boolean;
  /** Settings for connections outside the pool (the LISTEN connection). */
  readonly clientConfig: pg.ClientConfig;
}

/**
 * The adapter's pool. Timeouts are bounded everywhere so an unreachable server turns into an
 * error, never a hang; an idle client that dies (server restart, pg_terminate_backend) is
 * dropped by pg.Pool and replaced on the next checkout.
 */
export function createPool(options: PostgresConnectionOptions): PoolHandle {
  if (options.pool !== undefined) {
    const clientConfig = options.pool.options as pg.ClientConfig;
    return { pool: options.pool, owned: false, clientConfig };
  }
  const statementTimeout = options.statementTimeoutMs ?? 30_000;
  const clientConfig: pg.ClientConfig = {
    connectionString: options.url ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    application_name: options.applicationName ?? 'muster-registry',
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    statement_timeout: statementTimeout,
    // The client-side limit also covers a server that stopped answering mid-query.
    query_timeout: statementTimeout + 1_000,
    keepAlive: true,
    ...(options.synchronousCommit === false ? { options: '-c synchronous_commit=off' } : {}),
  };
  const pool = new pg.Pool({ ...clientConfig, max: options.poolSize ?? 10 });
  // Without a listener an idle client's error (the server went away) would crash the process.
  pool.on('error', () => undefined);
  return { pool, owned: true, clientConfig };
}
