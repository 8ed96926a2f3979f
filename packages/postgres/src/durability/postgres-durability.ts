import {
  checkRetention,
  DEFAULT_RETENTION,
  type DeliveryMark,
  type DurabilitySlot,
  type Envelope,
  type MulticastReport,
  MusterError,
  type QueuedMessage,
  type RetentionPolicy,
  type Unsubscribe,
} from '@muster/core';
import type pg from 'pg';
import {
  createPool,
  driverError,
  OnceReady,
  type PoolHandle,
  type PostgresConnectionOptions,
  quoteIdentifier,
  retryAfterConnectionLoss,
} from '../connection/index.js';
import { NotificationListener } from '../connection/notification-listener.js';
import { NotificationPublisher } from '../connection/notification-publisher.js';
import { statementPrefix } from '../connection/statement-prefix.js';
import { DEFAULT_SCHEMA, migrate } from '../schema/migrate.js';
import { checkEnvelope } from './check-envelope.js';
import { checkDeliveryMarks, checkReport } from './check-report.js';
import { type DurabilityStatements, durabilityStatements } from './durability-statements.js';
import { POSTGRES_DURABILITY_SUPPORTS } from './postgres-durability-supports.js';
import { queueChannel } from './queue-channel.js';
import { encodeQueueNotifications, parseQueueNotification } from './queue-notification.js';
import { decodeReportBody, encodeReportBody } from './report-body.js';

export interface PostgresDurabilityOptions extends PostgresConnectionOptions {
  /** The schema holding the tables. Default `muster`. */
  readonly schema?: string;
  /** Run the migrations before the first operation. Default true (else run `migrate()` first). */
  readonly migrate?: boolean;
  /**
   * Applied to every namespace by `trim` (and by `read`, which hides messages past the age
   * limit at once). Default DEFAULT_RETENTION (7 days, 10,000 messages per identity); `{}`
   * keeps everything until acked or purged.
   */
  readonly retention?: RetentionPolicy;
  /** First delay before the LISTEN connection reconnects (doubling up to 5 s). Default 100 ms. */
  readonly reconnectDelayMs?: number;
  /** Told when a listener throws or the LISTEN connection is lost; the slot carries on. */
  readonly onError?: (error: unknown) => void;
}

interface MessageRow {
  readonly sequence: number;
  readonly message_id: string;
  readonly multicast_id: string;
  readonly payload: Buffer;
  readonly content_type: string;
  readonly attempt: number;
  readonly created_at: number;
}

interface Listener {
  readonly notify: () => void;
  active: boolean;
}

interface NamespaceListeners {
  readonly byIdentity: Map<string, Set<Listener>>;
  readonly stop: Promise<() => Promise<void>>;
}

/**
 * How long after its expiry `trim` deletes a report: `loadReport` hides it at once by the
 * caller's clock, and a coordinator whose clock runs ahead must not delete it from under one
 * whose clock lags.
 */
export const REPORT_DELETE_GRACE_MS = 60_000;

/** SQLSTATE deadlock_detected: two batches locked rows in different orders (rare); retried. */
const DEADLOCK = '40P01';
const DEADLOCK_ATTEMPTS = 5;

/**
 * The PostgreSQL durability slot. Messages live in `<schema>.durable_messages`, one row per
 * unacked message keyed by (namespace, identity, sequence); an ack deletes the row. Sequences
 * come from one schema-wide bigint sequence (increasing, never reused); a row lock per identity
 * (`durable_queue_heads`) makes an identity's enqueues commit in sequence order, so a reader
 * that resumes after the last sequence it saw misses nothing. A batch is one statement.
 * Committed enqueues are announced with batched NOTIFYs; `onAvailable` LISTENs on one
 * dedicated connection.
 */
