import {
  checkCursorTypes,
  decodeCursor,
  type EnumeratePage,
  type EnumerateQuery,
  encodeCursor,
  type IdentityRecord,
  MusterError,
  normalizeSortKeys,
  type PutOptions,
  type PutResult,
  type RegistryChange,
  type RegistrySlot,
  type SortKey,
  type SortValue,
  type Unsubscribe,
} from '@muster/core';
import type { Path } from '@muster/filter';
import type pg from 'pg';
import {
  createPool,
  driverError,
  isConnectionLoss,
  OnceReady,
  type PoolHandle,
  type PostgresConnectionOptions,
  quoteIdentifier,
  retryAfterConnectionLoss,
} from '../connection/index.js';
import { NotificationListener } from '../connection/notification-listener.js';
import { type Notification, NotificationPublisher } from '../connection/notification-publisher.js';
import { statementPrefix } from '../connection/statement-prefix.js';
import { DEFAULT_SCHEMA, migrate } from '../schema/migrate.js';
import { changeChannel } from './change-channel.js';
import { type ChangePayload, encodeChangePayload, parseChangePayload } from './change-payload.js';
import { ensurePathIndexes } from './ensure-path-indexes.js';
import { liveRecordWhere } from './live-record-where.js';
import { POSTGRES_REGISTRY_SUPPORTS } from './postgres-registry-supports.js';
import { type BatchOutcome, MAX_PUT_BATCH, PutBatcher } from './put-batcher.js';
import { type RecordRow, recordOf } from './record-row.js';
import {
  RECORD_SELECT,
  type RegistryStatements,
  registryStatements,
} from './registry-statements.js';
import { keysetSql, type SortSql, sortSql, sortValueFromColumn } from './sort-sql.js';
import { SqlParameters } from './sql-parameters.js';

export interface PostgresRegistryOptions extends PostgresConnectionOptions {
  /** The schema holding the tables. Default `muster`. */
  readonly schema?: string;
  /** Run the migrations before the first operation. Default true (else run `migrate()` first). */
  readonly migrate?: boolean;
  /** First delay before the LISTEN connection reconnects (doubling up to 5 s). Default 100 ms. */
  readonly reconnectDelayMs?: number;
  /** Told when a watch listener throws or the LISTEN connection is lost; the registry carries on. */
  readonly onError?: (error: unknown) => void;
  /** Most puts one statement carries (puts of the same turn are batched). Default 500; 1 sends each put alone. */
  readonly maxPutBatch?: number;
}

/** Attempts of a put that lost a race with a concurrent create of the same identity. */
const PUT_ATTEMPTS = 5;

type PutRow = RecordRow & {
  readonly role: 'found' | 'written' | 'admit';
  readonly live: boolean | null;
  readonly admitted: boolean | null;
};

type PutBatchRow = RecordRow & {
  readonly role: 'found' | 'written';
  readonly ord: number | null;
  readonly live: boolean | null;
};

/** One put as the batch statement takes it. */
interface BatchedPut {
  readonly identity: string;
  /** `{identity, metadata, registered_at, updated_at, expires_at, now, replace}` as JSON. */
  readonly json: string;
}

/** What a put statement found and did: the row it found, the times it wrote, the quota check. */
interface PutDecision {
  readonly found?: RecordRow & { readonly live: boolean };
  readonly written?: { readonly registered_at: number; readonly updated_at: number };
  /** false when the quota refused a new identity; null without a quota. */
  readonly admitted: boolean | null;
}

/** SQLSTATE deadlock_detected. */
const DEADLOCK = '40P01';

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A data exception or an integrity violation: the statement rejected some value it was given. */
function isDataError(error: unknown): boolean {
  const code = sqlState(error);
  return code !== undefined && (code.startsWith('22') || code.startsWith('23'));
}

/**
 * The PostgreSQL registry slot. One table (`<schema>.identities`) keyed by (namespace,
 * identity) under the C collation; metadata in jsonb with a GIN jsonb_path_ops index; times
 * as epoch-ms bigints compared with the caller's `now`. Filters run as SQL (`toSql`, bind
 * parameters only), pages are keysets, puts made in the same turn share one statement (see
 * PutBatcher), committed writes are announced with batched NOTIFYs, and `watch` LISTENs on a
 * dedicated connection.
 */
