// The transactional outbox with the in-memory messaging slot: the target snapshot (filter and
// expiry, in SQL), stable message ids, idempotency keys, the caller's transaction, reports,
// concurrent relays and retries.
import { expectMusterError, uniqueNamespace, waitFor } from '@muster/conformance';
import {
  createMemoryMessaging,
  type Envelope,
  type MessagingSlot,
  MusterError,
  type PublishResult,
} from '@muster/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOutboxRelay,
  createPostgresOutbox,
  createPostgresRegistry,
  type PostgresOutbox,
  type PostgresRegistry,
} from '../src/index.js';
import {
  DATABASE_URL,
  databaseReachable,
  dropSchema,
  uniqueSchema,
} from './support/test-database.js';

const reachable = await databaseReachable();
const schema = uniqueSchema('outbox');

/** Registers `identities` with their metadata (and optional expiry) in `namespace`. */
async function register(
  registry: PostgresRegistry,
  namespace: string,
  identities: Record<string, { metadata: Record<string, unknown>; expiresAt?: number }>,
): Promise<void> {
  const now = Date.now();
  for (const [identity, { metadata, expiresAt }] of Object.entries(identities))
    await registry.put(
      namespace,
      { identity, metadata, registeredAt: now, updatedAt: now, expiresAt: expiresAt ?? null },
      { mode: 'create' },
      now,
    );
}

/** Subscribes every identity and collects what arrives, in arrival order. */
async function collect(messaging: MessagingSlot, namespace: string, identities: string[]) {
  const received: Envelope[] = [];
  for (const identity of identities)
    await messaging.subscribe(namespace, identity, (message) => received.push(message.envelope));
  return received;
}

