import type pg from 'pg';

/** How an adapter reaches PostgreSQL: a URL (it owns a pool) or a pool the caller owns. */
export interface PostgresConnectionOptions {
  /** Connection URL. Default: `DATABASE_URL`, else `postgres://postgres@127.0.0.1:5432/test`. */
  readonly url?: string;
  /** An existing pool; the adapter never ends it. Its `options` also configure the LISTEN connection. */
  readonly pool?: pg.Pool;
  /** Most pooled connections (ignored with `pool`). Default 10. */
  readonly poolSize?: number;
  /** `application_name` of every connection, so operators can find them. Default `muster-registry`. */
  readonly applicationName?: string;
  /** Longest wait for a connection (new or from the pool), in ms. Default 5,000. */
  readonly connectionTimeoutMs?: number;
  /** Longest a statement may run, in ms (client and server side). Default 30,000. */
  readonly statementTimeoutMs?: number;
  /**
   * PostgreSQL's `synchronous_commit` for the adapter's connections (ignored with `pool`).
   * Default true: a write returns once its commit is flushed to disk. False returns before the
   * flush: several times the write throughput, and a server crash may lose the last few
   * hundred milliseconds of acknowledged writes (never corrupts). For a registry whose entries
   * are refreshed by heartbeats and re-registration that is often the right trade.
   */
  readonly synchronousCommit?: boolean;
}

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
