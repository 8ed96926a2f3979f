import { randomUUID } from 'node:crypto';
import { MusterError } from '@muster/core';
import { format } from '@muster/filter';
import type pg from 'pg';
import {
  createPool,
  driverError,
  isConnectionLoss,
  OnceReady,
  type PoolHandle,
  type PostgresConnectionOptions,
  quoteIdentifier,
} from '../connection/index.js';
import { statementPrefix } from '../connection/statement-prefix.js';
import { SqlParameters } from '../registry/sql-parameters.js';
import { DEFAULT_SCHEMA } from '../schema/migrate.js';
import { migrateOutbox } from './migrate-outbox.js';
import { type OutboxStatements, outboxStatements } from './outbox-statements.js';
import { checkOutboxTable, DEFAULT_OUTBOX_TABLE } from './outbox-table.js';
import type {
  ClaimedTarget,
  OutboxDelivery,
  OutboxMulticastRequest,
  OutboxMulticastResult,
  OutboxReport,
  TargetOutcome,
} from './outbox-types.js';
import { resolveOutboxFilter } from './resolve-outbox-filter.js';
import { targetWhere } from './target-where.js';

export interface PostgresOutboxOptions extends PostgresConnectionOptions {
  /** The schema holding the registry and outbox tables. Default `muster`. */
  readonly schema?: string;
  /** The outbox table (`outbox_table` in RFC-017); targets go in `<table>_targets`. Default `multicast_outbox`. */
  readonly table?: string;
  /** Run the migrations (schema and outbox) before the first operation. Default true. */
  readonly migrate?: boolean;
}

const MAX_IDEMPOTENCY_KEY_LENGTH = 256;

interface ClaimRow {
  readonly id: string;
  readonly multicast_id: string;
  readonly identity: string;
  readonly message_id: string;
  readonly attempts: number;
  readonly namespace: string;
  readonly payload: Buffer;
  readonly content_type: string;
  readonly created_at: number;
}

interface ReportRow {
  readonly namespace: string;
  readonly idempotency_key: string | null;
  readonly filter: string;
  readonly content_type: string;
  readonly target_count: number;
  readonly created_at: number;
  readonly identity: string | null;
  readonly message_id: string | null;
  readonly attempts: number | null;
  readonly status: string | null;
  readonly error_code: string | null;
  readonly error_message: string | null;
  readonly published_at: number | null;
}

/**
 * The transactional outbox (RFC-017 example 4) over the PostgreSQL registry's tables. A
 * multicast is one statement, so one transaction (the caller's when it passes its client):
 * it records the multicast under its idempotency key, resolves the targets from the registry
 * table in SQL (the registry's own filter SQL and expiry rule) and writes one row per target
 * with a stable message id, `<multicastId>-<n>` for the n-th target in identity order, the
 * coordinator's format. A relay (createOutboxRelay) publishes the pending rows afterwards.
 */
export class PostgresOutbox {
  readonly #handle: PoolHandle;
  readonly #schemaName: string;
  readonly #table: string;
  readonly #sql: OutboxStatements;
  readonly #statementPrefix: string;
  readonly #migrated: OnceReady;
  #closed = false;