export class PostgresRegistry implements RegistrySlot {
  readonly supports = POSTGRES_REGISTRY_SUPPORTS;
  readonly #handle: PoolHandle;
  readonly #schemaName: string;
  readonly #statementPrefix: string;
  readonly #schema: string;
  readonly #sql: RegistryStatements;
  readonly #options: PostgresRegistryOptions;
  readonly #listener: NotificationListener;
  readonly #publisher: NotificationPublisher;
  readonly #channels = new Map<string, string>();
  /** Puts without a quota, coalesced per event-loop turn into one statement per batch. */
  readonly #puts: PutBatcher<BatchedPut, PutDecision>;
  readonly #migrated: OnceReady;
  #closed = false;

  constructor(options: PostgresRegistryOptions = {}) {
    this.#options = options;
    this.#schemaName = options.schema ?? DEFAULT_SCHEMA;
    this.#statementPrefix = statementPrefix('rg', [this.#schemaName]);
    this.#schema = quoteIdentifier(this.#schemaName, 'schema');
    this.#sql = registryStatements(this.#schema);
    this.#handle = createPool(options);
    this.#listener = new NotificationListener({
      clientConfig: this.#handle.clientConfig,
      ...(options.reconnectDelayMs === undefined
        ? {}
        : { reconnectDelayMs: options.reconnectDelayMs }),
      ...(options.onError === undefined ? {} : { onError: options.onError }),
    });
    this.#publisher = new NotificationPublisher(this.#handle.clientConfig, options.onError);
    const maxPutBatch = options.maxPutBatch ?? MAX_PUT_BATCH;
    if (!Number.isInteger(maxPutBatch) || maxPutBatch < 1)
      throw invalid('maxPutBatch must be a positive integer', 'maxPutBatch');
    this.#puts = new PutBatcher(
      (namespace, items) => this.#putBatch(namespace, items),
      maxPutBatch,
    );
    this.#migrated = new OnceReady(
      () => migrate({ pool: this.#handle.pool, schema: this.#schemaName }),
      options.migrate === false,
    );
  }

  /** The pool (for tests and tools; the adapter owns it unless it was given one). */
  get pool(): pg.Pool {
    return this.#handle.pool;
  }

  async put(
    namespace: string,
    record: IdentityRecord,
    options: PutOptions,
    now: number,
  ): Promise<PutResult> {
    checkRecord(record);
    const mode = options?.mode;
    if (mode !== 'create' && mode !== 'replace')
      throw invalid(`put mode must be 'create' or 'replace'`, 'mode');
    const quota = options.quota;
    if (quota !== undefined && (!Number.isInteger(quota) || quota < 0))
      throw invalid('quota must be a non-negative integer', 'quota');
    // Serialised now, before any await: the caller may change its objects once put returned.
    const batched: BatchedPut | undefined =
      quota === undefined
        ? {
            identity: record.identity,
            json: JSON.stringify({
              identity: record.identity,
              metadata: record.metadata,
              registered_at: record.registeredAt,
              updated_at: record.updatedAt,
              expires_at: record.expiresAt,
              now,
              replace: mode === 'replace',
            }),
          }
        : undefined;
    const metadata = quota === undefined ? '' : JSON.stringify(record.metadata);
    return this.#run('put', async () => {
      for (let attempt = 0; attempt < PUT_ATTEMPTS; attempt++) {
        const { found, written, admitted } =
          quota === undefined
            ? await this.#puts.submit(namespace, batched!)
            : await this.#putWithQuota(namespace, record, metadata, mode, quota, now);
        if (written !== undefined) {
          const stored: IdentityRecord = {
            ...record,
            registeredAt: written.registered_at,
            updatedAt: written.updated_at,
          };
          const base = { namespace, identity: record.identity, at: now };
          if (found?.live === true) {
            const previous = recordOf(found);
            await this.#announce([{ ...base, type: 'updated', record: stored, previous }]);
            return { record: stored, previous };
          }
          // Overwriting an expired row that no sweep removed: its expiry is reported here.
          await this.#announce([
            ...(found === undefined
              ? []
              : [{ ...base, type: 'expired' as const, previous: recordOf(found) }]),
            { ...base, type: 'registered', record: stored },
          ]);
          return { record: stored };
        }
        if (found?.live === true)
          throw new MusterError(
            'ALREADY_EXISTS',
            `identity ${record.identity} is already registered`,
            { details: { field: 'identity', identity: record.identity } },
          );
        if (admitted === false)
          throw new MusterError(
            'QUOTA_EXCEEDED',
            `the namespace holds its quota of ${quota} identities`,
            { details: { quota } },
          );
        // A concurrent create of the same identity won the insert: read again and decide.
      }
      throw new MusterError('UNAVAILABLE', `put of ${record.identity} kept losing races`);
    });
  }

  /** A quota-checked put: one statement in a transaction holding the namespace's lock. */
  async #putWithQuota(
    namespace: string,
    record: IdentityRecord,
    metadata: string,
    mode: 'create' | 'replace',
    quota: number,
    now: number,
  ): Promise<PutDecision> {
    const values = [
      namespace,
      record.identity,
      metadata,
      record.registeredAt,
      record.updatedAt,
      record.expiresAt,
      now,
      mode,
      quota,
    ];
    const rows = await this.#inNamespaceLock(namespace, async (client) => {
      const result = await client.query<PutRow>({
        name: this.#statementName('put'),
        text: this.#sql.put,
        values,
      });
      return result.rows;
    });
    const found = rows.find((row) => row.role === 'found');
    const written = rows.find((row) => row.role === 'written');
    return {
      ...(found === undefined ? {} : { found: { ...found, live: found.live === true } }),
      ...(written === undefined ? {} : { written }),
      admitted: rows.find((row) => row.role === 'admit')?.admitted ?? null,
    };
  }

  /**
   * Runs a batch of puts (distinct identities of one namespace, no quota) as one statement. A
   * deadlock with another batch is retried; when the statement rejects the data of some item,
   * the items run one by one so each gets the answer it would get alone.
   */
  async #putBatch(
    namespace: string,
    items: readonly BatchedPut[],
  ): Promise<readonly BatchOutcome<PutDecision>[]> {
    const values = [
      namespace,
      items.map((item) => item.identity),
      `[${items.map((item) => item.json).join(',')}]`,
    ];
    let rows: readonly PutBatchRow[];
    for (let attempt = 1; ; attempt++) {
      try {
        rows = (await this.#query<PutBatchRow>('putBatch', this.#sql.putBatch, values)).rows;
        break;
      } catch (error) {
        if (sqlState(error) === DEADLOCK && attempt < PUT_ATTEMPTS) continue;
        if (items.length === 1 || !isDataError(error)) throw error;
        const outcomes: BatchOutcome<PutDecision>[] = [];
        for (const item of items) {
          try {
            outcomes.push(...(await this.#putBatch(namespace, [item])));
          } catch (itemError) {
            outcomes.push({ ok: false, error: itemError });
          }
        }
        return outcomes;
      }
    }
    const found = new Map<number, PutBatchRow>();
    const written = new Map<string, PutBatchRow>();
    for (const row of rows) {
      if (row.role === 'found') found.set(row.ord!, row);
      else written.set(row.identity, row);
    }
    return items.map((item, i): BatchOutcome<PutDecision> => {
      const foundRow = found.get(i + 1);
      const writtenRow = written.get(item.identity);
      return {
        ok: true,
        value: {
          ...(foundRow === undefined
            ? {}
            : { found: { ...foundRow, live: foundRow.live === true } }),
          ...(writtenRow === undefined ? {} : { written: writtenRow }),
          admitted: null,
        },
      };
    });
  }

  async get(namespace: string, identity: string, now: number): Promise<IdentityRecord | undefined> {
    return this.#read('get', async () => {
      const result = await this.#query<RecordRow>('get', this.#sql.get, [namespace, identity, now]);
      const row = result.rows[0];
      return row === undefined ? undefined : recordOf(row);
    });
  }

  async touch(
    namespace: string,
    identity: string,
    expiresAt: number | null,
    now: number,
  ): Promise<IdentityRecord | undefined> {
    checkExpiresAt(expiresAt);
    return this.#run('touch', async () => {
      const result = await this.#query<RecordRow>('touch', this.#sql.touch, [
        namespace,
        identity,
        expiresAt,
        now,
      ]);
      const row = result.rows[0];
      return row === undefined ? undefined : recordOf(row);
    });
  }

  async touchMany(
    namespace: string,
    updates: readonly { readonly identity: string; readonly expiresAt: number | null }[],
    now: number,
  ): Promise<readonly string[]> {
    if (!Array.isArray(updates)) throw invalid('updates must be an array', 'updates');
    // One expiry per identity (the last one given), so the UPDATE touches each row once.
    const latest = new Map<string, number | null>();
    for (const update of updates) {
      checkExpiresAt(update.expiresAt);
      latest.delete(update.identity);
      latest.set(update.identity, update.expiresAt);
    }
    if (latest.size === 0) return this.#run('touchMany', async () => []);
    return this.#run('touchMany', async () => {
      const result = await this.#query<{ identity: string }>('touchMany', this.#sql.touchMany, [
        namespace,
        [...latest.keys()],
        [...latest.values()],
        now,
      ]);
      const missing = new Set(result.rows.map((row) => row.identity));
      return updates.map((update) => update.identity).filter((identity) => missing.has(identity));
    });
  }

  async delete(
    namespace: string,
    identity: string,
    now: number,
  ): Promise<IdentityRecord | undefined> {
    return this.#run('delete', async () => {
      const result = await this.#query<RecordRow>('delete', this.#sql.delete, [
        namespace,
        identity,
        now,
      ]);
      const row = result.rows[0];
      if (row === undefined) return undefined;
      const previous = recordOf(row);
      await this.#announce([{ type: 'unregistered', namespace, identity, previous, at: now }]);
      return previous;
    });
  }

  async enumerate(namespace: string, query: EnumerateQuery, now: number): Promise<EnumeratePage> {
    if (typeof query !== 'object' || query === null)
      throw invalid('query must be an object', 'query');
    const limit = query.limit;
    if (!Number.isInteger(limit) || limit < 1)
      throw invalid('limit must be a positive integer', 'limit');
    const keys = normalizeSortKeys(query.sort);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, keys.length);
    if (after !== undefined) checkCursorTypes(after, keys);
    const includeMetadata = query.includeMetadata !== false;
    const page = this.#pageQuery(namespace, query, keys, after, limit, includeMetadata, now);
    const total = query.totalCount === true ? this.#countQuery(namespace, query, now) : undefined;
    return this.#read('enumerate', async () => {
      const [result, totalCount] = await Promise.all([
        this.#query<RecordRow & Record<string, unknown>>(undefined, page.text, page.values),
        total === undefined
          ? undefined
          : this.#query<{ total: number }>(undefined, total.text, total.values).then(
              (counted) => counted.rows[0]!.total,
            ),
      ]);
      const rows = result.rows;
      const more = rows.length > limit;
      const items = (more ? rows.slice(0, limit) : rows).map(recordOf);
      const last = more ? rows[limit - 1] : undefined;
      return {
        items,
        exact: true,
        ...(last === undefined ? {} : { nextCursor: encodeCursor(cursorValues(last, keys)) }),
        ...(totalCount === undefined ? {} : { totalCount }),
      };
    });
  }

  /**
   * The query plan of the first page of `query` (EXPLAIN of the very SQL `enumerate` sends):
   * shows whether an index serves a filter. Not part of the slot contract.
   */
  async explain(namespace: string, query: EnumerateQuery, now: number): Promise<string> {
    const keys = normalizeSortKeys(query.sort);
    const page = this.#pageQuery(namespace, query, keys, undefined, query.limit, false, now);
    return this.#read('explain', async () => {
      const result = await this.#query<{ 'QUERY PLAN': string }>(
        undefined,
        `EXPLAIN ${page.text}`,
        page.values,
      );
      return result.rows.map((row) => row['QUERY PLAN']).join('\n');
    });
  }

  async count(namespace: string, now: number): Promise<number> {
    return this.#read('count', async () => {
      const result = await this.#query<{ live: number }>('count', this.#sql.count, [
        namespace,
        now,
      ]);
      return result.rows[0]!.live;
    });
  }

  async sweep(namespace: string, now: number, limit: number): Promise<readonly IdentityRecord[]> {
    if (typeof limit !== 'number' || Number.isNaN(limit) || limit < 0)
      throw invalid('limit must be a non-negative number', 'limit');
    if (limit === 0) return this.#run('sweep', async () => []);
    return this.#run('sweep', async () => {
      const result = await this.#query<RecordRow>('sweep', this.#sql.sweep, [
        namespace,
        now,
        Math.min(Math.floor(limit), 2 ** 31 - 1),
      ]);
      const expired = result.rows.map(recordOf);
      await this.#announce(
        expired.map((previous) => ({
          type: 'expired',
          namespace,
          identity: previous.identity,
          previous,
          at: now,
        })),
      );
      return expired;
    });
  }

  async namespaces(): Promise<readonly string[]> {
    return this.#read('namespaces', async () => {
      const result = await this.#query<{ namespace: string }>(
        'namespaces',
        this.#sql.namespaces,
        [],
      );
      return result.rows.map((row) => row.namespace);
    });
  }

  async watch(namespace: string, listener: (change: RegistryChange) => void): Promise<Unsubscribe> {
    if (typeof listener !== 'function') throw invalid('listener must be a function', 'listener');
    // Changes are handled one after another: a payload too big for NOTIFY is read back first.
    let queue: Promise<void> = Promise.resolve();
    const deliver = (payload: ChangePayload) => {
      queue = queue.then(async () => {
        const change = await this.#changeOf(payload);
        if (change === undefined) return;
        try {
          listener(change);
        } catch (error) {
          this.#options.onError?.(error);
        }
      });
    };
    return this.#run('watch', async () => {
      const stop = await this.#listener.listen(this.#channelOf(namespace), (text) => {
        const payload = parseChangePayload(text);
        if (payload !== undefined && payload.n === namespace) deliver(payload);
      });
      let stopped = false;
      return async () => {
        if (stopped) return;
        stopped = true;
        await stop();
      };
    });
  }

  async ensureIndexes(namespace: string, paths: readonly Path[]): Promise<void> {
    void namespace; // the indexes lead with the namespace column and serve every namespace
    if (!Array.isArray(paths)) throw invalid('paths must be an array', 'paths');
    if (paths.length === 0) return this.#run('ensureIndexes', async () => undefined);
    return this.#run('ensureIndexes', async () => {
      const client = await this.#handle.pool.connect();
      try {
        await ensurePathIndexes(client, this.#schemaName, this.#schema, paths);
      } finally {
        client.release();
      }
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#listener.close();
    await this.#publisher.close();
    if (this.#handle.owned) await this.#handle.pool.end().catch(() => undefined);
  }

  /** Publishes committed changes to watchers, in order (see NotificationPublisher). */
  #announce(changes: readonly RegistryChange[]): Promise<void> {
    const notifications: Notification[] = changes.map((change) => ({
      channel: this.#channelOf(change.namespace),
      payload: encodeChangePayload(change),
    }));
    return this.#publisher.publish(notifications);
  }

  #channelOf(namespace: string): string {
    let channel = this.#channels.get(namespace);
    if (channel === undefined) {
      channel = changeChannel(this.#schemaName, namespace);
      if (this.#channels.size >= 10_000) this.#channels.clear(); // a bound, not an LRU
      this.#channels.set(namespace, channel);
    }
    return channel;
  }

  /** Runs an operation: refuses after close, migrates once, maps driver errors. */
  async #run<T>(what: string, body: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new MusterError('UNAVAILABLE', 'the postgres registry is closed');
    try {
      await this.#migrated.ready();
      return await body();
    } catch (error) {
      throw driverError(error, what);
    }
  }

  /** A read: retried once when the connection was lost (a dead pooled client, a restart). */
  async #read<T>(what: string, body: () => Promise<T>): Promise<T> {
    return this.#run(what, () => retryAfterConnectionLoss(() => this.#closed, body));
  }

  #query<R extends pg.QueryResultRow>(
    name: string | undefined,
    text: string,
    values: unknown[],
  ): Promise<pg.QueryResult<R>> {
    return this.#handle.pool.query<R>(
      name === undefined ? { text, values } : { name: this.#statementName(name), text, values },
    );
  }

  /** Prepared statement names are per connection; the schema's hash keeps two adapters apart. */
  #statementName(name: string): string {
    return `${this.#statementPrefix}${name}`;
  }

  /** Runs `body` in a transaction holding the namespace's advisory lock (quota-checked puts). */
  async #inNamespaceLock<T>(
    namespace: string,
    body: (client: pg.PoolClient) => Promise<T>,
  ): Promise<T> {
    const client = await this.#handle.pool.connect();
    let broken: unknown;
    try {
      await client.query('BEGIN');
      await client.query({
        name: this.#statementName('lockNamespace'),
        text: this.#sql.lockNamespace,
        values: [`muster:${this.#schemaName}:${namespace}`],
      });
      const result = await body(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      broken = error;
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release(broken !== undefined && isConnectionLoss(broken));
    }
  }

  #pageQuery(
    namespace: string,
    query: EnumerateQuery,
    keys: readonly SortKey[],
    after: readonly SortValue[] | undefined,
    limit: number,
    includeMetadata: boolean,
    now: number,
  ): { text: string; values: unknown[] } {
    const params = new SqlParameters();
    const where = this.#where(namespace, query, now, params);
    const sorts: SortSql[] = keys.map((key) => sortSql(key, params));
    if (after !== undefined) where.push(keysetSql(sorts, after, params));
    const columns = includeMetadata
      ? RECORD_SELECT('t')
      : RECORD_SELECT('t').replace('t.metadata', `'{}'::jsonb AS metadata`);
    const sortColumns = sorts
      .map((sort, i) => (sort.select === undefined ? '' : `, ${sort.select} AS sort_${i}`))
      .join('');
    const text = `SELECT ${columns}${sortColumns} FROM ${this.#sql.table} t
      WHERE ${where.join(' AND ')}
      ORDER BY ${sorts.flatMap((sort) => sort.orderBy).join(', ')}
      LIMIT ${params.add(limit + 1)}::bigint`;
    return { text, values: params.values };
  }

  #countQuery(
    namespace: string,
    query: EnumerateQuery,
    now: number,
  ): { text: string; values: unknown[] } {
    const params = new SqlParameters();
    const where = this.#where(namespace, query, now, params);
    return {
      text: `SELECT count(*)::float8 AS total FROM ${this.#sql.table} t WHERE ${where.join(' AND ')}`,
      values: params.values,
    };
  }

  /** Namespace, liveness, the index prefilter and the exact filter (all bound parameters). */
  #where(namespace: string, query: EnumerateQuery, now: number, params: SqlParameters): string[] {
    return liveRecordWhere(namespace, query.filter, now, params).conditions;
  }

  /** A change as watchers see it; a payload without metadata (too big) reads the record back. */
  async #changeOf(payload: ChangePayload): Promise<RegistryChange | undefined> {
    const base = { type: payload.t, namespace: payload.n, identity: payload.i, at: payload.a };
    const previous = payload.p === undefined ? {} : { previous: payload.p };
    const written = payload.r;
    if (written === undefined) return { ...base, ...previous };
    if (written.metadata !== undefined)
      return { ...base, record: { ...written, metadata: written.metadata }, ...previous };
    // The record as it is now: the same write, a newer one, or (when it is already gone, and its
    // removal follows) the written record with empty metadata.
    const current = await this.get(payload.n, payload.i, payload.a).catch(() => undefined);
    const record =
      current !== undefined && current.updatedAt >= written.updatedAt
        ? current
        : { ...written, metadata: {} };
    return { ...base, record, ...previous };
  }
}