describe.skipIf(!reachable)('postgres outbox', () => {
  let registry: PostgresRegistry;
  let outbox: PostgresOutbox;
  const outboxes: PostgresOutbox[] = [];

  /** An outbox table of its own, so a test's relay finds only that test's multicasts. */
  function ownOutbox(table: string): PostgresOutbox {
    const own = createPostgresOutbox({ url: DATABASE_URL, schema, table, poolSize: 4 });
    outboxes.push(own);
    return own;
  }

  beforeAll(() => {
    registry = createPostgresRegistry({ url: DATABASE_URL, schema, poolSize: 4 });
    outbox = ownOutbox('multicast_outbox');
  });
  afterAll(async () => {
    for (const own of outboxes) await own.close();
    await registry?.close();
    await dropSchema(schema);
  });

  it('targets the live identities matching the filter, with stable message ids', async () => {
    const namespace = uniqueNamespace('ob-targets');
    await register(registry, namespace, {
      b: { metadata: { kind: 'worker', load: 3 } },
      a: { metadata: { kind: 'worker', load: 9 } },
      c: { metadata: { kind: 'sensor', load: 1 } },
      gone: { metadata: { kind: 'worker', load: 1 }, expiresAt: Date.now() + 300 },
    });
    const later = Date.now() + 1_000; // `gone` has expired by then (no sweep removed it)
    const written = await outbox.multicast({
      namespace,
      filter: 'kind == "worker"',
      payload: 'hello',
      now: later,
    });
    expect(written).toMatchObject({ targetCount: 2, created: true });
    const report = await outbox.getReport(written.multicastId);
    expect(report).toMatchObject({
      namespace,
      filter: expect.any(String),
      contentType: 'text/plain; charset=utf-8',
      createdAt: later,
      targetCount: 2,
      pendingCount: 2,
      deliveredCount: 0,
    });
    expect(report!.deliveries).toEqual([
      { identity: 'a', messageId: `${written.multicastId}-0`, status: 'QUEUED', attempts: 0 },
      { identity: 'b', messageId: `${written.multicastId}-1`, status: 'QUEUED', attempts: 0 },
    ]);
    const json = await outbox.multicast({
      namespace,
      filter: { 'load.gte': 3 },
      payload: new Uint8Array([1, 2]),
      now: later,
    });
    expect(json.targetCount).toBe(2); // a and b; gone has expired
    expect(await outbox.getReport('no-such-multicast')).toBeUndefined();
  });

  it('idempotency: the same key twice writes one multicast and one set of targets', async () => {
    const namespace = uniqueNamespace('ob-idem');
    await register(registry, namespace, { a: { metadata: {} }, b: { metadata: {} } });
    const request = { namespace, payload: 'once', idempotencyKey: 'order-42' };
    const [first, second] = await Promise.all([
      outbox.multicast(request),
      outbox.multicast(request),
    ]);
    const created = [first, second].filter((result) => result.created);
    expect(created).toHaveLength(1);
    expect(second.multicastId).toBe(first.multicastId);
    expect(second.targetCount).toBe(2);
    await register(registry, namespace, { c: { metadata: {} } });
    const third = await outbox.multicast(request);
    expect(third).toEqual({ multicastId: first.multicastId, targetCount: 2, created: false });
    // The key is per namespace: another namespace writes its own multicast.
    const other = await outbox.multicast({ ...request, namespace: uniqueNamespace('ob-idem2') });
    expect(other.created).toBe(true);
    const counted = await outbox.pool.query(
      `SELECT count(*)::int AS n FROM "${schema}".multicast_outbox_targets WHERE multicast_id = $1`,
      [first.multicastId],
    );
    expect(counted.rows[0].n).toBe(2);
  });

  it("commits and rolls back with the caller's transaction; a rollback relays nothing", async () => {
    const outbox = ownOutbox('tx_outbox');
    const namespace = uniqueNamespace('ob-tx');
    await register(registry, namespace, { a: { metadata: {} }, b: { metadata: {} } });
    await outbox.pool.query(
      `CREATE TABLE IF NOT EXISTS "${schema}".orders (id text PRIMARY KEY, total int)`,
    );
    const messaging = createMemoryMessaging();
    const received = await collect(messaging, namespace, ['a', 'b']);
    const relay = createOutboxRelay({ outbox, messaging, pollIntervalMs: 10 });
    const client = await outbox.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`INSERT INTO "${schema}".orders VALUES ('o-1', 10)`);
      const rolledBack = await outbox.multicast({
        namespace,
        payload: 'rolled back',
        idempotencyKey: 'o-1',
        client,
      });
      expect(rolledBack.created).toBe(true);
      await client.query('ROLLBACK');
      expect(await outbox.getReport(rolledBack.multicastId)).toBeUndefined();

      await client.query('BEGIN');
      await client.query(`INSERT INTO "${schema}".orders VALUES ('o-1', 10)`);
      const committed = await outbox.multicast({
        namespace,
        payload: 'committed',
        idempotencyKey: 'o-1', // free again: the rolled-back multicast never existed
        client,
      });
      expect(committed.created).toBe(true);
      // Not committed yet: a relay cannot see it.
      expect(await relay.relayOnce()).toBe(0);
      await client.query('COMMIT');
      expect(await relay.relayOnce()).toBe(2);
      expect(received.map((e) => new TextDecoder().decode(e.payload))).toEqual([
        'committed',
        'committed',
      ]);
      const report = await outbox.getReport(committed.multicastId);
      expect(report!.deliveries.map((d) => d.status)).toEqual(['SENT', 'SENT']);
      expect(report!.pendingCount).toBe(0);
    } finally {
      client.release();
      await relay.stop();
      await messaging.close();
    }
  });

  it('two relays share the pending rows: every target published exactly once', async () => {
    const outbox = ownOutbox('shared_outbox');
    const namespace = uniqueNamespace('ob-relays');
    const identities = Array.from({ length: 10 }, (_, i) => `agent-${i}`);
    await register(
      registry,
      namespace,
      Object.fromEntries(identities.map((id) => [id, { metadata: {} }])),
    );
    const messaging = createMemoryMessaging();
    const received = await collect(messaging, namespace, identities);
    const ids: string[] = [];
    for (let i = 0; i < 30; i++)
      ids.push((await outbox.multicast({ namespace, payload: `m${i}` })).multicastId);
    const relays = [1, 2].map(() =>
      createOutboxRelay({ outbox, messaging, pollIntervalMs: 5, batchSize: 7 }),
    );
    for (const relay of relays) relay.start();
    try {
      await waitFor(() => received.length >= 300, '300 messages', 30_000);
    } finally {
      await Promise.all(relays.map((relay) => relay.stop()));
    }
    expect(received).toHaveLength(300);
    expect(new Set(received.map((e) => e.messageId)).size).toBe(300);
    for (const id of ids) {
      const report = await outbox.getReport(id);
      expect(report!.deliveries.every((d) => d.status === 'SENT' && d.attempts === 1)).toBe(true);
    }
  });

  it('a publish that fails with UNAVAILABLE is retried with the same message id', async () => {
    const outbox = ownOutbox('retry_outbox');
    const namespace = uniqueNamespace('ob-retry');
    await register(registry, namespace, { a: { metadata: {} } });
    const sent: Envelope[] = [];
    let failures = 2;
    const flaky: MessagingSlot = {
      supports: { atMostOnce: true, acked: false, presence: false, distributed: true },
      async publish(_namespace, envelopes): Promise<readonly PublishResult[]> {
        if (failures-- > 0) throw new MusterError('UNAVAILABLE', 'broker down');
        sent.push(...envelopes);
        return envelopes.map((e) => ({
          identity: e.identity,
          messageId: e.messageId,
          status: 'SENT',
        }));
      },
      subscribe: async () => async () => undefined,
      close: async () => undefined,
    };
    const { multicastId } = await outbox.multicast({ namespace, payload: 'retry me' });
    const relay = createOutboxRelay({ outbox, messaging: flaky, pollIntervalMs: 5 });
    relay.start();
    try {
      await waitFor(() => sent.length >= 1, 'the third attempt', 10_000);
    } finally {
      await relay.stop();
    }
    expect(sent.map((e) => [e.messageId, e.attempt])).toEqual([[`${multicastId}-0`, 3]]);
    const report = await outbox.getReport(multicastId);
    expect(report!.deliveries[0]).toMatchObject({ status: 'SENT', attempts: 3 });
  });

  it('rejects bad input with stable codes', async () => {
    await expectMusterError(
      outbox.multicast({ namespace: '', payload: 'x' }),
      'INVALID_ARGUMENT',
      'empty namespace',
    );
    await expectMusterError(
      outbox.multicast({ namespace: 'n', payload: 42 as unknown as string }),
      'INVALID_ARGUMENT',
      'numeric payload',
    );
    await expectMusterError(
      outbox.multicast({ namespace: 'n', payload: 'x', filter: 'kind ==' }),
      'INVALID_FILTER',
      'broken filter',
    );
    await expectMusterError(
      outbox.multicast({ namespace: 'n', payload: 'x', idempotencyKey: '' }),
      'INVALID_ARGUMENT',
      'empty idempotency key',
    );
    expect(() => createPostgresOutbox({ table: 'Bad-Name' })).toThrow(MusterError);
    expect(() =>
      createOutboxRelay({ outbox, messaging: createMemoryMessaging(), batchSize: 0 }),
    ).toThrow(/batchSize/);
  });
});