  constructor(options: PostgresOutboxOptions = {}) {
    this.#schemaName = options.schema ?? DEFAULT_SCHEMA;
    this.#table = checkOutboxTable(options.table ?? DEFAULT_OUTBOX_TABLE);
    this.#sql = outboxStatements(quoteIdentifier(this.#schemaName, 'schema'), this.#table);
    this.#statementPrefix = statementPrefix('ob', [this.#schemaName, this.#table]);
    this.#handle = createPool({ applicationName: 'muster-outbox', ...options });
    this.#migrated = new OnceReady(
      () =>
        migrateOutbox({ pool: this.#handle.pool, schema: this.#schemaName, table: this.#table }),
      options.migrate === false,
    );
  }

  /** The pool (for callers' own transactions and tools; the outbox owns it unless given one). */
  get pool(): pg.Pool {
    return this.#handle.pool;
  }

  /** Where the outbox lives: `{ schema, table }`. */
  get location(): { readonly schema: string; readonly table: string } {
    return { schema: this.#schemaName, table: this.#table };
  }

  /**
   * Writes a multicast and its targets in one statement (see the class). With `client`, the
   * statement runs in the caller's transaction and commits with it; a rollback leaves nothing
   * for the relay. A repeated idempotency key writes nothing and returns the first multicast.
   */
  async multicast(request: OutboxMulticastRequest): Promise<OutboxMulticastResult> {
    const checked = checkRequest(request);
    const filter = resolveOutboxFilter(request.filter);
    const multicastId = randomUUID();
    const params = new SqlParameters();
    const id = params.add(multicastId);
    const namespace = params.add(checked.namespace);
    const key = params.add(checked.idempotencyKey);
    const filterText = params.add(format(filter));
    const payload = params.add(checked.payload);
    const contentType = params.add(checked.contentType);
    const createdAt = params.add(checked.now);
    const where = targetWhere(checked.namespace, filter, checked.now, params);
    const text = `WITH matched AS (
        SELECT t.identity FROM ${this.#sql.registry} t WHERE ${where.join(' AND ')}
      ), header AS (
        INSERT INTO ${this.#sql.multicasts}
          (multicast_id, namespace, idempotency_key, filter, payload, content_type, target_count,
           created_at)
        SELECT ${id}::text, ${namespace}::text, ${key}::text, ${filterText}::text,
               ${payload}::bytea, ${contentType}::text, (SELECT count(*) FROM matched)::integer,
               ${createdAt}::bigint
        ON CONFLICT (namespace, idempotency_key) DO NOTHING
        RETURNING multicast_id, target_count
      ), written AS (
        INSERT INTO ${this.#sql.targets} (multicast_id, ordinal, identity, message_id)
        SELECT h.multicast_id, m.ordinal, m.identity, h.multicast_id || '-' || m.ordinal
        FROM header h
        CROSS JOIN (SELECT identity, (row_number() OVER (ORDER BY identity) - 1)::integer AS ordinal
                    FROM matched) m
      )
      SELECT multicast_id, target_count FROM header`;
    return this.#run('multicast', async () => {
      const run = request.client ?? this.#handle.pool;
      const written = await run.query<{ multicast_id: string; target_count: number }>({
        text,
        values: params.values,
      });
      const row = written.rows[0];
      if (row !== undefined)
        return { multicastId: row.multicast_id, targetCount: row.target_count, created: true };
      const first = await run.query<{ multicast_id: string; target_count: number }>({
        text: this.#sql.existing,
        values: [checked.namespace, checked.idempotencyKey],
      });
      const existing = first.rows[0];
      if (existing === undefined)
        // The conflicting multicast is invisible to this transaction's snapshot (a caller's
        // REPEATABLE READ transaction that began before it committed).
        throw new MusterError(
          'UNAVAILABLE',
          `multicast with idempotency key ${checked.idempotencyKey} is not visible yet: retry in a new transaction`,
        );
      return {
        multicastId: existing.multicast_id,
        targetCount: existing.target_count,
        created: false,
      };
    });
  }

  /** A multicast's per-identity report, or undefined for an unknown (or pruned) multicast. */
  async getReport(multicastId: string): Promise<OutboxReport | undefined> {
    if (typeof multicastId !== 'string' || multicastId.length === 0)
      throw invalid('multicastId must be a non-empty string', 'multicastId');
    return this.#run('getReport', async () => {
      const { rows } = await this.#query<ReportRow>('report', [multicastId]);
      const first = rows[0];
      if (first === undefined) return undefined;
      const deliveries = rows.filter((row) => row.identity !== null).map(deliveryOf);
      return {
        multicastId,
        namespace: first.namespace,
        ...(first.idempotency_key === null ? {} : { idempotencyKey: first.idempotency_key }),
        filter: first.filter,
        contentType: first.content_type,
        createdAt: first.created_at,
        targetCount: first.target_count,
        pendingCount: deliveries.filter((d) => d.status === 'QUEUED').length,
        deliveredCount: deliveries.filter((d) => d.status === 'DELIVERED').length,
        deliveries,
      };
    });
  }

  /**
   * Deletes multicasts created before `createdBefore` (epoch ms) whose targets are all
   * published, with their targets. Their idempotency keys are forgotten with them. Returns
   * how many multicasts went.
   */
  async prune(createdBefore: number): Promise<number> {
    if (!Number.isSafeInteger(createdBefore))
      throw invalid('createdBefore must be integer epoch milliseconds', 'createdBefore');
    return this.#run('prune', async () => {
      const result = await this.#query('prune', [createdBefore]);
      return result.rowCount ?? 0;
    });
  }

  /**
   * One relay step: in a transaction, claims up to `limit` due pending targets (FOR UPDATE SKIP
   * LOCKED: concurrent relays take disjoint rows), hands them to `publish`, records the
   * outcomes and commits. If `publish` throws or the process dies before the commit, the rows
   * stay pending and are published again with the same message ids. Returns how many targets
   * were claimed.
   */
  async processPending(
    limit: number,
    publish: (targets: readonly ClaimedTarget[]) => Promise<readonly TargetOutcome[]>,
  ): Promise<number> {
    if (!Number.isSafeInteger(limit) || limit < 1)
      throw invalid('limit must be a positive integer', 'limit');
    return this.#run('processPending', async () => {
      const client = await this.#handle.pool.connect();
      let broken: unknown;
      try {
        await client.query('BEGIN');
        const claimed = await client.query<ClaimRow>({
          name: `${this.#statementPrefix}claim`,
          text: this.#sql.claim,
          values: [Date.now(), limit],
        });
        if (claimed.rows.length === 0) {
          await client.query('COMMIT');
          return 0;
        }
        const outcomes = await publish(claimed.rows.map(claimedTarget));
        await client.query({
          name: `${this.#statementPrefix}mark`,
          text: this.#sql.mark,
          values: markValues(outcomes),
        });
        await client.query('COMMIT');
        return claimed.rows.length;
      } catch (error) {
        broken = error;
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release(broken !== undefined && isConnectionLoss(broken));
      }
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#handle.owned) await this.#handle.pool.end().catch(() => undefined);
  }

  /** Runs an operation: refuses after close, migrates once, maps driver errors. */
  async #run<T>(what: string, body: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new MusterError('UNAVAILABLE', 'the postgres outbox is closed');
    try {
      await this.#migrated.ready();
      return await body();
    } catch (error) {
      throw driverError(error, what);
    }
  }

  #query<R extends pg.QueryResultRow>(
    name: 'report' | 'prune',
    values: unknown[],
  ): Promise<pg.QueryResult<R>> {
    return this.#handle.pool.query<R>({
      name: `${this.#statementPrefix}${name}`,
      text: this.#sql[name],
      values,
    });
  }
}

