// The outbox's exactly-once story end to end: 200 multicasts to 20 identities written to the
// outbox, a relay in a child process publishing them to Kafka, SIGKILLed between publishing a
// batch and marking it, then restarted. The receiver de-duplicates by message id and must end
// with exactly the expected messages; the duplicates the crash caused carry the same ids.
import { randomUUID } from 'node:crypto';
import { uniqueNamespace, waitFor } from '@muster/conformance';
import type { Envelope, MessagingSlot } from '@muster/core';
import { createKafkaMessaging } from '@muster/kafka';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresOutbox, createPostgresRegistry } from '../src/index.js';
import { deleteKafkaPrefix, kafkaReachable } from './support/kafka-broker.js';
import { type RelayChild, startRelayChild } from './support/relay-child.js';
import {
  DATABASE_URL,
  databaseReachable,
  dropSchema,
  uniqueSchema,
} from './support/test-database.js';

const MULTICASTS = 200;
const IDENTITIES = 20;
const BATCH = 25;

const reachable = (await databaseReachable()) && (await kafkaReachable('outbox-relay-kill'));
const schema = uniqueSchema('outbox_kill');
const topicPrefix = `muster-test-outbox-${randomUUID().slice(0, 8)}`;

describe.skipIf(!reachable)('postgres outbox: relay killed with SIGKILL mid-stream', () => {
  const children: RelayChild[] = [];
  let messaging: MessagingSlot | undefined;

  afterAll(async () => {
    for (const relay of children) if (relay.child.exitCode === null) relay.child.kill('SIGKILL');
    await Promise.all(children.map((relay) => relay.exited));
    await messaging?.close();
    await dropSchema(schema);
    await deleteKafkaPrefix(topicPrefix);
  });

  it('loses nothing and, de-duplicated by message id, delivers nothing twice', async () => {
    const namespace = uniqueNamespace('outbox-kill');
    const identities = Array.from({ length: IDENTITIES }, (_, i) => `agent-${i}`);
    const registry = createPostgresRegistry({ url: DATABASE_URL, schema, poolSize: 2 });
    const outbox = createPostgresOutbox({ url: DATABASE_URL, schema, poolSize: 2 });
    try {
      const now = Date.now();
      const put = (identity: string, metadata: Record<string, unknown>) =>
        registry.put(
          namespace,
          { identity, metadata, registeredAt: now, updatedAt: now, expiresAt: null },
          { mode: 'create' },
          now,
        );
      for (const identity of identities) await put(identity, { agent_type: 'worker' });
      await put('sensor-1', { agent_type: 'sensor' }); // never a target
      for (let i = 0; i < MULTICASTS; i++) {
        const written = await outbox.multicast({
          namespace,
          filter: 'agent_type == "worker"',
          payload: `task ${i}`,
          idempotencyKey: `task-${i}`,
        });
        expect(written).toMatchObject({ targetCount: IDENTITIES, created: true });
      }
    } finally {
      await registry.close();
      await outbox.close();
    }

    // What must arrive: every stored (message id -> multicast, identity).
    const expected = new Map<string, string>();
    const db = new pg.Client({ connectionString: DATABASE_URL });
    await db.connect();
    const published = async () =>
      (
        await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "${schema}".multicast_outbox_targets
           WHERE published_at IS NOT NULL`,
        )
      ).rows[0]!.n;
    try {
      const rows = await db.query<{ message_id: string; multicast_id: string; identity: string }>(
        `SELECT message_id, multicast_id, identity FROM "${schema}".multicast_outbox_targets`,
      );
      for (const row of rows.rows)
        expected.set(row.message_id, `${row.multicast_id}/${row.identity}`);
      expect(expected.size).toBe(MULTICASTS * IDENTITIES);

      // The receiver: subscribed before any relay runs, de-duplicating by message id.
      messaging = createKafkaMessaging({ topicPrefix });
      const received: Envelope[] = [];
      const unique = new Map<string, Envelope>();
      for (const identity of identities)
        await messaging.subscribe(namespace, identity, ({ envelope }) => {
          received.push(envelope);
          if (!unique.has(envelope.messageId)) unique.set(envelope.messageId, envelope);
        });

      const env = {
        DATABASE_URL,
        OUTBOX_SCHEMA: schema,
        KAFKA_TOPIC_PREFIX: topicPrefix,
        RELAY_BATCH_SIZE: String(BATCH),
      };
      // First relay: publishes 4 batches, commits 3, stalls before committing the 4th: killed there.
      const first = startRelayChild({ ...env, RELAY_STALL_AFTER: String(4 * BATCH) });
      children.push(first);
      await first.waitForLine((line) => line === `published ${4 * BATCH}`, '4 batches published');
      first.child.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');
      const markedAtKill = await published();
      expect(markedAtKill, 'three batches were committed, the fourth was not').toBe(3 * BATCH);
      // The unmarked 4th batch did reach Kafka: the receiver gets it before the restart.
      await waitFor(() => unique.size >= 4 * BATCH, 'the 4 published batches', 30_000);

      const second = startRelayChild(env);
      children.push(second);
      await waitFor(
        async () => (await published()) === expected.size,
        'every target marked published',
        120_000,
      );
      await waitFor(() => unique.size >= expected.size, 'every message received', 60_000);
      second.child.kill('SIGTERM');
      await second.exited;

      // Exactly the expected message ids, each for its own (multicast, identity).
      expect(new Set(unique.keys())).toEqual(new Set(expected.keys()));
      for (const envelope of received)
        expect(`${envelope.multicastId}/${envelope.identity}`).toBe(
          expected.get(envelope.messageId),
        );
      // The batch in flight at the kill was published twice, under the same ids.
      const duplicates = received.length - unique.size;
      expect(duplicates).toBeGreaterThanOrEqual(1);
      const idsPerTarget = new Map<string, Set<string>>();
      for (const envelope of received) {
        const target = `${envelope.multicastId}/${envelope.identity}`;
        const ids = idsPerTarget.get(target) ?? new Set();
        ids.add(envelope.messageId);
        idsPerTarget.set(target, ids);
      }
      expect([...idsPerTarget.values()].every((ids) => ids.size === 1)).toBe(true);
      console.log(
        `[outbox-kill] ${expected.size} messages, ${markedAtKill} marked at the kill, ` +
          `${received.length} received, ${duplicates} duplicates (same ids)`,
      );
      const pending = await db.query(
        `SELECT count(*)::int AS n FROM "${schema}".multicast_outbox_targets
         WHERE published_at IS NULL OR status <> 'SENT'`,
      );
      expect(pending.rows[0].n).toBe(0);
    } finally {
      await db.end();
    }
  });
});