export class PostgresDurability implements DurabilitySlot {
  readonly supports = POSTGRES_DURABILITY_SUPPORTS;
  readonly #handle: PoolHandle;
  readonly #schemaName: string;
  readonly #sql: DurabilityStatements;
  readonly #maxAgeMs: number | undefined;
  readonly #maxLength: number | undefined;
  readonly #listener: NotificationListener;
  readonly #publisher: NotificationPublisher;
  readonly #listeners = new Map<string, NamespaceListeners>();
  readonly #onError: ((error: unknown) => void) | undefined;
  readonly #statementPrefix: string;
  readonly #migrated: OnceReady;
  #closed = false;

  constructor(options: PostgresDurabilityOptions = {}) {
    const retention = checkRetention(options.retention ?? DEFAULT_RETENTION, {
      wholeMilliseconds: true,
    });
    this.#maxAgeMs = retention.maxAgeMs;
    this.#maxLength = retention.maxLength;
    this.#schemaName = options.schema ?? DEFAULT_SCHEMA;
    this.#sql = durabilityStatements(quoteIdentifier(this.#schemaName, 'schema'));
    this.#statementPrefix = statementPrefix('dq', [this.#schemaName]);
    this.#handle = createPool({ applicationName: 'muster-durability', ...options });
    this.#onError = options.onError;
    this.#listener = new NotificationListener({
      clientConfig: this.#handle.clientConfig,
      ...(options.reconnectDelayMs === undefined
        ? {}
        : { reconnectDelayMs: options.reconnectDelayMs }),
      onError: (error) => this.#report(error),
      // Notifications sent while the connection was down are lost: once LISTEN is back, wake
      // every listener, so each reads its queue once instead of waiting for the next enqueue.
      // (Woken on the loss instead, a reader could read before LISTEN is back and then miss
      // what was enqueued in between.)
      onReconnect: () => this.#wakeAll(),
    });
    this.#publisher = new NotificationPublisher(this.#handle.clientConfig, options.onError);
    this.#migrated = new OnceReady(
      () => migrate({ pool: this.#handle.pool, schema: this.#schemaName }),
      options.migrate === false,
    );
  }

  /** The pool (for tests and tools; the slot owns it unless it was given one). */
  get pool(): pg.Pool {
    return this.#handle.pool;
  }

  async enqueue(
    namespace: string,
    envelopes: readonly Envelope[],
    _now: number,
  ): Promise<readonly number[]> {
    checkNamespace(namespace);
    if (!Array.isArray(envelopes)) throw invalid('envelopes must be an array', 'envelopes');
    envelopes.forEach(checkEnvelope);
    if (envelopes.length === 0) return this.#run('enqueue', async () => []);
    const values = [
      namespace,
      envelopes.map((e) => e.identity),
      envelopes.map((e) => e.messageId),
      envelopes.map((e) => e.multicastId),
      envelopes.map((e) => Buffer.from(e.payload.buffer, e.payload.byteOffset, e.payload.length)),
      envelopes.map((e) => e.contentType),
      envelopes.map((e) => e.attempt),
      envelopes.map((e) => e.createdAt),
    ];
    return this.#run('enqueue', async () => {
      let rows: readonly { ord: number; sequence: number }[] = [];
      for (let attempt = 1; ; attempt++) {
        try {
          rows = (await this.#query<{ ord: number; sequence: number }>('enqueue', values)).rows;
          break;
        } catch (error) {
          if (sqlState(error) !== DEADLOCK || attempt >= DEADLOCK_ATTEMPTS) throw error;
        }
      }
      const sequences = new Array<number>(envelopes.length);
      for (const row of rows) sequences[row.ord - 1] = row.sequence;
      await this.#announce(namespace, new Set(envelopes.map((e) => e.identity)));
      return sequences;
    });
  }

  async read(
    namespace: string,
    identity: string,
    options: { readonly after?: number; readonly limit: number },
    now: number,
  ): Promise<readonly QueuedMessage[]> {
    const limit = options?.limit;
    if (!Number.isSafeInteger(limit) || limit < 0)
      throw invalid(`read limit must be a non-negative integer, not ${limit}`, 'limit');
    const after = options?.after ?? 0;
    if (!Number.isSafeInteger(after)) throw invalid('after must be an integer sequence', 'after');
    if (!Number.isFinite(now)) throw invalid('now must be epoch milliseconds', 'now');
    if (limit === 0) return this.#read('read', async () => []);
    const oldest = this.#maxAgeMs === undefined ? null : Math.floor(now - this.#maxAgeMs);
    return this.#read('read', async () => {
      const result = await this.#query<MessageRow>('read', [
        namespace,
        identity,
        after,
        oldest,
        limit,
      ]);
      return result.rows.map((row) => ({
        sequence: row.sequence,
        envelope: {
          messageId: row.message_id,
          multicastId: row.multicast_id,
          identity,
          payload: row.payload,
          contentType: row.content_type,
          attempt: row.attempt,
          createdAt: row.created_at,
        },
      }));
    });
  }

  async ack(namespace: string, identity: string, sequences: readonly number[]): Promise<void> {
    if (!Array.isArray(sequences)) throw invalid('sequences must be an array', 'sequences');
    const wanted = sequences.filter((sequence) => Number.isSafeInteger(sequence));
    if (wanted.length !== sequences.length)
      throw invalid('sequences must be integers', 'sequences');
    if (wanted.length === 0) return this.#run('ack', async () => undefined);
    await this.#run('ack', async () => {
      await this.#query('ack', [namespace, identity, wanted]);
    });
  }

  async purge(namespace: string, identity: string): Promise<void> {
    await this.#run('purge', async () => {
      await this.#query('purge', [namespace, identity]);
    });
  }

  async trim(namespace: string, now: number): Promise<void> {
    if (!Number.isFinite(now)) throw invalid('now must be epoch milliseconds', 'now');
    await this.#run('trim', async () => {
      if (this.#maxAgeMs !== undefined)
        await this.#query('trimAge', [namespace, Math.floor(now - this.#maxAgeMs)]);
      if (this.#maxLength !== undefined)
        await this.#query('trimLength', [namespace, this.#maxLength]);
      await this.#query('trimReports', [namespace, now - REPORT_DELETE_GRACE_MS]);
    });
  }

  async saveReport(namespace: string, report: MulticastReport, expiresAt: number): Promise<void> {
    checkNamespace(namespace);
    checkReport(report, expiresAt);
    const body = encodeReportBody(report);
    await this.#run('saveReport', async () => {
      await this.#query('saveReport', [namespace, report.multicastId, expiresAt, body]);
    });
  }

  async markDelivered(
    namespace: string,
    marks: readonly DeliveryMark[],
    now: number,
  ): Promise<void> {
    checkNamespace(namespace);
    checkDeliveryMarks(marks);
    if (!Number.isFinite(now)) throw invalid('now must be epoch milliseconds', 'now');
    if (marks.length === 0) return this.#run('markDelivered', async () => undefined);
    const values = [
      namespace,
      marks.map((mark) => mark.multicastId),
      marks.map((mark) => mark.identity),
      marks.map((mark) => mark.expiresAt),
      now,
    ];
    await this.#run('markDelivered', async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          await this.#query('markDelivered', values);
          return;
        } catch (error) {
          if (sqlState(error) !== DEADLOCK || attempt >= DEADLOCK_ATTEMPTS) throw error;
        }
      }
    });
  }

  async loadReport(
    namespace: string,
    multicastId: string,
    now: number,
  ): Promise<MulticastReport | undefined> {
    checkNamespace(namespace);
    if (typeof multicastId !== 'string')
      throw invalid('multicastId must be a string', 'multicastId');
    if (!Number.isFinite(now)) throw invalid('now must be epoch milliseconds', 'now');
    return this.#read('loadReport', async () => {
      const result = await this.#query<{ body: string; marked: string[] }>('loadReport', [
        namespace,
        multicastId,
        now,
      ]);
      const row = result.rows[0];
      return row === undefined ? undefined : decodeReportBody(multicastId, row.body, row.marked);
    });
  }

  async onAvailable(
    namespace: string,
    identity: string,
    listener: () => void,
  ): Promise<Unsubscribe> {
    if (typeof listener !== 'function') throw invalid('listener must be a function', 'listener');
    return this.#run('onAvailable', async () => {
      const entry: Listener = { notify: listener, active: true };
      let state = this.#listeners.get(namespace);
      if (state === undefined) {
        const byIdentity = new Map<string, Set<Listener>>();
        const stop = this.#listener.listen(queueChannel(this.#schemaName, namespace), (text) => {
          const notification = parseQueueNotification(text);
          if (notification === undefined || notification.n !== namespace) return;
          for (const woken of notification.i) this.#wake(byIdentity.get(woken));
        });
        state = { byIdentity, stop };
        this.#listeners.set(namespace, state);
        stop.catch(() => {
          if (this.#listeners.get(namespace) === state) this.#listeners.delete(namespace);
        });
      }
      let entries = state.byIdentity.get(identity);
      if (entries === undefined) {
        entries = new Set();
        state.byIdentity.set(identity, entries);
      }
      entries.add(entry);
      const current = state;
      try {
        await current.stop;
      } catch (error) {
        entries.delete(entry);
        throw error;
      }
      return async () => {
        if (!entry.active) return;
        entry.active = false;
        const own = current.byIdentity.get(identity);
        own?.delete(entry);
        if (own?.size === 0) current.byIdentity.delete(identity);
        if (current.byIdentity.size > 0 || this.#listeners.get(namespace) !== current) return;
        this.#listeners.delete(namespace);
        await (await current.stop)();
      };
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const state of this.#listeners.values())
      for (const entries of state.byIdentity.values())
        for (const entry of entries) entry.active = false;
    this.#listeners.clear();
    await this.#listener.close();
    await this.#publisher.close();
    if (this.#handle.owned) await this.#handle.pool.end().catch(() => undefined);
  }

  /** Announces the identities an enqueue filled, after its commit (see NotificationPublisher). */
  #announce(namespace: string, identities: Set<string>): Promise<void> {
    const channel = queueChannel(this.#schemaName, namespace);
    return this.#publisher.publish(
      encodeQueueNotifications(namespace, identities).map((payload) => ({ channel, payload })),
    );
  }

  #wake(entries: Set<Listener> | undefined): void {
    if (entries === undefined) return;
    for (const entry of entries) {
      if (!entry.active) continue;
      try {
        entry.notify();
      } catch (error) {
        this.#report(error);
      }
    }
  }

  #wakeAll(): void {
    for (const state of this.#listeners.values())
      for (const entries of state.byIdentity.values()) this.#wake(entries);
  }

  #report(error: unknown): void {
    try {
      this.#onError?.(error);
    } catch {
      // A failing error handler must not break the slot.
    }
  }

  /** Runs an operation: refuses after close, migrates once, maps driver errors. */
  async #run<T>(what: string, body: () => Promise<T>): Promise<T> {
    if (this.#closed)
      throw new MusterError('UNAVAILABLE', 'the postgres durability slot is closed');
    try {
      await this.#migrated.ready();
      return await body();
    } catch (error) {
      throw driverError(error, what);
    }
  }

  /** A read: retried once when the connection was lost (a dead pooled client, a restart). */
  #read<T>(what: string, body: () => Promise<T>): Promise<T> {
    return this.#run(what, () => retryAfterConnectionLoss(() => this.#closed, body));
  }

  /** A named prepared statement (see statementPrefix). */
  #query<R extends pg.QueryResultRow>(
    name: keyof DurabilityStatements,
    values: unknown[],
  ): Promise<pg.QueryResult<R>> {
    return this.#handle.pool.query<R>({
      name: `${this.#statementPrefix}${name}`,
      text: this.#sql[name],
      values,
    });
  }
}

function checkNamespace(namespace: string): void {
  if (typeof namespace !== 'string' || namespace.length === 0)
    throw invalid('namespace must be a non-empty string', 'namespace');
}

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function invalid(message: string, field: string): MusterError {
  return new MusterError('INVALID_ARGUMENT', message, { details: { field } });
}