interface CheckedRequest {
  readonly namespace: string;
  readonly payload: Buffer;
  readonly contentType: string;
  readonly idempotencyKey: string | null;
  readonly now: number;
}

function checkRequest(request: OutboxMulticastRequest): CheckedRequest {
  if (typeof request !== 'object' || request === null)
    throw invalid('the multicast request must be an object', 'request');
  const { namespace, payload, contentType, idempotencyKey, now, client } = request;
  if (typeof namespace !== 'string' || namespace.length === 0)
    throw invalid('namespace must be a non-empty string', 'namespace');
  if (typeof payload !== 'string' && !(payload instanceof Uint8Array))
    throw invalid('payload must be a Uint8Array or a string', 'payload');
  if (contentType !== undefined && (typeof contentType !== 'string' || contentType.length === 0))
    throw invalid('contentType must be a non-empty string', 'contentType');
  if (
    idempotencyKey !== undefined &&
    (typeof idempotencyKey !== 'string' ||
      idempotencyKey.length === 0 ||
      idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH)
  )
    throw invalid(
      `idempotencyKey must be a string of 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`,
      'idempotencyKey',
    );
  if (now !== undefined && !Number.isSafeInteger(now))
    throw invalid('now must be integer epoch milliseconds', 'now');
  if (client !== undefined && typeof (client as { query?: unknown })?.query !== 'function')
    throw invalid('client must be a pg client', 'client');
  return {
    namespace,
    payload:
      typeof payload === 'string'
        ? Buffer.from(payload, 'utf8')
        : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength),
    contentType:
      contentType ??
      (typeof payload === 'string' ? 'text/plain; charset=utf-8' : 'application/octet-stream'),
    idempotencyKey: idempotencyKey ?? null,
    now: now ?? Date.now(),
  };
}

function claimedTarget(row: ClaimRow): ClaimedTarget {
  return {
    id: row.id,
    namespace: row.namespace,
    multicastId: row.multicast_id,
    identity: row.identity,
    messageId: row.message_id,
    attempts: row.attempts,
    payload: row.payload,
    contentType: row.content_type,
    createdAt: row.created_at,
  };
}

function markValues(outcomes: readonly TargetOutcome[]): unknown[] {
  const now = Date.now();
  return [
    outcomes.map((o) => o.id),
    outcomes.map((o) => o.result.status),
    outcomes.map((o) => o.result.error?.code ?? null),
    outcomes.map((o) => o.result.error?.message ?? null),
    outcomes.map((o) => (o.retryAt === undefined ? now : null)),
    outcomes.map((o) => o.retryAt ?? 0),
  ];
}

function deliveryOf(row: ReportRow): OutboxDelivery {
  const published = row.published_at !== null;
  return {
    identity: row.identity!,
    messageId: row.message_id!,
    status: (published ? row.status : 'QUEUED') as OutboxDelivery['status'],
    attempts: row.attempts ?? 0,
    ...(published ? { publishedAt: row.published_at! } : {}),
    ...(row.error_code === null
      ? {}
      : { error: { code: row.error_code, message: row.error_message ?? '' } }),
  };
}

function invalid(message: string, field: string): MusterError {
  return new MusterError('INVALID_ARGUMENT', message, { details: { field } });
}