/** The cursor of the last row on a page: its sort values, identity last. */
function cursorValues(row: RecordRow & Record<string, unknown>, keys: readonly SortKey[]) {
  return keys.map((key, i): SortValue => {
    const by = key.by;
    if ('path' in by) return sortValueFromColumn(row[`sort_${i}`]);
    return by.field === 'identity' ? row.identity : row.registered_at;
  });
}

function checkRecord(record: IdentityRecord): void {
  if (typeof record !== 'object' || record === null)
    throw invalid('record must be an object', 'record');
  if (typeof record.identity !== 'string' || record.identity.length === 0)
    throw invalid('record.identity must be a non-empty string', 'identity');
  if (typeof record.metadata !== 'object' || record.metadata === null)
    throw invalid('record.metadata must be an object', 'metadata');
  if (!Number.isSafeInteger(record.registeredAt) || !Number.isSafeInteger(record.updatedAt))
    throw invalid('registeredAt and updatedAt must be integer epoch milliseconds', 'record');
  checkExpiresAt(record.expiresAt);
}

function checkExpiresAt(expiresAt: number | null): void {
  if (expiresAt !== null && !Number.isSafeInteger(expiresAt))
    throw invalid('expiresAt must be integer epoch milliseconds or null', 'expiresAt');
}

function invalid(message: string, field: string): MusterError {
  return new MusterError('INVALID_ARGUMENT', message, { details: { field } });
}
